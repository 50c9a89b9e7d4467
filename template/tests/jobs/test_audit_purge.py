"""The nightly purge of the audit trail: only events older than the retention period go."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlmodel import select

from app.audit.tasks import purge_old_audit_events
from app.jobs.db import worker_session
from app.models.audit import AuditEvent
from app.settings import get_settings


def days_ago(days: int) -> datetime:
    return datetime.now(UTC) - timedelta(days=days)


def remaining_kinds() -> list[str]:
    with worker_session() as session:
        return sorted(session.exec(select(AuditEvent.kind)))


def test_purge_deletes_only_events_older_than_the_retention(
    add_committed_audit_events: Callable[..., None],
) -> None:
    retention = get_settings().audit_retention_days
    add_committed_audit_events(kind="logged_in", created_at=days_ago(retention + 1))
    add_committed_audit_events(kind="logged_out", created_at=days_ago(retention - 1))

    assert purge_old_audit_events() == 1
    assert purge_old_audit_events() == 0
    assert remaining_kinds() == ["logged_out"]
