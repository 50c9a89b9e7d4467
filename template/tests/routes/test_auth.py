"""Signing up, in and out, sessions, emailed links: every flow and its rejections."""

import secrets
from datetime import timedelta

import httpx
import pytest
from pwdlib.hashers.argon2 import Argon2Hasher
from sqlalchemy import event, orm
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import Session, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts.emails import send_password_reset_email
from app.accounts.passwords import (
    ARGON2_MEMORY_COST_KIB,
    ARGON2_TIME_COST,
    TEST_ARGON2_MEMORY_COST_KIB,
    TEST_ARGON2_TIME_COST,
    hash_password,
)
from app.accounts.tokens import digest
from app.models.account import AccountToken, LoginSession, TokenPurpose, User
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
from tests.support.settings import OverrideSettings

NEW_PASSWORD = "a brand new passphrase for tests"


async def test_sign_up_creates_an_unverified_account_logged_in_by_an_httponly_cookie(
    anonymous: httpx.AsyncClient, session: AsyncSession
) -> None:
    response = await anonymous.post(
        "/api/auth/signup", json={"email": "Ada@Example.com", "password": PASSWORD}
    )

    assert response.status_code == 201
    body = response.json()
    assert body["id"].startswith("user_")
    assert body["email"] == "Ada@example.com"  # the domain is normalised, the local part kept
    assert body["email_verified_at"] is None
    assert body["role"] == "member"
    assert "password" not in str(body)
    cookie = session_cookie_header(response).lower()
    assert "httponly" in cookie
    assert "samesite=lax" in cookie
    assert "path=/" in cookie
    assert (await anonymous.get("/api/account")).json()["id"] == body["id"]
    tokens = await session.exec(
        select(AccountToken).where(col(AccountToken.email) == body["email"])
    )
    assert [token.purpose for token in tokens] == [TokenPurpose.VERIFY_EMAIL]


async def test_sign_up_with_a_taken_email_in_another_case_is_409(
    anonymous: httpx.AsyncClient, add_user: AddUser
) -> None:
    await add_user(email="grace@example.com")

    response = await anonymous.post(
        "/api/auth/signup", json={"email": "GRACE@example.com", "password": PASSWORD}
    )

    assert response.status_code == 409
    assert response.json()["code"] == "email_taken"


@pytest.mark.parametrize(
    "look_alike", ["\u212aelvin@example.com", "\uff4b\uff45\uff4c\uff56\uff49\uff4e@example.com"]
)
async def test_a_look_alike_of_a_taken_address_is_the_same_address(
    anonymous: httpx.AsyncClient, add_user: AddUser, look_alike: str
) -> None:
    """The KELVIN SIGN and fullwidth letters fold to plain ones (NFKC): one person, one account,
    and the owner logs in with either spelling."""
    await add_user(email="kelvin@example.com")

    sign_up = await anonymous.post(
        "/api/auth/signup", json={"email": look_alike, "password": PASSWORD}
    )
    log_in = await anonymous.post(
        "/api/auth/login", json={"email": look_alike, "password": PASSWORD}
    )

    assert sign_up.status_code == 409
    assert log_in.status_code == 200


@pytest.mark.parametrize(
    "address", ["\u0430da@example.com", "j\u00fcrgen@example.com", "ada@b\u00fccher.example"]
)
async def test_an_address_outside_ascii_is_refused_at_sign_up(
    anonymous: httpx.AsyncClient, address: str
) -> None:
    """The Cyrillic U+0430 reads as `a`; mail servers without SMTPUTF8 refuse such addresses."""
    response = await anonymous.post(
        "/api/auth/signup", json={"email": address, "password": PASSWORD}
    )

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "email"
    assert "plain form" in response.json()["errors"][0]["message"]


async def test_the_database_itself_refuses_emails_differing_only_in_case(
    add_user: AddUser, session: AsyncSession
) -> None:
    await add_user(email="linus@example.com")

    with pytest.raises(Exception, match="users_email_lower_key"):  # IntegrityError
        await add_user(email="LINUS@EXAMPLE.COM")
    await session.rollback()


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("short", "at least"),
        ("qwerty123456789", "too common"),
        ("passwordpassword", "too easy to guess. Repeats like"),
        ("aaaaaaaaaaaaaaaa", "too easy to guess. Repeats like"),
        ("123456789012345", "too easy to guess"),
        ("abcdefghijklmnopq", "too easy to guess. Sequences like"),
        ("x" * 300, "at most"),
        ("someone.long@example.com", "email address"),
    ],
)
async def test_sign_up_refuses_weak_passwords_on_the_password_field(
    anonymous: httpx.AsyncClient, password: str, problem: str
) -> None:
    response = await anonymous.post(
        "/api/auth/signup", json={"email": "someone.long@example.com", "password": password}
    )

    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["field"] == "password"
    assert problem in error["message"]


