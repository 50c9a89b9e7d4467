"""Server-side login sessions: created on log-in, found by the cookie's digest, renewed, revoked."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, Interval, and_, bindparam, or_
from sqlalchemy.orm import aliased
from sqlmodel import col, delete, func, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts.impersonation import end_impersonation, end_impersonations_of, has_expired
from app.accounts.tokens import digest, new_token
from app.models.account import LiveSession, LoginSession, Role, User
from app.settings import get_settings

if TYPE_CHECKING:  # annotations only: the worker imports this module, and no FastAPI
    from fastapi import Request, Response


@dataclass(frozen=True)
class SignedIn:
    """The request's valid session and its user, found together by one indexed query."""

    session: LiveSession
    user: User
    impersonator: User | None = None  # the admin acting as `user` (app/admin/impersonation.py)


async def start_session(db: AsyncSession, user: User, request: Request, response: Response) -> None:
    """A fresh token for a fresh row (never reuse one: rotation stops session fixation)."""
    token = new_token()
    user_agent = request.headers.get("user-agent")
    db.add(
        LoginSession(
            user_id=user.id,
            token_hash=digest(token),
            user_agent=user_agent[:512] if user_agent else None,
            ip=request.client.host if request.client else None,
        )
    )
    await db.commit()
    set_cookie(response, token)


def is_live() -> ColumnElement[bool]:
    """Neither idle for too long nor older than the absolute limit; execute with `live_limits()`.

    The limits are bound parameters, not literals, so statements using this are built once.
    """
    now = func.now()
    return and_(
        col(LoginSession.last_seen_at) > now - bindparam("idle_timeout", type_=Interval),
        col(LoginSession.created_at) > now - bindparam("max_age", type_=Interval),
    )


def live_limits() -> dict[str, timedelta]:
    """The parameters of `is_live()`, from the settings."""
    settings = get_settings()
    return {
        "idle_timeout": timedelta(minutes=settings.session_idle_timeout_minutes),
        "max_age": timedelta(days=settings.session_max_age_days),
    }


# Built once: every request runs it, and building it again would cost more than sending it.
# Every request pays for what this loads: the session is read as columns, not as an ORM object,
# and the admin of a "log in as" only by id (loaded by `find_session` when there is one).
_impersonator = aliased(User)
SIGNED_IN_COLUMNS: list[Any] = [
    User,
    func.now().label("database_now"),
    *(
        getattr(LoginSession, field.name).label(f"session_{field.name}")
        for field in fields(LiveSession)
    ),
]
LIVE_SESSION_OF_TOKEN = (
    select(*SIGNED_IN_COLUMNS)
    .join(User, col(User.id) == col(LoginSession.user_id))
    .outerjoin(_impersonator, col(_impersonator.id) == col(LoginSession.impersonator_id))
    .where(
        col(LoginSession.token_hash) == bindparam("token_hash"),
        is_live(),
        col(User.is_active),
        # "log in as" holds only while the admin is still an active admin
        or_(
            col(LoginSession.impersonator_id).is_(None),
            and_(col(_impersonator.is_active), col(_impersonator.role) == Role.ADMIN),
        ),
    )
)


async def find_session(db: AsyncSession, token: str) -> SignedIn | None:
    """The live session of an active user holding this token; renewed at most once an interval."""
    parameters = {"token_hash": digest(token), **live_limits()}
    row = (await db.exec(LIVE_SESSION_OF_TOKEN, params=parameters)).one_or_none()
    if row is None:
        return None
    user, database_now = row.User, row.database_now
    session = LiveSession(
        **{field.name: getattr(row, f"session_{field.name}") for field in fields(LiveSession)}
    )
    await _renew_if_due(db, session, database_now)
    if session.impersonator_id is None:
        return SignedIn(session=session, user=user)
    admin = await db.get_one(User, session.impersonator_id)
    if not has_expired(session, database_now):
        return SignedIn(session=session, user=user, impersonator=admin)
    # In a transaction of its own, so the audit event and the hand-back commit together:
    # a read request's session commits each statement on its own (app/db.py).
    async with AsyncSession(db.bind, expire_on_commit=False) as ending:
        await end_impersonation(ending, session, "expired")
    returned = replace(
        session, user_id=admin.id, impersonator_id=None, impersonation_started_at=None
    )
    return SignedIn(session=returned, user=admin)


async def _renew_if_due(db: AsyncSession, session: LiveSession, now: datetime) -> None:
    """Slide the idle expiry forward, writing only once per renewal interval, not per request."""
    interval = timedelta(seconds=get_settings().session_renewal_interval_seconds)
    if now - session.last_seen_at < interval:
        return
    await db.exec(
        update(LoginSession).where(col(LoginSession.id) == session.id).values(last_seen_at=now)
    )
    await db.commit()


async def revoke_token(db: AsyncSession, token: str) -> None:
    """End the session this cookie token belongs to, if any (log-out, and log-in's rotation)."""
    await db.exec(delete(LoginSession).where(col(LoginSession.token_hash) == digest(token)))
    await db.commit()


async def revoke_sessions(
    db: AsyncSession,
    user: User,
    *,
    keep: LiveSession | None = None,
    request: Request | None = None,
) -> None:
    """Revoke every session of the user (but `keep`, when given); an admin's "log in as" the
    user goes back to the admin, and one the user holds as an admin ends with its session."""
    await end_impersonations_of(db, user, request, keep=keep)
    statement = delete(LoginSession).where(col(LoginSession.user_id) == user.id)
    if keep is not None:
        statement = statement.where(col(LoginSession.id) != keep.id)
    await db.exec(statement)
    await db.commit()


def set_cookie(response: Response, token: str) -> None:
    settings = get_settings()
    response.set_cookie(
        settings.session_cookie_name,
        token,
        max_age=settings.session_max_age_days * 24 * 3600,
        path="/",
        secure=settings.is_production,
        httponly=True,
        samesite="lax",
    )


def clear_cookie(response: Response) -> None:
    settings = get_settings()
    response.delete_cookie(
        settings.session_cookie_name,
        path="/",
        secure=settings.is_production,
        httponly=True,
        samesite="lax",
    )
