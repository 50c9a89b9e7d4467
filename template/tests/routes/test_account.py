"""The signed-in user's own account: password, email, deletion and sessions."""

from collections.abc import Awaitable, Callable
from datetime import timedelta

import httpx
import pytest
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession
from typeid import TypeID

from app.accounts.email_tokens import new_email_token
from app.models.account import AccountToken, LoginSession, TokenPurpose, User
from app.models.item import Item
from app.settings import get_settings
from tests.factories import PASSWORD
from tests.support.accounts import (
    AddUser,
    LogIn,
    add_email_token,
    ago,
    count_sessions,
    session_cookie_header,
)

AddItems = Callable[..., Awaitable[list[Item]]]

NEW_PASSWORD = "a brand new passphrase for tests"


async def test_read_account_returns_the_public_fields_only(
    client: httpx.AsyncClient, user: User
) -> None:
    response = await client.get("/api/account")

    assert response.status_code == 200
    public = {"id", "email", "email_verified_at", "role", "created_at"}
    assert set(response.json()) == public | {"impersonator"}  # the admin acting as you, or null
    assert response.json()["email"] == user.email


async def test_read_account_without_a_login_is_401(anonymous: httpx.AsyncClient) -> None:
    response = await anonymous.get("/api/account")

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


async def test_change_password_rotates_this_session_and_ends_the_others(
    client: httpx.AsyncClient, user: User, log_in: LogIn, session: AsyncSession
) -> None:
    old_cookie = client.cookies.get("session")
    other = httpx.AsyncClient(transport=client._transport, base_url="http://testserver")
    await log_in(other, user)

    response = await client.put(
        "/api/account/password",
        json={"current_password": PASSWORD, "new_password": NEW_PASSWORD},
    )

    assert response.status_code == 204
    assert old_cookie is not None
    assert old_cookie not in session_cookie_header(response)
    assert await count_sessions(session, user) == 1
    assert (await client.get("/api/account")).status_code == 200
    assert (await other.get("/api/account")).status_code == 401
    await other.aclose()


async def test_change_password_needs_the_current_one(client: httpx.AsyncClient) -> None:
    response = await client.put(
        "/api/account/password",
        json={"current_password": "not it at all, sorry", "new_password": NEW_PASSWORD},
    )

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "current_password"


async def test_change_password_refuses_a_common_one(client: httpx.AsyncClient) -> None:
    response = await client.put(
        "/api/account/password",
        json={"current_password": PASSWORD, "new_password": "1qaz2wsx3edc4rfv"},
    )

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "new_password"


async def test_change_password_refuses_an_easily_guessed_one_saying_why(
    client: httpx.AsyncClient,
) -> None:
    response = await client.put(
        "/api/account/password",
        json={"current_password": PASSWORD, "new_password": "aaaaaaaaaaaaaaaa"},
    )

    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["field"] == "new_password"
    assert error["message"].startswith("This password is too easy to guess. Repeats like")


async def test_change_email_makes_the_account_unverified_and_sends_a_link(
    client: httpx.AsyncClient, user: User, session: AsyncSession
) -> None:
    response = await client.put(
        "/api/account/email",
        json={"new_email": "new.address@example.com", "current_password": PASSWORD},
    )

    assert response.status_code == 200
    assert response.json()["email"] == "new.address@example.com"
    assert response.json()["email_verified_at"] is None
    [token] = await tokens_of(session, user, TokenPurpose.VERIFY_EMAIL)
    assert token.email == "new.address@example.com"


async def tokens_of(session: AsyncSession, user: User, purpose: TokenPurpose) -> list[AccountToken]:
    statement = select(AccountToken).where(
        col(AccountToken.user_id) == user.id, col(AccountToken.purpose) == purpose
    )
    return list(await session.exec(statement))


async def change_email(client: httpx.AsyncClient, new_email: str) -> httpx.Response:
    body = {"new_email": new_email, "current_password": PASSWORD}
    return await client.put("/api/account/email", json=body)


async def test_a_reset_link_sent_before_an_email_change_no_longer_works(
    client: httpx.AsyncClient, anonymous: httpx.AsyncClient, user: User, session: AsyncSession
) -> None:
    token = await add_email_token(session, user, TokenPurpose.RESET_PASSWORD)
    assert (await change_email(client, "new.address@example.com")).status_code == 200
    client.cookies.clear()

    response = await anonymous.post(
        "/api/auth/password-reset/confirm", json={"token": token, "new_password": NEW_PASSWORD}
    )

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_token"


async def test_an_email_change_logs_out_every_other_session(
    client: httpx.AsyncClient, user: User, log_in: LogIn, session: AsyncSession
) -> None:
    other = httpx.AsyncClient(transport=client._transport, base_url="http://testserver")
    await log_in(other, user)

    assert (await change_email(client, "new.address@example.com")).status_code == 200

    assert await count_sessions(session, user) == 1
    assert (await client.get("/api/account")).status_code == 200
    assert (await other.get("/api/account")).status_code == 401
    await other.aclose()


async def test_an_email_change_leaves_the_old_address_a_way_back_that_a_second_change_keeps(
    client: httpx.AsyncClient, user: User, session: AsyncSession
) -> None:
    old_email = user.email
    assert (await change_email(client, "new.address@example.com")).status_code == 200
    assert (await change_email(client, "newer.address@example.com")).status_code == 200

    links = await tokens_of(session, user, TokenPurpose.RESET_PASSWORD)

    assert sorted(link.email for link in links) == sorted([old_email, "new.address@example.com"])
    days = get_settings().email_change_undo_days
    assert all(link.expires_at > ago(days=-days) - timedelta(minutes=1) for link in links)


