"""Periodic tasks, enqueued by the beat scheduler (`just jobs_scheduler`; run exactly one)."""

from typing import Any

from celery.schedules import crontab

from app.settings import Settings

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


class ScheduleError(ValueError):
    """JOBS_SCHEDULE names an entry the schedule does not have, or a time that is no crontab."""


def parse_crontab(expression: str) -> crontab:
    """The five fields of a crontab line: minute hour day-of-month month day-of-week (UTC)."""
    fields = expression.split()
    if len(fields) != 5:
        raise ScheduleError(f"'{expression}' is not five crontab fields")
    minute, hour, day_of_month, month_of_year, day_of_week = fields
    try:
        return crontab(minute, hour, day_of_week, day_of_month, month_of_year)
    except ValueError as error:
        raise ScheduleError(f"'{expression}' is no crontab: {error}") from error


def configured_schedule(settings: Settings) -> dict[str, dict[str, Any]]:
    """`beat_schedule` with the entries JOBS_SCHEDULE moves to other times."""
    unknown = settings.jobs_schedule.keys() - beat_schedule.keys()
    if unknown:
        raise ScheduleError(f"JOBS_SCHEDULE names no entry of the schedule: {sorted(unknown)}")
    return {
        name: {**entry, "schedule": parse_crontab(settings.jobs_schedule[name])}
        if name in settings.jobs_schedule
        else entry
        for name, entry in beat_schedule.items()
    }
