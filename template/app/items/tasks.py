"""Tasks of the example domain: the nightly purge of items finished long ago."""

from datetime import UTC, datetime, timedelta

import structlog
from pydantic import BaseModel, Field
from sqlmodel import Session, col, delete

from app.jobs.db import worker_session
from app.jobs.task import job
from app.models.item import Item
from app.settings import get_settings

logger = structlog.get_logger(__name__)


class PurgeDoneItems(BaseModel):
    older_than_days: int = Field(
        default_factory=lambda: get_settings().items_done_retention_days, ge=1
    )


def delete_done_items_before(session: Session, cutoff: datetime) -> int:
    """Delete the items that are done and were last changed before `cutoff`; return the count."""
    statement = delete(Item).where(col(Item.done), col(Item.updated_at) < cutoff)
    return session.exec(statement).rowcount


@job("items.purge_done_items", PurgeDoneItems)
def purge_done_items(payload: PurgeDoneItems) -> int:
    """Idempotent: running it twice deletes nothing more the second time."""
    cutoff = datetime.now(UTC) - timedelta(days=payload.older_than_days)
    with worker_session() as session:
        deleted = delete_done_items_before(session, cutoff)
        session.commit()
    logger.info("done items purged", deleted=deleted, cutoff=cutoff.isoformat())
    return deleted
