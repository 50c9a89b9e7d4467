"""Rate limits: too many attempts get 429 with Retry-After, never a permanent lockout, and
strangers who use up an account's limit do not lock its owner out."""

import httpx
from fastapi import FastAPI
from limits import parse_many

from app.models.account import User
from app.settings import get_settings
from tests.factories import PASSWORD
from tests.support.accounts import AddUser, LogIn
from tests.support.clients import client_for

WRONG_PASSWORD = "not the password at all"


def allowed(rule: str) -> int:
    return min(item.amount for item in parse_many(rule))


def window_seconds(rule: str) -> int:
    return max(item.get_expiry() for item in parse_many(rule))


def assert_limited(response: httpx.Response, rule: str) -> None:
    assert response.status_code == 429
    assert response.json()["code"] == "rate_limited"
    retry_after = int(response.headers["Retry-After"])
    assert 0 < retry_after <= window_seconds(rule)  # a wait, never a lockout


async def attempt_login(browser: httpx.AsyncClient, email: str, password: str) -> httpx.Response:
    return await browser.post("/api/auth/login", json={"email": email, "password": password})


async def fail_from_addresses(app: FastAPI, email: str, failures: int) -> None:
    """`failures` wrong passwords for `email`, from as few addresses as the per-address limit
    allows (a stranger with many machines)."""
    per_address = allowed(get_settings().rate_limit_login_per_account_and_ip)
    for number in range(failures):
        async with client_for(
            app, address=(f"203.0.113.{number // per_address + 1}", 123)
        ) as stranger:
            assert (await attempt_login(stranger, email, WRONG_PASSWORD)).status_code == 401


async def test_failed_logins_from_one_address_are_limited_even_with_the_right_password_after(
    anonymous: httpx.AsyncClient, user: User
) -> None:
    rule = get_settings().rate_limit_login_per_account_and_ip
    for _ in range(allowed(rule)):
        assert (
            await attempt_login(anonymous, user.email.upper(), WRONG_PASSWORD)
        ).status_code == 401

    assert_limited(await attempt_login(anonymous, user.email, PASSWORD), rule)


async def test_a_stranger_at_another_address_does_not_lock_the_owner_out(
    app: FastAPI, anonymous: httpx.AsyncClient, user: User
) -> None:
    rule = get_settings().rate_limit_login_per_account_and_ip
    async with client_for(app, address=("203.0.113.7", 123)) as stranger:
        for _ in range(allowed(rule)):
            assert (await attempt_login(stranger, user.email, WRONG_PASSWORD)).status_code == 401
        assert_limited(await attempt_login(stranger, user.email, PASSWORD), rule)

    assert (await attempt_login(anonymous, user.email, PASSWORD)).status_code == 200


async def test_failed_logins_from_many_addresses_are_capped_per_account(
    app: FastAPI, user: User
) -> None:
    rule = get_settings().rate_limit_login_per_account
    await fail_from_addresses(app, user.email, allowed(rule))

    async with client_for(app, address=("198.51.100.1", 123)) as unknown_browser:
        assert_limited(await attempt_login(unknown_browser, user.email, PASSWORD), rule)


async def test_the_owners_known_browser_logs_in_while_the_account_is_capped(
    app: FastAPI, anonymous: httpx.AsyncClient, user: User
) -> None:
    assert (
        await attempt_login(anonymous, user.email, PASSWORD)
    ).status_code == 200  # a known device
    assert (await anonymous.post("/api/auth/logout")).status_code == 204
    await fail_from_addresses(app, user.email, allowed(get_settings().rate_limit_login_per_account))

    response = await attempt_login(anonymous, user.email, PASSWORD)

    assert response.status_code == 200


async def test_a_known_browser_of_another_account_is_no_way_around_the_cap(
    app: FastAPI, anonymous: httpx.AsyncClient, user: User, add_user: AddUser
) -> None:
    attacker = await add_user()
    assert (await attempt_login(anonymous, attacker.email, PASSWORD)).status_code == 200
    rule = get_settings().rate_limit_login_per_account
    await fail_from_addresses(app, user.email, allowed(rule))

    assert_limited(await attempt_login(anonymous, user.email, PASSWORD), rule)


async def test_failures_on_a_known_browser_are_limited_per_browser(
    anonymous: httpx.AsyncClient, user: User
) -> None:
    assert (await attempt_login(anonymous, user.email, PASSWORD)).status_code == 200
    rule = get_settings().rate_limit_login_per_known_device
    for _ in range(allowed(rule)):
        assert (await attempt_login(anonymous, user.email, WRONG_PASSWORD)).status_code == 401

    assert_limited(await attempt_login(anonymous, user.email, PASSWORD), rule)


async def test_sign_ups_per_ip_are_limited(anonymous: httpx.AsyncClient) -> None:
    rule = get_settings().rate_limit_signup_per_ip
    for number in range(allowed(rule)):
        body = {"email": f"new{number}@example.com", "password": "short"}
        assert (await anonymous.post("/api/auth/signup", json=body)).status_code == 422

    response = await anonymous.post(
        "/api/auth/signup", json={"email": "one.more@example.com", "password": PASSWORD}
    )

    assert_limited(response, rule)


async def test_reset_requests_per_email_are_limited_and_point_to_the_links_sent(
    app: FastAPI,
) -> None:
    rule = get_settings().rate_limit_reset_per_email
    for number in range(allowed(rule)):
        async with client_for(app, address=(f"203.0.113.{number + 1}", 123)) as stranger:
            response = await stranger.post(
                "/api/auth/password-reset", json={"email": "a@example.com"}
            )
            assert response.status_code == 202

    async with client_for(app, address=("198.51.100.1", 123)) as owner:
        response = await owner.post("/api/auth/password-reset", json={"email": "A@example.com"})

    assert_limited(response, rule)
    assert "use the newest one" in response.json()["detail"]
    # ... which still works while new ones are refused (the settings refuse a shorter life)
    assert window_seconds(rule) <= get_settings().password_reset_token_minutes * 60


async def test_verification_requests_per_user_are_limited(
    anonymous: httpx.AsyncClient, add_user: AddUser, log_in: LogIn
) -> None:
    rule = get_settings().rate_limit_email_verification_per_user
    await log_in(anonymous, await add_user(email_verified_at=None))
    for _ in range(allowed(rule)):
        assert (await anonymous.post("/api/auth/email-verification")).status_code == 202

    assert_limited(await anonymous.post("/api/auth/email-verification"), rule)


async def test_guessing_the_current_password_counts_against_the_log_in_limits(
    client: httpx.AsyncClient,
) -> None:
    rule = get_settings().rate_limit_login_per_account_and_ip
    wrong = {"password": WRONG_PASSWORD}
    for _ in range(allowed(rule)):
        response = await client.request("DELETE", "/api/account", json=wrong)
        assert response.status_code == 422

    response = await client.request("DELETE", "/api/account", json={"password": PASSWORD})

    assert_limited(response, rule)
