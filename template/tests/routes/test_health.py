"""Liveness and readiness probes."""

import httpx
import pytest
from sqlalchemy.ext.asyncio import create_async_engine

from tests.support.settings import OverrideSettings


async def test_livez_answers_without_dependencies(client: httpx.AsyncClient) -> None:
    response = await client.get("/livez")

    assert response.status_code == 200
    assert response.json()["status"] == "ok"


async def test_readyz_reports_the_database_and_the_broker(
    client: httpx.AsyncClient, override_settings: OverrideSettings
) -> None:
    # The outage tests prove the bound; here a loaded machine's slow first connection must not
    # trip it (0.8 s did once, with the suites of two projects at once on 2 cores).
    override_settings(READINESS_TIMEOUT_SECONDS="10")

    response = await client.get("/readyz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "broker": "ok"}}


async def test_readyz_is_503_when_the_database_is_unreachable(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    unreachable = create_async_engine(
        "postgresql+psycopg://nobody:nothing@127.0.0.1:1/none", connect_args={"connect_timeout": 2}
    )
    monkeypatch.setattr("app.health.routes.get_engine", lambda: unreachable)

    response = await client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
    assert response.json()["checks"]["database"].startswith("error: ")


async def test_readyz_is_503_when_the_broker_is_unreachable(
    client: httpx.AsyncClient, override_settings: OverrideSettings
) -> None:
    override_settings(REDIS_URL="redis://127.0.0.1:1/0")

    response = await client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "ok"
    assert response.json()["checks"]["broker"].startswith("error: ")