async def test_log_in_sets_a_new_cookie_and_ends_the_browsers_old_session(
    anonymous: httpx.AsyncClient, user: User, log_in: LogIn, session: AsyncSession
) -> None:
    old_token = await log_in(anonymous, user)

    response = await anonymous.post(
        "/api/auth/login", json={"email": user.email.upper(), "password": PASSWORD}
    )

    assert response.status_code == 200
    assert response.json()["id"] == str(user.id)
    assert old_token not in session_cookie_header(response)
    old = await session.exec(
        select(LoginSession).where(col(LoginSession.token_hash) == digest(old_token))
    )
    assert old.first() is None
    assert await count_sessions(session, user) == 1
    assert (await anonymous.get("/api/account")).status_code == 200


@pytest.mark.parametrize("email", ["known", "nobody@example.com"])
async def test_wrong_password_and_unknown_email_get_the_same_401(
    anonymous: httpx.AsyncClient, user: User, email: str
) -> None:
    response = await anonymous.post(
        "/api/auth/login",
        json={"email": user.email if email == "known" else email, "password": "wrong " * 4},
    )

    assert response.status_code == 401
    assert response.json()["code"] == "invalid_credentials"
    assert response.json()["detail"] == "Wrong email or password."
    assert "set-cookie" not in response.headers


async def test_a_deactivated_user_cannot_log_in_and_its_sessions_stop_working(
    anonymous: httpx.AsyncClient, add_user: AddUser, log_in: LogIn, session: AsyncSession
) -> None:
    user = await add_user()
    await log_in(anonymous, user)
    user.is_active = False
    session.add(user)
    await session.commit()

    me = await anonymous.get("/api/account")
    login = await anonymous.post(
        "/api/auth/login", json={"email": user.email, "password": PASSWORD}
    )

    assert me.status_code == 401
    assert login.status_code == 403
    assert login.json()["code"] == "forbidden"


async def test_log_in_rehashes_a_password_hashed_with_old_parameters(
    anonymous: httpx.AsyncClient, add_user: AddUser, session: AsyncSession
) -> None:
    old_hash = Argon2Hasher(time_cost=1, memory_cost=8 * 1024, parallelism=1).hash(PASSWORD)
    user = await add_user(password_hash=old_hash)

    response = await anonymous.post(
        "/api/auth/login", json={"email": user.email, "password": PASSWORD}
    )

    assert response.status_code == 200
    await session.refresh(user)
    assert user.password_hash != old_hash
    assert f"m={TEST_ARGON2_MEMORY_COST_KIB},t={TEST_ARGON2_TIME_COST}," in user.password_hash


@pytest.mark.parametrize("environment", ["development", "production"])
def test_only_the_test_environment_hashes_below_the_owasp_profile(
    override_settings: OverrideSettings, environment: str
) -> None:
    override_settings(ENVIRONMENT=environment, SECRET_KEY=secrets.token_urlsafe(32))

    assert f"m={ARGON2_MEMORY_COST_KIB},t={ARGON2_TIME_COST},p=1$" in hash_password(PASSWORD)


async def test_log_out_revokes_the_session_and_clears_the_cookie(
    client: httpx.AsyncClient, user: User, session: AsyncSession
) -> None:
    response = await client.post("/api/auth/logout")

    assert response.status_code == 204
    assert "max-age=0" in session_cookie_header(response).lower()
    assert await count_sessions(session, user) == 0
    assert (await client.get("/api/account")).status_code == 401


@pytest.mark.parametrize("cookie", ["", "tampered-or-made-up-token", "x" * 5000])
async def test_an_unknown_or_tampered_cookie_is_401(
    anonymous: httpx.AsyncClient, cookie: str
) -> None:
    anonymous.cookies.set(get_settings().session_cookie_name, cookie)

    response = await anonymous.get("/api/account")

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


async def test_a_token_one_character_off_is_401(
    anonymous: httpx.AsyncClient, user: User, log_in: LogIn
) -> None:
    token = await log_in(anonymous, user)
    anonymous.cookies.set(
        get_settings().session_cookie_name, token[:-1] + ("A" if token[-1] != "A" else "B")
    )

    assert (await anonymous.get("/api/account")).status_code == 401


