"""Changing an account's role, the one way the admin console and `app users promote` share."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts.impersonation import end_impersonations_of
from app.audit.events import record
from app.models.account import Role, User
from app.models.audit import AuditKind

if TYPE_CHECKING:  # annotations only: the command line imports this module, and no FastAPI
    from fastapi import Request


async def set_role(
    db: AsyncSession, user: User, role: Role, *, actor: User | None, request: Request | None
) -> None:
    """Give `user` the role and commit, with a `role_changed` event naming `actor` (None: from
    the command line); nothing happens when they have it already. A demoted admin's "log in
    as" ends now."""
    if user.role == role:
        return
    if user.role == Role.ADMIN:
        await end_impersonations_of(db, user, request)
    record(
        db,
        AuditKind.ROLE_CHANGED,
        actor=actor,
        subject=user,
        request=request,
        old_role=user.role,
        new_role=role,
    )
    user.role = role
    db.add(user)
    await db.commit()
