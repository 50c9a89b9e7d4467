"""How FastAPI serves the built web app: caching, compression, SPA fallback, JSON for the API."""

import base64
import hashlib
import secrets
from pathlib import Path

import httpx
import pytest

from app.frontend import BundleMissingError
from app.server import create_app
from tests.routes.conftest import ENTRY_JS, INDEX_HTML
from tests.support.settings import OverrideSettings

HTML = {"accept": "text/html,application/xhtml+xml"}


async def test_hashed_assets_are_cached_for_a_year(web_client: httpx.AsyncClient) -> None:
    response = await web_client.get("/assets/style-77d1e0.css")

    assert response.status_code == 200
    assert response.headers["cache-control"] == "max-age=315360000, public, immutable"
    assert response.headers["content-type"].startswith("text/css")
    assert response.text == "body { margin: 0 }\n"


async def test_a_precompressed_asset_is_sent_to_clients_that_accept_it(
    web_client: httpx.AsyncClient,
) -> None:
    response = await web_client.get("/assets/entry-4f3a9c.js", headers={"accept-encoding": "gzip"})

    assert response.status_code == 200
    assert response.headers["content-encoding"] == "gzip"
    assert response.headers["vary"] == "Accept-Encoding"
    assert "javascript" in response.headers["content-type"]
    assert response.headers["cache-control"] == "max-age=315360000, public, immutable"
    assert response.text == ENTRY_JS  # httpx decoded the gzip body


async def test_an_asset_is_sent_plain_to_clients_that_accept_no_compression(
    web_client: httpx.AsyncClient,
) -> None:
    response = await web_client.get(
        "/assets/entry-4f3a9c.js", headers={"accept-encoding": "identity"}
    )

    assert response.status_code == 200
    assert "content-encoding" not in response.headers
    assert response.text == ENTRY_JS


async def test_a_missing_asset_is_a_404_not_the_app(web_client: httpx.AsyncClient) -> None:
    response = await web_client.get("/assets/gone-000000.js", headers=HTML)

    assert response.status_code == 404
    assert response.headers["content-type"] == "application/json"


async def test_index_html_is_revalidated_and_allows_only_its_own_inline_scripts(
    web_client: httpx.AsyncClient,
) -> None:
    response = await web_client.get("/", headers=HTML)

    assert response.status_code == 200
    assert response.text == INDEX_HTML
    assert response.headers["cache-control"] == "no-cache"
    inline = 'window.__context = {"ssr":false};'
    digest = base64.b64encode(hashlib.sha256(inline.encode()).digest()).decode()
    policy = response.headers["content-security-policy"]
    assert f"script-src 'self' 'sha256-{digest}'" in policy
    assert "frame-ancestors 'none'" in policy


async def test_a_revalidated_index_html_keeps_its_policy(web_client: httpx.AsyncClient) -> None:
    first = await web_client.get("/", headers=HTML)

    again = await web_client.get("/", headers={**HTML, "if-none-match": first.headers["etag"]})

    assert again.status_code == 304
    assert again.headers["content-security-policy"] == first.headers["content-security-policy"]


async def test_other_unhashed_files_are_revalidated(web_client: httpx.AsyncClient) -> None:
    response = await web_client.get("/favicon.ico")

    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-cache"


@pytest.mark.parametrize("path", ["/items/new", "/items/item_01h455vb4pex5vsknk084sn02q/edit"])
async def test_unknown_page_paths_get_the_app_so_the_client_router_decides(
    web_client: httpx.AsyncClient, path: str
) -> None:
    response = await web_client.get(path, headers=HTML)

    assert response.status_code == 200
    assert response.text == INDEX_HTML
    assert response.headers["cache-control"] == "no-cache"


@pytest.mark.parametrize("path", ["/api/nothing-here", "/api", "/api/items/x/y"])
async def test_unknown_api_paths_get_json_404_even_from_a_browser(
    web_client: httpx.AsyncClient, path: str
) -> None:
    response = await web_client.get(path, headers=HTML)

    assert response.status_code == 404
    assert response.headers["content-type"] == "application/json"
    assert response.json()["code"] == "not_found"


async def test_a_known_api_path_with_a_wrong_method_is_still_405(
    web_client: httpx.AsyncClient,
) -> None:
    response = await web_client.put("/api/items")

    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"


def test_production_refuses_to_start_without_the_bundle(
    tmp_path: Path, override_settings: OverrideSettings
) -> None:
    override_settings(
        ENVIRONMENT="production",
        SECRET_KEY=secrets.token_urlsafe(32),
        WEB_DIST_DIR=str(tmp_path / "absent"),
    )

    with pytest.raises(BundleMissingError, match="just web_build"):
        create_app()


async def test_development_starts_without_the_bundle_and_keeps_the_api(
    tmp_path: Path, override_settings: OverrideSettings
) -> None:
    override_settings(ENVIRONMENT="development", WEB_DIST_DIR=str(tmp_path / "absent"))
    transport = httpx.ASGITransport(app=create_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        response = await client.get("/livez")
        page = await client.get("/", headers=HTML)

    assert response.status_code == 200
    assert page.status_code == 404