async def test_the_link_to_an_address_the_account_left_takes_it_back_there(
    client: httpx.AsyncClient, anonymous: httpx.AsyncClient, user: User, session: AsyncSession
) -> None:
    old_email = user.email
    assert (await change_email(client, "thief@example.com")).status_code == 200
    client.cookies.clear()
    token, undo_link = new_email_token(user, TokenPurpose.RESET_PASSWORD, timedelta(days=1))
    undo_link.email = old_email  # as the change emailed it to the old address
    session.add(undo_link)
    await session.commit()

    response = await anonymous.post(
        "/api/auth/password-reset/confirm", json={"token": token, "new_password": NEW_PASSWORD}
    )

    assert response.status_code == 204
    await session.refresh(user)
    assert user.email == old_email
    assert user.email_verified_at is not None
    assert await count_sessions(session, user) == 0
    body = {"email": old_email, "password": NEW_PASSWORD}
    assert (await anonymous.post("/api/auth/login", json=body)).status_code == 200


async def test_change_email_to_a_taken_address_is_409(
    client: httpx.AsyncClient, add_user: AddUser
) -> None:
    await add_user(email="taken@example.com")

    response = await client.put(
        "/api/account/email",
        json={"new_email": "Taken@Example.com", "current_password": PASSWORD},
    )

    assert response.status_code == 409
    assert response.json()["code"] == "email_taken"


async def test_change_email_needs_the_current_password(client: httpx.AsyncClient) -> None:
    response = await client.put(
        "/api/account/email",
        json={"new_email": "new.address@example.com", "current_password": "wrong password!"},
    )

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "current_password"


async def test_delete_account_removes_the_user_and_their_items(
    client: httpx.AsyncClient, user: User, add_items: AddItems, session: AsyncSession
) -> None:
    [item] = await add_items(1)
    user_id, item_id = user.id, item.id

    response = await client.request("DELETE", "/api/account", json={"password": PASSWORD})

    assert response.status_code == 204
    session.expunge_all()
    assert await session.get(User, user_id) is None
    assert await session.get(Item, item_id) is None
    assert (await client.get("/api/account")).status_code == 401


async def test_delete_account_needs_the_password(client: httpx.AsyncClient) -> None:
    response = await client.request("DELETE", "/api/account", json={"password": "wrong one!"})

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "password"


async def test_list_sessions_marks_the_current_one(
    client: httpx.AsyncClient, user: User, log_in: LogIn
) -> None:
    other = httpx.AsyncClient(transport=client._transport, base_url="http://testserver")
    await log_in(other, user)

    response = await client.get("/api/account/sessions")

    assert response.status_code == 200
    sessions = response.json()
    assert len(sessions) == 2
    assert sorted(entry["current"] for entry in sessions) == [False, True]
    assert all(entry["id"].startswith("session_") for entry in sessions)
    assert set(sessions[0]) == {"id", "created_at", "last_seen_at", "user_agent", "ip", "current"}
    await other.aclose()


async def test_revoke_one_session_logs_that_browser_out(
    client: httpx.AsyncClient, user: User, log_in: LogIn, session: AsyncSession
) -> None:
    other = httpx.AsyncClient(
        transport=client._transport, base_url="http://testserver", headers=client.headers
    )
    await log_in(other, user)
    sessions = (await client.get("/api/account/sessions")).json()
    [theirs] = [entry for entry in sessions if not entry["current"]]

    response = await client.delete(f"/api/account/sessions/{theirs['id']}")

    assert response.status_code == 204
    assert (await other.get("/api/account")).status_code == 401
    assert (await client.get("/api/account")).status_code == 200
    await other.aclose()


@pytest.mark.parametrize("whose", ["someone else's", "unknown"])
async def test_revoking_a_session_that_is_not_yours_is_404(
    client: httpx.AsyncClient, add_user: AddUser, log_in: LogIn, session: AsyncSession, whose: str
) -> None:
    if whose == "unknown":
        session_id = str(TypeID("session"))
    else:
        stranger = await add_user()
        async with httpx.AsyncClient() as stranger_client:
            await log_in(stranger_client, stranger)
        [row] = await session.exec(
            select(LoginSession).where(col(LoginSession.user_id) == stranger.id)
        )
        session_id = str(row.id)

    response = await client.delete(f"/api/account/sessions/{session_id}")

    assert response.status_code == 404
    if whose != "unknown":
        assert await count_sessions(session, stranger) == 1


async def test_revoke_other_sessions_keeps_this_one(
    client: httpx.AsyncClient, user: User, log_in: LogIn, session: AsyncSession
) -> None:
    for _ in range(2):
        async with httpx.AsyncClient() as elsewhere:
            await log_in(elsewhere, user)

    response = await client.delete("/api/account/sessions")

    assert response.status_code == 204
    assert await count_sessions(session, user) == 1
    assert (await client.get("/api/account")).status_code == 200


async def test_the_link_to_a_left_address_taken_meanwhile_is_409_and_changes_nothing(
    client: httpx.AsyncClient,
    anonymous: httpx.AsyncClient,
    user: User,
    add_user: AddUser,
    session: AsyncSession,
) -> None:
    old_email = user.email
    assert (await change_email(client, "moved@example.com")).status_code == 200
    client.cookies.clear()
    token, undo_link = new_email_token(user, TokenPurpose.RESET_PASSWORD, timedelta(days=1))
    undo_link.email = old_email
    session.add(undo_link)
    await session.commit()
    await add_user(email=old_email)

    response = await anonymous.post(
        "/api/auth/password-reset/confirm", json={"token": token, "new_password": NEW_PASSWORD}
    )

    assert response.status_code == 409
    assert response.json()["code"] == "email_taken"
    await session.refresh(user)
    assert user.email == "moved@example.com"
