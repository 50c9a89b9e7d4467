"""Accounts in tests: session cookies (made or read), email tokens, counting sessions."""

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

import httpx
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts.email_tokens import new_email_token
from app.accounts.tokens import digest, new_token
from app.jobs.db import worker_session
from app.models.account import LoginSession, TokenPurpose, User, UserId
from app.settings import get_settings

AddUser = Callable[..., Awaitable[User]]
LogIn = Callable[[httpx.AsyncClient, User], Awaitable[str]]


def committed_login(user_id: UserId) -> dict[str, str]:
    """The cookie of a new session of this user, committed for real so a server process sees it."""
    token = new_token()
    with worker_session() as session:
        session.add(LoginSession(user_id=user_id, token_hash=digest(token)))
        session.commit()
    return {get_settings().session_cookie_name: token}


def session_cookie_header(response: httpx.Response) -> str:
    """The Set-Cookie header of the session cookie (asserting there is exactly one)."""
    name = get_settings().session_cookie_name
    [header] = [h for h in response.headers.get_list("set-cookie") if h.startswith(f"{name}=")]
    return header


async def count_sessions(session: AsyncSession, user: User) -> int:
    statement = select(func.count()).where(col(LoginSession.user_id) == user.id)
    return (await session.exec(statement)).one()


async def add_email_token(
    session: AsyncSession,
    user: User,
    purpose: TokenPurpose,
    lifetime: timedelta = timedelta(hours=1),
) -> str:
    """A token as the emails carry it; a negative lifetime makes an expired one."""
    token, row = new_email_token(user, purpose, lifetime)
    session.add(row)
    await session.commit()
    return token


def ago(**delta: float) -> datetime:
    return datetime.now(UTC) - timedelta(**delta)
