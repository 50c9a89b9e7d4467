"""`just serve` is the production profile, whichever environment layer supplies the services."""

import json
import signal
from pathlib import Path

import httpx
import pytest

from tests.support.browser import ARTIFACTS
from tests.support.servers import ServedCommand

pytestmark = pytest.mark.browser


def test_just_serve_runs_the_production_profile(
    production_bundle: Path, migrated_database: None
) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log_path = ARTIFACTS / "just-serve.log"
    log_path.unlink(missing_ok=True)
    server = ServedCommand(
        ["just", "serve"],
        log_path,
        ready_path="/readyz",
        expected_returncode=128 + signal.SIGTERM,  # how `just` reports a recipe stopped by it
        environment={
            "WEB_CONCURRENCY": "1",
            "WEB_DIST_DIR": str(production_bundle),
            "LOG_LEVEL": "INFO",
        },
    )
    with server:
        livez = httpx.get(f"{server.base_url}/livez")
        openapi = httpx.get(f"{server.base_url}/api/openapi.json")

    assert livez.headers["strict-transport-security"].startswith("max-age=")  # production only
    assert openapi.status_code == 404  # API docs are opt-in in production
    logged = [
        json.loads(line) for line in log_path.read_text().splitlines() if line.startswith("{")
    ]
    assert {"path": "/livez", "status": 200, "request_id": livez.headers["x-request-id"]} in [
        {key: line.get(key) for key in ("path", "status", "request_id")} for line in logged
    ]
