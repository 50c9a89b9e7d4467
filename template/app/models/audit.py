"""The audit trail's table: one append-only row per security-relevant event (logic in app/audit)."""

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any, ClassVar

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel
from typeid import TypeID

from app.models.account import UserId
from app.models.base import TypeIDType, typeid_of, typeid_primary_key
from app.models.types import text

AuditEventId = Annotated[TypeID[str], typeid_of("audit")]


class AuditKind(StrEnum):
    SIGNED_UP = "signed_up"
    LOGGED_IN = "logged_in"
    LOGIN_FAILED = "login_failed"
    LOGGED_OUT = "logged_out"
    # Event names, not passwords:
    PASSWORD_CHANGED = "password_changed"  # noqa: S105  # pragma: allowlist secret
    PASSWORD_RESET = "password_reset"  # noqa: S105  # pragma: allowlist secret
    PASSWORD_RESET_SENT = "password_reset_sent"  # noqa: S105  # pragma: allowlist secret
    EMAIL_CHANGED = "email_changed"
    ACCOUNT_DELETED = "account_deleted"
    ROLE_CHANGED = "role_changed"
    USER_DEACTIVATED = "user_deactivated"
    USER_REACTIVATED = "user_reactivated"
    IMPERSONATION_STARTED = "impersonation_started"
    IMPERSONATION_ENDED = "impersonation_ended"
    IMPERSONATED_CHANGE = "impersonated_change"  # a row an admin changed while acting as a user


def _user_id_column() -> sa.Column:  # type: ignore[type-arg]
    """No foreign key on purpose: the trail outlives the accounts it names."""
    return sa.Column(TypeIDType("user"), nullable=True, index=True)


class AuditEvent(SQLModel, table=True):
    """Who (`actor`) did what (`kind`) to whom (`subject`), from where, and when.

    Rows are only ever inserted (a trigger refuses UPDATE) and deleted by the retention purge.
    """

    __tablename__ = "audit_events"
    __mapper_args__: ClassVar[dict[str, Any]] = {"eager_defaults": True}

    id: AuditEventId = typeid_primary_key("audit")
    created_at: datetime | None = Field(
        default=None,
        sa_column=sa.Column(
            sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False, index=True
        ),
    )
    kind: AuditKind = Field(sa_type=sa.String(32), index=True)
    actor_id: UserId | None = Field(default=None, sa_column=_user_id_column())
    subject_id: UserId | None = Field(default=None, sa_column=_user_id_column())
    ip: Annotated[str, text(max_length=64)] | None = None
    user_agent: Annotated[str, text(max_length=512)] | None = None
    details: dict[str, Any] = Field(
        default_factory=dict,
        sa_column=sa.Column(JSONB, nullable=False, server_default=sa.text("'{}'::jsonb")),
    )