@pytest.mark.parametrize(
    "age",
    [
        {"last_seen_at": "idle"},
        {"created_at": "old"},
    ],
)
async def test_idle_and_too_old_sessions_are_401(
    client: httpx.AsyncClient, user: User, session: AsyncSession, age: dict[str, str]
) -> None:
    settings = get_settings()
    [row] = await session.exec(select(LoginSession).where(col(LoginSession.user_id) == user.id))
    if "last_seen_at" in age:
        row.last_seen_at = ago(minutes=settings.session_idle_timeout_minutes + 1)
    else:
        row.created_at = ago(days=settings.session_max_age_days, minutes=1)
    session.add(row)
    await session.commit()

    assert (await client.get("/api/account")).status_code == 401


async def test_the_session_slides_forward_at_most_once_per_renewal_interval(
    client: httpx.AsyncClient, user: User, session: AsyncSession
) -> None:
    interval = get_settings().session_renewal_interval_seconds
    [row] = await session.exec(select(LoginSession).where(col(LoginSession.user_id) == user.id))
    recent, stale = ago(seconds=interval / 2), ago(seconds=interval * 2)

    row.last_seen_at = recent
    session.add(row)
    await session.commit()
    await client.get("/api/account")
    await session.refresh(row)
    assert row.last_seen_at == recent  # no write inside the interval

    row.last_seen_at = stale
    session.add(row)
    await session.commit()
    await client.get("/api/account")
    await session.refresh(row)
    assert row.last_seen_at is not None
    assert row.last_seen_at > recent


async def test_password_reset_request_answers_alike_whether_or_not_the_account_exists(
    anonymous: httpx.AsyncClient, user: User
) -> None:
    known = await anonymous.post("/api/auth/password-reset", json={"email": user.email})
    unknown = await anonymous.post("/api/auth/password-reset", json={"email": "no@example.com"})

    assert known.status_code == unknown.status_code == 202
    assert known.content == unknown.content == b""


def _reset_email_sent(db: orm.Session, email: str) -> bool:
    """`send_password_reset_email` as the worker runs it, on the test's transaction."""
    assert isinstance(db, Session)
    return send_password_reset_email(db, email)


async def test_the_reset_job_emails_only_existing_active_accounts(
    session: AsyncSession, add_user: AddUser
) -> None:
    user = await add_user(email="Mixed.Case@example.com")
    inactive = await add_user(is_active=False)

    sent = await session.run_sync(_reset_email_sent, "mixed.case@EXAMPLE.com")
    not_sent = await session.run_sync(_reset_email_sent, "nobody@example.com")
    not_to_inactive = await session.run_sync(_reset_email_sent, inactive.email)

    assert (sent, not_sent, not_to_inactive) == (True, False, False)
    tokens = (await session.exec(select(AccountToken))).all()
    assert [(token.user_id, token.purpose) for token in tokens] == [
        (user.id, TokenPurpose.RESET_PASSWORD)
    ]


async def test_password_reset_sets_the_password_and_revokes_every_session(
    anonymous: httpx.AsyncClient, user: User, log_in: LogIn, session: AsyncSession
) -> None:
    await log_in(anonymous, user)
    token = await add_email_token(session, user, TokenPurpose.RESET_PASSWORD)

    response = await anonymous.post(
        "/api/auth/password-reset/confirm", json={"token": token, "new_password": NEW_PASSWORD}
    )

    assert response.status_code == 204
    assert await count_sessions(session, user) == 0
    assert (await anonymous.get("/api/account")).status_code == 401
    old = await anonymous.post("/api/auth/login", json={"email": user.email, "password": PASSWORD})
    new = await anonymous.post(
        "/api/auth/login", json={"email": user.email, "password": NEW_PASSWORD}
    )
    assert (old.status_code, new.status_code) == (401, 200)


async def test_a_reset_token_works_once(
    anonymous: httpx.AsyncClient, user: User, session: AsyncSession
) -> None:
    token = await add_email_token(session, user, TokenPurpose.RESET_PASSWORD)
    body = {"token": token, "new_password": NEW_PASSWORD}

    first = await anonymous.post("/api/auth/password-reset/confirm", json=body)
    again = await anonymous.post("/api/auth/password-reset/confirm", json=body)

    assert first.status_code == 204
    assert again.status_code == 400
    assert again.json()["code"] == "invalid_token"


