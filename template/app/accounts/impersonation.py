"""Impersonation ("log in as"): an admin's session acts as another user until it ends.

The admin's own session row is switched to the user (`user_id`) and remembers the admin
(`impersonator_id`), so every existing check of "who is signed in" sees the user, while ending
it gives the very same session back to the admin. It ends on "return to admin", on log-out and
after `IMPERSONATION_MAX_MINUTES`; each start and end is an audit event, and so is every row the
admin changes meanwhile (`audit_changes`).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Literal

from sqlalchemy import event, inspect
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction
from sqlmodel import col, func, or_, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from app.audit.events import record
from app.models.account import LiveSession, LoginSession, User
from app.models.audit import AuditEvent, AuditKind
from app.settings import get_settings

if TYPE_CHECKING:  # annotations only: the worker imports this module, and no FastAPI
    from fastapi import Request

EndReason = Literal["returned", "logged_out", "expired", "revoked"]


# The sign-in's own bookkeeping and the trail itself: not changes made as the user.
NOT_AUDITED_TABLES = frozenset({LoginSession.__tablename__, AuditEvent.__tablename__})
_STATEMENT_KINDS = (("insert", "is_insert"), ("update", "is_update"), ("delete", "is_delete"))
_AUDITOR = "impersonation_auditor"  # the key in `Session.info`


def audit_changes(db: AsyncSession, admin: User, user: User, request: Request) -> None:
    """From now on, record every row `db` inserts, updates or deletes as an audit event naming
    the admin (actor) and the user (subject), in the same transaction as the change: objects at
    each flush, statements (`update(...)`, `delete(...)`) as they run."""

    def audited(table: str, operation: str, row_id: str | None = None) -> None:
        if table not in NOT_AUDITED_TABLES:
            where = {"row_id": row_id} if row_id is not None else {}
            record(
                db,
                AuditKind.IMPERSONATED_CHANGE,
                actor=admin,
                subject=user,
                request=request,
                table=table,
                operation=operation,
                **where,
            )

    db.info[_AUDITOR] = audited


def stop_auditing_changes(db: AsyncSession) -> None:
    """`db` serves someone acting as themselves (tests reuse one session for many requests)."""
    db.info.pop(_AUDITOR, None)


@event.listens_for(Session, "before_flush")
def _audit_flushed_rows(session: Session, _context: UOWTransaction, _instances: object) -> None:
    audited = session.info.get(_AUDITOR)
    if audited is None:
        return
    changes = [
        *(("insert", row) for row in session.new),
        *(("update", row) for row in session.dirty if session.is_modified(row)),
        *(("delete", row) for row in session.deleted),
    ]
    for operation, row in changes:
        mapper = inspect(row).mapper
        key = ",".join(str(part) for part in mapper.primary_key_from_instance(row))
        audited(mapper.local_table.name, operation, key)


@event.listens_for(Session, "do_orm_execute")
def _audit_statement(state: ORMExecuteState) -> None:
    audited = state.session.info.get(_AUDITOR)
    operation = next((name for name, is_it in _STATEMENT_KINDS if getattr(state, is_it)), None)
    if audited is not None and operation is not None:
        audited(state.statement.table.name, operation)  # type: ignore[attr-defined]


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
