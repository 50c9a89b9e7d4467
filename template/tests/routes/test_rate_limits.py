"""Rate limits: too many attempts get 429 with Retry-After, never a permanent lockout."""

import httpx
from limits import parse_many

from app.models.account import User
from app.settings import get_settings
from tests.factories import PASSWORD
from tests.support.accounts import AddUser, LogIn


def allowed(rule: str) -> int:
    return min(item.amount for item in parse_many(rule))


def window_seconds(rule: str) -> int:
    return max(item.get_expiry() for item in parse_many(rule))


def assert_limited(response: httpx.Response, rule: str) -> None:
    assert response.status_code == 429
    assert response.json()["code"] == "rate_limited"
    retry_after = int(response.headers["Retry-After"])
    assert 0 < retry_after <= window_seconds(rule)  # a wait, never a lockout


async def test_failed_logins_per_account_are_limited_even_with_the_right_password_after(
    anonymous: httpx.AsyncClient, user: User
) -> None:
    rule = get_settings().rate_limit_login_per_account
    wrong = {"email": user.email, "password": "not the password at all"}
    for _ in range(allowed(rule)):
        assert (await anonymous.post("/api/auth/login", json=wrong)).status_code == 401

    response = await anonymous.post(
        "/api/auth/login", json={"email": user.email, "password": PASSWORD}
    )

    assert_limited(response, rule)


async def test_sign_ups_per_ip_are_limited(anonymous: httpx.AsyncClient) -> None:
    rule = get_settings().rate_limit_signup_per_ip
    for number in range(allowed(rule)):
        body = {"email": f"new{number}@example.com", "password": "short"}
        assert (await anonymous.post("/api/auth/signup", json=body)).status_code == 422

    response = await anonymous.post(
        "/api/auth/signup", json={"email": "one.more@example.com", "password": PASSWORD}
    )

    assert_limited(response, rule)


async def test_reset_requests_per_email_are_limited(anonymous: httpx.AsyncClient) -> None:
    rule = get_settings().rate_limit_reset_per_email
    for _ in range(allowed(rule)):
        response = await anonymous.post("/api/auth/password-reset", json={"email": "a@example.com"})
        assert response.status_code == 202

    response = await anonymous.post("/api/auth/password-reset", json={"email": "A@example.com"})

    assert_limited(response, rule)


async def test_verification_requests_per_user_are_limited(
    anonymous: httpx.AsyncClient, add_user: AddUser, log_in: LogIn
) -> None:
    rule = get_settings().rate_limit_email_verification_per_user
    await log_in(anonymous, await add_user(email_verified_at=None))
    for _ in range(allowed(rule)):
        assert (await anonymous.post("/api/auth/email-verification")).status_code == 202

    assert_limited(await anonymous.post("/api/auth/email-verification"), rule)


async def test_guessing_the_current_password_counts_against_the_account(
    client: httpx.AsyncClient,
) -> None:
    rule = get_settings().rate_limit_login_per_account
    wrong = {"password": "not the password at all"}
    for _ in range(allowed(rule)):
        response = await client.request("DELETE", "/api/account", json=wrong)
        assert response.status_code == 422

    response = await client.request("DELETE", "/api/account", json={"password": PASSWORD})

    assert_limited(response, rule)
