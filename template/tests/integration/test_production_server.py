"""`just serve` is the production profile, whichever environment layer supplies the services."""

import json
import signal
import socket
import subprocess
from pathlib import Path

import httpx
import pytest
from mirakuru import HTTPExecutor

from tests.integration.conftest import ARTIFACTS, PROJECT_ROOT

pytestmark = pytest.mark.browser


def test_just_serve_runs_the_production_profile(
    production_bundle: Path, migrated_database: None
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    base_url = f"http://127.0.0.1:{port}"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log_path = ARTIFACTS / "just-serve.log"
    with log_path.open("w") as log:
        server = HTTPExecutor(
            ["just", "serve"],
            url=f"{base_url}/readyz",
            method="GET",
            cwd=str(PROJECT_ROOT),
            envvars={
                "PORT": str(port),
                "WEB_CONCURRENCY": "1",
                "WEB_DIST_DIR": str(production_bundle),
                "LOG_LEVEL": "INFO",
            },
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            timeout=60,
            expected_returncode=128 + signal.SIGTERM,  # how `just` reports a recipe stopped by it
        )
        with server:
            livez = httpx.get(f"{base_url}/livez")
            openapi = httpx.get(f"{base_url}/api/openapi.json")

    assert livez.headers["strict-transport-security"].startswith("max-age=")  # production only
    assert openapi.status_code == 404  # API docs are opt-in in production
    logged = [
        json.loads(line) for line in log_path.read_text().splitlines() if line.startswith("{")
    ]
    assert {"path": "/livez", "status": 200, "request_id": livez.headers["x-request-id"]} in [
        {key: line.get(key) for key in ("path", "status", "request_id")} for line in logged
    ]
