"""Impersonation ("log in as"): an admin's session acts as another user until it ends.

The admin's own session row is switched to the user (`user_id`) and remembers the admin
(`impersonator_id`), so every existing check of "who is signed in" sees the user, while ending
it gives the very same session back to the admin. It ends on "return to admin", on log-out and
after `IMPERSONATION_MAX_MINUTES`; each start and end is an audit event.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Literal

from sqlmodel import col, func, or_, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from app.audit.events import record
from app.models.account import LiveSession, LoginSession, User
from app.models.audit import AuditKind
from app.settings import get_settings

if TYPE_CHECKING:  # annotations only: the worker imports this module, and no FastAPI
    from fastapi import Request

EndReason = Literal["returned", "logged_out", "expired", "revoked"]


def has_expired(session: LiveSession, now: datetime) -> bool:
    started = session.impersonation_started_at
    limit = timedelta(minutes=get_settings().impersonation_max_minutes)
    return started is not None and now - started >= limit


async def start_impersonation(
    db: AsyncSession, session: LiveSession, admin: User, user: User, request: Request
) -> None:
    """Switch the admin's session to `user`; the audit event commits with the switch."""
    await db.exec(
        update(LoginSession)
        .where(col(LoginSession.id) == session.id)
        .values(user_id=user.id, impersonator_id=admin.id, impersonation_started_at=func.now())
    )
    record(db, AuditKind.IMPERSONATION_STARTED, actor=admin, subject=user, request=request)
    await db.commit()


async def end_impersonation(
    db: AsyncSession,
    session: LoginSession | LiveSession,
    reason: EndReason,
    request: Request | None = None,
    *,
    commit: bool = True,
) -> None:
    """Give the session back to its admin (the caller commits when `commit` is false)."""
    assert session.impersonator_id is not None
    record(
        db,
        AuditKind.IMPERSONATION_ENDED,
        actor=session.impersonator_id,
        subject=session.user_id,
        request=request,
        reason=reason,
    )
    await db.exec(
        update(LoginSession)
        .where(col(LoginSession.id) == session.id)
        .values(
            user_id=session.impersonator_id, impersonator_id=None, impersonation_started_at=None
        )
    )
    if commit:
        await db.commit()


async def end_impersonations_of(
    db: AsyncSession,
    user: User,
    request: Request | None = None,
    *,
    keep: LiveSession | None = None,
) -> None:
    """End every "log in as" by or of `user` but `keep`'s, without committing ("revoked").

    Sessions return to their admins: ones acting as `user` stay the admin's, and an admin's own
    is theirs again, so revoking `user`'s sessions next takes it too.
    """
    statement = select(LoginSession).where(
        col(LoginSession.impersonator_id).is_not(None),
        or_(col(LoginSession.user_id) == user.id, col(LoginSession.impersonator_id) == user.id),
    )
    if keep is not None:
        statement = statement.where(col(LoginSession.id) != keep.id)
    for session in (await db.exec(statement)).all():
        await end_impersonation(db, session, "revoked", request, commit=False)