@pytest.mark.parametrize("kind", ["expired", "unknown", "other purpose"])
async def test_expired_unknown_or_misused_reset_tokens_are_400(
    anonymous: httpx.AsyncClient, user: User, session: AsyncSession, kind: str
) -> None:
    if kind == "expired":
        token = await add_email_token(
            session, user, TokenPurpose.RESET_PASSWORD, timedelta(seconds=-1)
        )
    elif kind == "other purpose":
        token = await add_email_token(session, user, TokenPurpose.VERIFY_EMAIL)
    else:
        token = "made-up"

    response = await anonymous.post(
        "/api/auth/password-reset/confirm", json={"token": token, "new_password": NEW_PASSWORD}
    )

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_token"


async def test_a_weak_new_password_is_422_and_the_reset_link_still_works(
    anonymous: httpx.AsyncClient, user: User, session: AsyncSession
) -> None:
    token = await add_email_token(session, user, TokenPurpose.RESET_PASSWORD)

    weak = await anonymous.post(
        "/api/auth/password-reset/confirm", json={"token": token, "new_password": "short"}
    )
    guessable = await anonymous.post(
        "/api/auth/password-reset/confirm",
        json={"token": token, "new_password": "passwordpassword"},
    )
    strong = await anonymous.post(
        "/api/auth/password-reset/confirm", json={"token": token, "new_password": NEW_PASSWORD}
    )

    assert weak.status_code == 422
    assert weak.json()["errors"][0]["field"] == "new_password"
    assert guessable.status_code == 422
    [error] = guessable.json()["errors"]
    assert error["field"] == "new_password"
    assert "too easy to guess" in error["message"]
    assert strong.status_code == 204


async def test_email_verification_request_needs_a_login_and_sends_a_link(
    anonymous: httpx.AsyncClient, add_user: AddUser, log_in: LogIn, session: AsyncSession
) -> None:
    user = await add_user(email_verified_at=None)
    refused = await anonymous.post("/api/auth/email-verification")
    await log_in(anonymous, user)

    accepted = await anonymous.post("/api/auth/email-verification")

    assert refused.status_code == 401
    assert accepted.status_code == 202
    tokens = await session.exec(select(AccountToken).where(col(AccountToken.user_id) == user.id))
    assert [token.purpose for token in tokens] == [TokenPurpose.VERIFY_EMAIL]


async def test_verification_confirms_the_address_once_without_a_login(
    anonymous: httpx.AsyncClient, add_user: AddUser, session: AsyncSession
) -> None:
    user = await add_user(email_verified_at=None)
    token = await add_email_token(session, user, TokenPurpose.VERIFY_EMAIL)

    first = await anonymous.post("/api/auth/email-verification/confirm", json={"token": token})
    again = await anonymous.post("/api/auth/email-verification/confirm", json={"token": token})

    assert first.status_code == 200
    assert first.json()["email_verified_at"] is not None
    assert again.status_code == 400
    assert again.json()["code"] == "invalid_token"


async def test_a_verification_link_for_a_previous_address_is_400(
    anonymous: httpx.AsyncClient, add_user: AddUser, session: AsyncSession
) -> None:
    user = await add_user(email_verified_at=None)
    token = await add_email_token(session, user, TokenPurpose.VERIFY_EMAIL)
    user.email = "moved@example.com"
    session.add(user)
    await session.commit()

    response = await anonymous.post("/api/auth/email-verification/confirm", json={"token": token})

    assert response.status_code == 400


async def test_an_expired_verification_link_is_400(
    anonymous: httpx.AsyncClient, add_user: AddUser, session: AsyncSession
) -> None:
    user = await add_user(email_verified_at=None)
    token = await add_email_token(session, user, TokenPurpose.VERIFY_EMAIL, timedelta(seconds=-1))

    response = await anonymous.post("/api/auth/email-verification/confirm", json={"token": token})

    assert response.status_code == 400


async def test_checking_a_session_is_one_query_by_the_unique_token_digest(
    client: httpx.AsyncClient, engine: AsyncEngine
) -> None:
    statements: list[str] = []

    def record(conn: object, cursor: object, statement: str, *args: object) -> None:
        statements.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        response = await client.get("/api/account")
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", record)

    assert response.status_code == 200
    [query] = [s for s in statements if not s.startswith(("SAVEPOINT", "RELEASE", "ROLLBACK"))]
    assert "JOIN users" in query
    assert "sessions.token_hash = " in query  # the unique index's column
