"""The audit trail of the accounts flows: each action writes exactly one event, with the right
actor and subject, in its own transaction, and a refused action writes none."""

from collections.abc import Awaitable, Callable
from datetime import timedelta

import httpx
import pytest
from sqlalchemy.exc import DBAPIError
from sqlmodel import col, update
from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts.email_tokens import new_email_token
from app.models.account import TokenPurpose, User
from app.models.audit import AuditEvent, AuditKind
from tests.factories import PASSWORD

AddUser = Callable[..., Awaitable[User]]
AuditTrail = Callable[[], Awaitable[list[AuditEvent]]]
NEW_PASSWORD = "a brand new and long passphrase"
BROWSER = {"User-Agent": "AuditTest/1.0"}


def who(event: AuditEvent) -> tuple[str, object, object]:
    return event.kind, event.actor_id, event.subject_id


async def test_sign_up_writes_one_event(
    anonymous: httpx.AsyncClient, audit_trail: AuditTrail
) -> None:
    response = await anonymous.post(
        "/api/auth/signup", json={"email": "new@example.com", "password": PASSWORD}
    )

    user_id = response.json()["id"]
    [event] = await audit_trail()
    assert (event.kind, str(event.actor_id), str(event.subject_id)) == (
        AuditKind.SIGNED_UP,
        user_id,
        user_id,
    )


async def test_a_refused_sign_up_writes_nothing(
    anonymous: httpx.AsyncClient, user: User, audit_trail: AuditTrail
) -> None:
    taken = await anonymous.post(
        "/api/auth/signup", json={"email": user.email.upper(), "password": PASSWORD}
    )
    too_short = await anonymous.post(
        "/api/auth/signup", json={"email": "short@example.com", "password": "short"}
    )

    assert (taken.status_code, too_short.status_code) == (409, 422)
    assert await audit_trail() == []


async def test_log_in_is_recorded_with_ip_and_user_agent(
    anonymous: httpx.AsyncClient, user: User, audit_trail: AuditTrail
) -> None:
    await anonymous.post(
        "/api/auth/login", json={"email": user.email, "password": PASSWORD}, headers=BROWSER
    )

    [event] = await audit_trail()
    assert who(event) == (AuditKind.LOGGED_IN, user.id, user.id)
    assert (event.ip, event.user_agent) == ("127.0.0.1", "AuditTest/1.0")


async def test_a_wrong_password_is_recorded_against_the_account(
    anonymous: httpx.AsyncClient, user: User, audit_trail: AuditTrail
) -> None:
    response = await anonymous.post(
        "/api/auth/login", json={"email": user.email, "password": "wrong"}, headers=BROWSER
    )

    assert response.status_code == 401
    [event] = await audit_trail()
    assert who(event) == (AuditKind.LOGIN_FAILED, None, user.id)
    assert event.details == {"reason": "invalid_credentials"}
    assert (event.ip, event.user_agent) == ("127.0.0.1", "AuditTest/1.0")


async def test_an_unknown_email_is_recorded_with_the_address_tried(
    anonymous: httpx.AsyncClient, audit_trail: AuditTrail
) -> None:
    await anonymous.post("/api/auth/login", json={"email": "Nobody@Example.com", "password": "x"})

    [event] = await audit_trail()
    assert who(event) == (AuditKind.LOGIN_FAILED, None, None)
    assert event.details == {"reason": "invalid_credentials", "email": "nobody@example.com"}


async def test_a_malformed_log_in_writes_nothing(
    anonymous: httpx.AsyncClient, audit_trail: AuditTrail
) -> None:
    response = await anonymous.post("/api/auth/login", json={"email": "not an email"})

    assert response.status_code == 422
    assert await audit_trail() == []


async def test_log_out_writes_one_event(
    client: httpx.AsyncClient, user: User, audit_trail: AuditTrail
) -> None:
    await client.post("/api/auth/logout")

    assert [who(event) for event in await audit_trail()] == [
        (AuditKind.LOGGED_OUT, user.id, user.id)
    ]


async def test_password_change_writes_one_event_and_a_wrong_current_one_none(
    client: httpx.AsyncClient, user: User, audit_trail: AuditTrail
) -> None:
    refused = await client.put(
        "/api/account/password", json={"current_password": "wrong", "new_password": NEW_PASSWORD}
    )
    assert refused.status_code == 422
    assert await audit_trail() == []

    changed = await client.put(
        "/api/account/password", json={"current_password": PASSWORD, "new_password": NEW_PASSWORD}
    )

    assert changed.status_code == 204
    assert [who(e) for e in await audit_trail()] == [(AuditKind.PASSWORD_CHANGED, user.id, user.id)]


async def test_email_change_records_both_addresses_and_a_taken_one_nothing(
    client: httpx.AsyncClient, user: User, add_user: AddUser, audit_trail: AuditTrail
) -> None:
    other = await add_user()
    old_email = user.email
    taken = await client.put(
        "/api/account/email", json={"new_email": other.email, "current_password": PASSWORD}
    )
    assert taken.status_code == 409
    assert await audit_trail() == []

    await client.put(
        "/api/account/email", json={"new_email": "moved@example.com", "current_password": PASSWORD}
    )

    [event] = await audit_trail()
    assert who(event) == (AuditKind.EMAIL_CHANGED, user.id, user.id)
    assert event.details == {"old_email": old_email, "new_email": "moved@example.com"}


async def test_password_reset_writes_one_event_and_a_bad_password_none(
    anonymous: httpx.AsyncClient, user: User, session: AsyncSession, audit_trail: AuditTrail
) -> None:
    token, row = new_email_token(user, TokenPurpose.RESET_PASSWORD, timedelta(minutes=5))
    session.add(row)
    await session.commit()
    confirm = "/api/auth/password-reset/confirm"

    weak = await anonymous.post(confirm, json={"token": token, "new_password": "password"})
    assert weak.status_code == 422
    assert await audit_trail() == []

    reset = await anonymous.post(confirm, json={"token": token, "new_password": NEW_PASSWORD})

    assert reset.status_code == 204
    assert [who(e) for e in await audit_trail()] == [(AuditKind.PASSWORD_RESET, user.id, user.id)]


async def test_account_deletion_is_recorded_after_the_account_is_gone(
    client: httpx.AsyncClient, user: User, audit_trail: AuditTrail
) -> None:
    await client.request("DELETE", "/api/account", json={"password": PASSWORD})

    assert [who(e) for e in await audit_trail()] == [(AuditKind.ACCOUNT_DELETED, user.id, user.id)]


async def test_events_cannot_be_changed(
    client: httpx.AsyncClient, session: AsyncSession, audit_trail: AuditTrail
) -> None:
    await client.post("/api/auth/logout")
    [event] = await audit_trail()

    with pytest.raises(DBAPIError, match="append-only"):
        await session.exec(
            update(AuditEvent).where(col(AuditEvent.id) == event.id).values(kind="logged_in")
        )
    await session.rollback()
