"""Cross-cutting HTTP behaviour: error shape, request ids, security headers, CORS."""

from collections.abc import Callable

import httpx
import pytest
from fastapi import FastAPI
from sqlmodel.ext.asyncio.session import AsyncSession

from app.server import create_app
from tests.support.clients import client_for
from tests.support.settings import OverrideSettings


async def test_every_response_carries_security_headers(client: httpx.AsyncClient) -> None:
    response = await client.get("/livez")

    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert "strict-transport-security" not in response.headers  # production only


async def test_request_id_is_returned_and_echoed_in_errors(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/nothing-here")

    assert response.status_code == 404
    request_id = response.headers["x-request-id"]
    assert response.json() == {
        "detail": "Not Found",
        "code": "not_found",
        "request_id": request_id,
        "errors": [],
    }


async def test_a_valid_incoming_request_id_is_kept(client: httpx.AsyncClient) -> None:
    incoming = "4c2d5b5e8f0a4b7c9d1e2f3a4b5c6d7e"

    response = await client.get("/livez", headers={"X-Request-ID": incoming})

    assert response.headers["x-request-id"] == incoming


@pytest.mark.parametrize(
    "incoming", ["short", "has spaces in it", "x" * 129, "semi;colon-and-more"]
)
async def test_a_malformed_incoming_request_id_is_replaced(
    client: httpx.AsyncClient, incoming: str
) -> None:
    response = await client.get("/livez", headers={"X-Request-ID": incoming})

    assert response.headers["x-request-id"] != incoming
    assert len(response.headers["x-request-id"]) == 32


async def test_unexpected_errors_are_500_without_a_traceback(session: AsyncSession) -> None:
    app = create_app()

    @app.get("/api/boom")
    async def boom() -> None:
        raise RuntimeError("secret internals")

    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        response = await client.get("/api/boom")

    assert response.status_code == 500
    assert response.json()["code"] == "internal_error"
    assert "secret internals" not in response.text
    assert "Traceback" not in response.text


async def test_cors_is_closed_by_default(client: httpx.AsyncClient) -> None:
    response = await client.options(
        "/api/items",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"},
    )

    assert "access-control-allow-origin" not in response.headers


async def test_cors_opens_only_to_configured_origins(override_settings: OverrideSettings) -> None:
    override_settings(CORS_ORIGINS='["https://app.example"]')
    app: FastAPI = create_app()
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        allowed = await client.options(
            "/api/items",
            headers={"Origin": "https://app.example", "Access-Control-Request-Method": "GET"},
        )
        refused = await client.options(
            "/api/items",
            headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"},
        )

    assert allowed.headers["access-control-allow-origin"] == "https://app.example"
    assert "access-control-allow-origin" not in refused.headers


def test_openapi_operation_ids_are_stable_client_names() -> None:
    operations = {
        operation["operationId"]
        for path in create_app().openapi()["paths"].values()
        for operation in path.values()
    }

    assert {
        "items-list_items",
        "items-create_item",
        "items-get_item",
        "items-update_item",
        "items-delete_item",
    } <= operations


async def test_production_answers_only_its_own_host_names(app_with: Callable[..., FastAPI]) -> None:
    """A forged Host never reaches code that builds links or cache keys from it; the probes,
    which orchestrators send to the pod's address, still answer."""
    app = app_with(
        ENVIRONMENT="production",
        PUBLIC_URL="https://app.example.com",
        ALLOWED_HOSTS='["www.example.com"]',
    )
    async with client_for(app) as client:
        own = await client.get("/api/client-config", headers={"Host": "App.Example.com:443"})
        alias = await client.get("/api/client-config", headers={"Host": "www.example.com"})
        forged = await client.get("/api/client-config", headers={"Host": "evil.example"})
        probe = await client.get("/livez", headers={"Host": "10.1.2.3:8000"})

    assert (own.status_code, alias.status_code, probe.status_code) == (200, 200, 200)
    assert forged.status_code == 400
    assert forged.json()["code"] == "unknown_host"
    assert forged.headers["x-request-id"] == forged.json()["request_id"]


async def test_outside_production_every_host_name_is_answered(
    app_with: Callable[..., FastAPI],
) -> None:
    async with client_for(app_with(ENVIRONMENT="development")) as client:
        response = await client.get("/api/client-config", headers={"Host": "demo.localhost:8443"})

    assert response.status_code == 200
