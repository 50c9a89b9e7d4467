"""`just serve` is the production profile, whichever environment layer supplies the services."""

import httpx
import pytest

pytestmark = pytest.mark.integration


def test_just_serve_runs_the_production_profile(live_server: str):
    livez = httpx.get(f"{live_server}/livez")
    openapi = httpx.get(f"{live_server}/api/openapi.json")

    assert livez.headers["strict-transport-security"].startswith("max-age=")  # production only
    assert openapi.status_code == 404  # API docs are opt-in in production
