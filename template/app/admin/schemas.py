"""API shapes of the admin console: users as an admin sees them, audit events, pages of both."""

from datetime import datetime
from typing import Any

from pydantic import Field
from sqlmodel import SQLModel

from app.accounts.schemas import UserPublic
from app.models.account import Role, SessionId, UserId
from app.models.audit import AuditEventId, AuditKind
from app.models.base import RequestModel
from app.models.types import PageLimit, PageOffset


class UserAdminView(UserPublic):
    is_active: bool
    updated_at: datetime


class UsersPage(SQLModel):
    items: list[UserAdminView]
    total: int
    limit: PageLimit
    offset: PageOffset


class UserSession(SQLModel):
    id: SessionId
    created_at: datetime
    last_seen_at: datetime
    user_agent: str | None
    ip: str | None
    impersonator_id: UserId | None


class UserDetail(UserAdminView):
    """One user with what an admin needs to help them (last login: while the trail keeps it)."""

    last_login_at: datetime | None
    item_count: int
    sessions: list[UserSession]


class RoleChange(RequestModel):
    role: Role = Field(strict=False)  # the enum's value, a JSON string


class AuditEventPublic(SQLModel):
    id: AuditEventId
    created_at: datetime
    kind: AuditKind
    actor_id: UserId | None
    actor_email: str | None  # null when the account no longer exists
    subject_id: UserId | None
    subject_email: str | None
    ip: str | None
    user_agent: str | None
    details: dict[str, Any]


class AuditEventsPage(SQLModel):
    items: list[AuditEventPublic]
    total: int
    limit: PageLimit
    offset: PageOffset
