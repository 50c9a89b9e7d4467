"""CSRF: unsafe requests pass only when the browser says they come from this site's pages."""

import httpx
import pytest

from app.models.account import User
from app.settings import get_settings
from tests.factories import PASSWORD


@pytest.fixture
def bare(anonymous: httpx.AsyncClient) -> httpx.AsyncClient:
    """A client that sends no Sec-Fetch-Site or Origin unless a test adds them."""
    del anonymous.headers["Sec-Fetch-Site"]
    return anonymous


async def test_a_cross_site_form_post_is_refused(client: httpx.AsyncClient) -> None:
    # What a browser sends when another site's page submits a form to this API.
    response = await client.post(
        "/api/items",
        content=b"title=pwned",
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Sec-Fetch-Site": "cross-site",
            "Origin": "https://evil.example",
        },
    )

    assert response.status_code == 403
    assert response.json()["code"] == "csrf_failed"


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Sec-Fetch-Site": "same-site"},
        {"Sec-Fetch-Site": "cross-site", "Origin": "http://testserver"},
        {"Origin": "https://evil.example"},
        {"Origin": "null"},
    ],
)
async def test_unsafe_requests_without_a_same_origin_signal_are_403(
    bare: httpx.AsyncClient, headers: dict[str, str]
) -> None:
    response = await bare.post("/api/auth/logout", headers=headers)

    assert response.status_code == 403
    assert response.json()["code"] == "csrf_failed"


@pytest.mark.parametrize(
    "headers",
    [
        {"Sec-Fetch-Site": "same-origin"},
        {"Sec-Fetch-Site": "none"},
        {"Origin": "http://testserver"},
        {"Origin": get_settings().public_url.rstrip("/")},
    ],
)
async def test_same_origin_requests_pass(bare: httpx.AsyncClient, headers: dict[str, str]) -> None:
    response = await bare.post("/api/auth/logout", headers=headers)

    assert response.status_code == 204


async def test_login_csrf_is_refused_too(bare: httpx.AsyncClient, user: User) -> None:
    response = await bare.post(
        "/api/auth/login",
        json={"email": user.email, "password": PASSWORD},
        headers={"Sec-Fetch-Site": "cross-site"},
    )

    assert response.status_code == 403


async def test_safe_methods_need_no_signal(bare: httpx.AsyncClient) -> None:
    response = await bare.get("/api/account")

    assert response.status_code == 401  # not 403: reading is not a forgery risk
