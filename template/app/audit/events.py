"""Recording audit events: added to the caller's session, so they commit (or roll back) with it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlmodel.ext.asyncio.session import AsyncSession

from app.models.account import User, UserId
from app.models.audit import AuditEvent, AuditKind

if TYPE_CHECKING:  # annotations only: the worker imports this module, and no FastAPI
    from fastapi import Request


def record(
    db: AsyncSession,
    kind: AuditKind,
    *,
    actor: User | UserId | None,
    subject: User | UserId | None,
    request: Request | None = None,
    **details: Any,
) -> AuditEvent:
    """Add one event to `db` without committing: the caller's commit writes it together with
    the change it describes, and a failed or rolled-back change leaves no event behind."""
    user_agent = request.headers.get("user-agent") if request else None
    event = AuditEvent(
        kind=kind,
        actor_id=actor.id if isinstance(actor, User) else actor,
        subject_id=subject.id if isinstance(subject, User) else subject,
        ip=request.client.host if request and request.client else None,
        user_agent=user_agent[:512] if user_agent else None,
        details=details,
    )
    db.add(event)
    return event
