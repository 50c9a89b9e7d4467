"""Flower, the Celery monitor (`just jobs_monitor`): on 127.0.0.1, with a password in production."""

import os
import sys

from app.jobs.celery_app import celery_app
from app.settings import Settings, get_settings


class MonitorConfigError(RuntimeError):
    """Raised at start when the monitor would be exposed without a password in production."""


def flower_arguments(settings: Settings) -> list[str]:
    """Flower's command line; the password goes through the environment, never the process list."""
    credentials = settings.jobs_monitor_basic_auth.get_secret_value()
    if settings.is_production and not credentials:
        raise MonitorConfigError(
            "JOBS_MONITOR_BASIC_AUTH (user:password) must be set in production: "
            "Flower can cancel and retry tasks, so it never runs there without a password"
        )
    if credentials and ":" not in credentials:
        raise MonitorConfigError("JOBS_MONITOR_BASIC_AUTH must look like user:password")
    return [
        "flower",
        f"--address={settings.jobs_monitor_host}",
        f"--port={settings.jobs_monitor_port}",
        # Workers that stopped answering leave the list after a minute instead of lingering.
        "--purge_offline_workers=60",
    ]


def main() -> None:
    settings = get_settings()
    try:
        arguments = flower_arguments(settings)
    except MonitorConfigError as error:
        sys.exit(f"jobs_monitor: {error}")
    if credentials := settings.jobs_monitor_basic_auth.get_secret_value():
        os.environ["FLOWER_BASIC_AUTH"] = credentials
    celery_app.start([*arguments, *sys.argv[1:]])


if __name__ == "__main__":
    main()
