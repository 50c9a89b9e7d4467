"""Admin console: the append-only audit trail, and sessions that record an impersonation.

`audit_events` refuses UPDATE through a trigger (rows are only inserted, and deleted by the
retention purge); its user ids have no foreign key, so the trail outlives deleted accounts.

Revision ID: 0003_admin_audit
Revises: 0002_accounts
Create Date: 2026-11-29
"""

# Written for tables that were new or small on first install; a busy table needs the steps of
# docs, deploy ("Expand, then contract"). Read by the migration lint (`just db_lint`):
# squawk-ignore-file constraint-missing-not-valid
# squawk-ignore-file adding-foreign-key-constraint

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0003_admin_audit"
down_revision: str | None = "0002_accounts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "audit_events",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("actor_id", sa.Uuid(), nullable=True),
        sa.Column("subject_id", sa.Uuid(), nullable=True),
        sa.Column("ip", sa.String(length=64), nullable=True),
        sa.Column("user_agent", sa.String(length=512), nullable=True),
        sa.Column(
            "details",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'{}'::jsonb"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    for column in ("created_at", "kind", "actor_id", "subject_id"):
        op.create_index(f"ix_audit_events_{column}", "audit_events", [column])
    op.execute(
        """
        CREATE FUNCTION audit_events_refuse_update() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'audit_events is append-only';
        END $$;
        CREATE TRIGGER audit_events_append_only BEFORE UPDATE ON audit_events
            FOR EACH ROW EXECUTE FUNCTION audit_events_refuse_update();
        """
    )

    op.add_column("sessions", sa.Column("impersonator_id", sa.Uuid(), nullable=True))
    op.add_column(
        "sessions",
        sa.Column("impersonation_started_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_foreign_key(
        "sessions_impersonator_id_fkey",
        "sessions",
        "users",
        ["impersonator_id"],
        ["id"],
        ondelete="CASCADE",
    )


def downgrade() -> None:
    op.drop_constraint("sessions_impersonator_id_fkey", "sessions", type_="foreignkey")
    op.drop_column("sessions", "impersonation_started_at")
    op.drop_column("sessions", "impersonator_id")
    op.execute(
        "DROP TRIGGER audit_events_append_only ON audit_events;"
        " DROP FUNCTION audit_events_refuse_update();"
    )
    op.drop_table("audit_events")
