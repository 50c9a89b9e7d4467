"""Accounts: users, login sessions and email tokens; every item gets an owner.

Items that exist before this migration are given to one placeholder account,
`legacy-owner@example.invalid`, created here only when there are such items. It is
deactivated and has no usable password, so nobody can log in as it; move its items to a real
account with `just users_adopt_items legacy-owner@example.invalid YOU@EXAMPLE.COM`.

Revision ID: 0002_accounts
Revises: 0001
Create Date: 2026-11-29
"""

# Written for tables that were new or small on first install; a busy table needs the steps of
# docs, deploy ("Expand, then contract"). Read by the migration lint (`just db_lint`):
# squawk-ignore-file adding-not-nullable-field
# squawk-ignore-file constraint-missing-not-valid
# squawk-ignore-file adding-foreign-key-constraint
# squawk-ignore-file require-concurrent-index-creation

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# Not a bare "0002": a project numbering its own migrations may have one, and ids must be unique.
revision: str = "0002_accounts"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LEGACY_OWNER_EMAIL = "legacy-owner@example.invalid"


def _timestamp(name: str) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(
        name, sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
    )


def _user_id() -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(
        "user_id", sa.Uuid(), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False
    )


def upgrade() -> None:
    op.create_table(
        "users",
        _timestamp("created_at"),
        _timestamp("updated_at"),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("email_verified_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.CheckConstraint("role IN ('member', 'admin')", name="users_role_known"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("users_email_lower_key", "users", [sa.text("lower(email)")], unique=True)

    op.create_table(
        "sessions",
        sa.Column("id", sa.Uuid(), nullable=False),
        _user_id(),
        sa.Column("token_hash", sa.LargeBinary(length=32), nullable=False),
        _timestamp("created_at"),
        _timestamp("last_seen_at"),
        sa.Column("user_agent", sa.String(length=512), nullable=True),
        sa.Column("ip", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    op.create_index("ix_sessions_user_id", "sessions", ["user_id"])

    op.create_table(
        "account_tokens",
        sa.Column("token_hash", sa.LargeBinary(length=32), nullable=False),
        _user_id(),
        sa.Column("purpose", sa.String(length=32), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        _timestamp("created_at"),
        sa.CheckConstraint(
            "purpose IN ('verify_email', 'reset_password')", name="account_tokens_purpose_known"
        ),
        sa.PrimaryKeyConstraint("token_hash"),
    )
    op.create_index("ix_account_tokens_user_id", "account_tokens", ["user_id"])

    op.add_column("items", sa.Column("owner_id", sa.Uuid(), nullable=True))
    op.execute(
        sa.text(
            "INSERT INTO users (id, email, password_hash, is_active, role)"
            " SELECT gen_random_uuid(), :email, '!', false, 'member'"
            " WHERE EXISTS (SELECT 1 FROM items)"
        ).bindparams(email=LEGACY_OWNER_EMAIL)
    )
    op.execute(
        sa.text(
            "UPDATE items SET owner_id = (SELECT id FROM users WHERE email = :email)"
        ).bindparams(email=LEGACY_OWNER_EMAIL)
    )
    op.alter_column("items", "owner_id", nullable=False)
    op.create_foreign_key(
        "items_owner_id_fkey", "items", "users", ["owner_id"], ["id"], ondelete="CASCADE"
    )
    op.create_index("ix_items_owner_id", "items", ["owner_id"])


def downgrade() -> None:
    op.drop_index("ix_items_owner_id", table_name="items")
    op.drop_constraint("items_owner_id_fkey", "items", type_="foreignkey")
    op.drop_column("items", "owner_id")
    op.drop_table("account_tokens")
    op.drop_table("sessions")
    op.drop_table("users")
