"""Tables of the accounts area (logic in app/accounts): users, login sessions, email tokens."""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any, ClassVar

import sqlalchemy as sa
from sqlmodel import Field, SQLModel
from typeid import TypeID

from app.models.base import Timestamped, TypeIDType, typeid_of, typeid_primary_key
from app.models.types import text

UserId = Annotated[TypeID[str], typeid_of("user")]
SessionId = Annotated[TypeID[str], typeid_of("session")]
EMAIL_MAX_LENGTH = 254  # RFC 5321's limit on a forward path
EmailText = Annotated[str, text(max_length=EMAIL_MAX_LENGTH)]


class Role(StrEnum):
    MEMBER = "member"
    ADMIN = "admin"


class TokenPurpose(StrEnum):
    VERIFY_EMAIL = "verify_email"
    RESET_PASSWORD = "reset_password"  # noqa: S105  # pragma: allowlist secret (a purpose)


def _user_reference(index: bool = True) -> sa.Column:  # type: ignore[type-arg]
    """A `user_id` column that disappears with its user."""
    return sa.Column(
        TypeIDType("user"),
        sa.ForeignKey("users.id", ondelete="CASCADE"),
        nullable=False,
        index=index,
    )


def _database_time() -> sa.Column[datetime]:
    return sa.Column(sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False)


class User(Timestamped, table=True):
    __tablename__ = "users"
    # Unique whatever the case, enforced by Postgres: Ann@x.org and ann@X.org are one account.
    __table_args__ = (
        sa.Index("users_email_lower_key", sa.func.lower(sa.column("email")), unique=True),
        sa.CheckConstraint("role IN ('member', 'admin')", name="users_role_known"),
    )
    __mapper_args__: ClassVar[dict[str, Any]] = {"eager_defaults": True}

    id: UserId = typeid_primary_key("user")
    email: EmailText
    password_hash: Annotated[str, text(max_length=255)]
    email_verified_at: datetime | None = Field(
        default=None,
        sa_type=sa.DateTime(timezone=True),
    )
    is_active: bool = True
    role: Role = Field(default=Role.MEMBER, sa_type=sa.String(16))


class LoginSession(SQLModel, table=True):
    """One signed-in browser. The cookie holds a random token; this row only its SHA-256."""

    __tablename__ = "sessions"
    __mapper_args__: ClassVar[dict[str, Any]] = {"eager_defaults": True}

    id: SessionId = typeid_primary_key("session")
    user_id: UserId = Field(sa_column=_user_reference())
    token_hash: bytes = Field(sa_column=sa.Column(sa.LargeBinary(32), nullable=False, unique=True))
    created_at: datetime | None = Field(default=None, sa_column=_database_time())
    last_seen_at: datetime | None = Field(default=None, sa_column=_database_time())
    user_agent: Annotated[str, text(max_length=512)] | None = None
    ip: Annotated[str, text(max_length=64)] | None = None
    # Set while an admin acts as `user_id` in this session (app/admin/impersonation.py): the
    # session was the admin's and returns to them when the impersonation ends.
    impersonator_id: UserId | None = Field(
        default=None,
        sa_column=sa.Column(
            TypeIDType("user"), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=True
        ),
    )
    impersonation_started_at: datetime | None = Field(
        default=None,
        sa_type=sa.DateTime(timezone=True),
    )


@dataclass(frozen=True)
class LiveSession:
    """What a request needs of its session row, read as columns: cheaper than a loaded object."""

    id: SessionId
    user_id: UserId
    last_seen_at: datetime
    impersonator_id: UserId | None = None
    impersonation_started_at: datetime | None = None


class AccountToken(SQLModel, table=True):
    """A single-use, expiring link sent by email (verify an address, reset a password)."""

    __tablename__ = "account_tokens"
    __table_args__ = (
        sa.CheckConstraint(
            "purpose IN ('verify_email', 'reset_password')", name="account_tokens_purpose_known"
        ),
    )

    token_hash: bytes = Field(sa_column=sa.Column(sa.LargeBinary(32), primary_key=True))
    user_id: UserId = Field(sa_column=_user_reference())
    purpose: TokenPurpose = Field(sa_type=sa.String(32))
    # The address the link was sent to: a verification link dies when the user changes email.
    email: EmailText
    expires_at: datetime = Field(sa_type=sa.DateTime(timezone=True))
    created_at: datetime | None = Field(default=None, sa_column=_database_time())
