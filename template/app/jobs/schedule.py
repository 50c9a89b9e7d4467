"""Periodic tasks, enqueued by the beat scheduler (`just jobs_scheduler`; run exactly one)."""

from celery.schedules import crontab

# Keys name the entries; "task" is the task's registered name (tests check each one exists).
beat_schedule = {
    "purge-done-items-nightly": {
        "task": "items.purge_done_items",
        "schedule": crontab(hour=3, minute=15),
    },
    "purge-expired-sessions-and-links-nightly": {
        "task": "accounts.purge_expired",
        "schedule": crontab(hour=3, minute=45),
    },
    "purge-old-audit-events-nightly": {
        "task": "audit.purge_old_events",
        "schedule": crontab(hour=4, minute=15),
    },
}
