"""Tasks of the audit trail: the nightly purge of events older than the retention period."""

from datetime import UTC, datetime, timedelta

import structlog
from pydantic import BaseModel, Field
from sqlmodel import Session, col, delete

from app.jobs.db import worker_session
from app.jobs.task import job
from app.models.audit import AuditEvent
from app.settings import get_settings

logger = structlog.get_logger(__name__)


class PurgeAuditEvents(BaseModel):
    older_than_days: int = Field(default_factory=lambda: get_settings().audit_retention_days, ge=1)


def delete_audit_events_before(session: Session, cutoff: datetime) -> int:
    """Delete the events recorded before `cutoff`; return the count."""
    statement = delete(AuditEvent).where(col(AuditEvent.created_at) < cutoff)
    return session.exec(statement).rowcount


@job("audit.purge_old_events", PurgeAuditEvents)
def purge_old_audit_events(payload: PurgeAuditEvents) -> int:
    """Idempotent: running it twice deletes nothing more the second time."""
    cutoff = datetime.now(UTC) - timedelta(days=payload.older_than_days)
    with worker_session() as session:
        deleted = delete_audit_events_before(session, cutoff)
        session.commit()
    logger.info("audit events purged", deleted=deleted, cutoff=cutoff.isoformat())
    return deleted
