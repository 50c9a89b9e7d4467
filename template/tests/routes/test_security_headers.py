"""One headers policy, chosen by what a response is, whichever route or layer produced it."""

from collections.abc import Callable

import httpx
from fastapi import FastAPI
from fastapi.responses import HTMLResponse

from app.security_headers import RESOURCE_POLICY
from tests.support.clients import client_for

HTML = {"accept": "text/html"}


async def test_json_responses_get_the_policy_that_allows_nothing(
    web_client: httpx.AsyncClient,
) -> None:
    for response in [await web_client.get("/livez"), await web_client.get("/api/nothing")]:
        assert response.headers["content-security-policy"] == RESOURCE_POLICY.decode()
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["x-frame-options"] == "DENY"


async def test_json_answers_are_never_stored_by_a_cache(
    client: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    """ASVS 8.2.1: a signed-in user's data stays out of the browser's and every proxy's cache."""
    for response in [
        await client.get("/api/account"),
        await client.get("/api/items"),
        await anonymous.get("/api/account"),  # its 401 too
    ]:
        assert response.headers["content-type"].startswith("application/json")
        assert response.headers["cache-control"] == "no-store"


async def test_assets_get_the_resource_policy_and_no_cors_opening(
    web_client: httpx.AsyncClient,
) -> None:
    response = await web_client.get("/assets/style-77d1e0.css")

    assert response.headers["content-security-policy"] == RESOURCE_POLICY.decode()
    assert "access-control-allow-origin" not in response.headers


async def test_any_html_response_gets_the_page_policy_with_the_bundle_script_hashes(
    app_with: Callable[..., FastAPI], web_client: httpx.AsyncClient
) -> None:
    app = app_with()

    @app.get("/api/report", response_class=HTMLResponse)
    async def report() -> str:
        return "<p>report</p>"

    page = await web_client.get("/", headers=HTML)
    async with client_for(app) as client:
        other_page = await client.get("/api/report")

    assert "script-src 'self' 'sha256-" in page.headers["content-security-policy"]
    assert other_page.headers["content-security-policy"] == page.headers["content-security-policy"]


async def test_a_header_a_route_sets_itself_is_kept(app_with: Callable[..., FastAPI]) -> None:
    app = app_with()

    @app.get("/api/framed")
    async def framed() -> HTMLResponse:
        return HTMLResponse("<p>framed</p>", headers={"X-Frame-Options": "SAMEORIGIN"})

    async with client_for(app) as client:
        response = await client.get("/api/framed")

    assert response.headers.get_list("x-frame-options") == ["SAMEORIGIN"]


async def test_hsts_only_in_production(app_with: Callable[..., FastAPI]) -> None:
    async with client_for(app_with(ENVIRONMENT="production")) as client:
        production = await client.get("/livez")
    async with client_for(app_with(ENVIRONMENT="development")) as client:
        development = await client.get("/livez")

    assert production.headers["strict-transport-security"].startswith("max-age=")
    assert "strict-transport-security" not in development.headers


async def test_the_api_docs_page_may_load_swagger_ui_and_run_its_own_script(
    app_with: Callable[..., FastAPI],
) -> None:
    async with client_for(app_with(ENVIRONMENT="development")) as client:
        response = await client.get("/api/docs")

    policy = response.headers["content-security-policy"]
    assert "script-src 'self' https://cdn.jsdelivr.net 'sha256-" in policy
    assert "SwaggerUIBundle" in response.text
