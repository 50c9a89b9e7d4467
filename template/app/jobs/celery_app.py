"""The Celery application: broker, results and delivery guarantees, configured from settings."""

from typing import Any

from celery import Celery
from celery.signals import beat_init, setup_logging, worker_init

from app.discovery import area_module_names
from app.jobs.schedule import configured_schedule
from app.logging import configure_logging
from app.observability import init_error_tracking
from app.settings import Settings, get_settings


def task_modules() -> list[str]:
    """The email task and every area's `tasks.py`: adding one to an area registers its tasks."""
    return ["app.jobs.mail", *area_module_names("tasks")]


def broker_transport_options(settings: Settings) -> dict[str, Any]:
    """Unacknowledged messages return to the queue after the visibility timeout (a worker died).

    Kombu sweeps for them every `unacked_restore_interval * unacked_restore_throttle` seconds;
    the sweep runs about ten times per timeout, between once a second and kombu's default 100 s.
    """
    timeout = settings.jobs_visibility_timeout_seconds
    sweep = min(max(timeout // 10, 1), 100)
    interval = min(sweep, 10)
    return {
        "visibility_timeout": timeout,
        "unacked_restore_interval": interval,
        "unacked_restore_throttle": max(sweep // interval, 1),
    }


def celery_configuration(settings: Settings) -> dict[str, Any]:
    """Broker, results and delivery guarantees for these settings."""
    redis_url = str(settings.redis_url)
    return dict(
        broker_url=redis_url,
        result_backend=redis_url,
        # JSON only: no pickle, so a message can never run code on the worker.
        task_serializer="json",
        result_serializer="json",
        accept_content=["json"],
        result_accept_content=["json"],
        # A task is acknowledged after it finishes, and requeued if its worker process dies:
        # work is never lost, so tasks must be safe to run twice (idempotent).
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        broker_transport_options={
            **broker_transport_options(settings),
            "socket_connect_timeout": settings.redis_timeout_seconds,
            "socket_timeout": settings.redis_timeout_seconds,
        },
        task_soft_time_limit=settings.jobs_soft_time_limit_seconds,
        task_time_limit=settings.jobs_time_limit_seconds,
        task_track_started=True,
        # Results hold the state and return value only, never the arguments: an email's
        # payload carries one-time links, which must not outlive the message in Redis.
        result_extended=False,
        result_expires=7 * 24 * 3600,
        broker_connection_retry_on_startup=True,
        # Sending a task retries once, on a fresh connection (one dropped by a Redis restart),
        # then fails (the API answers 503); workers keep retrying their own connection.
        broker_connection_timeout=settings.redis_timeout_seconds,
        task_publish_retry_policy={"max_retries": 1, "interval_start": 0, "interval_max": 0},
        # Results: a bounded connect only; waiting for a result (`.get()`) may idle for longer.
        redis_socket_connect_timeout=settings.redis_timeout_seconds,
        worker_cancel_long_running_tasks_on_connection_loss=True,
        enable_utc=True,
        timezone="UTC",
        beat_schedule=configured_schedule(settings),
    )


celery_app = Celery("app", include=task_modules())
# A promise: Celery calls it when the configuration is first needed (a task is sent, a worker
# starts), so importing the app never reads settings.
celery_app.add_defaults(lambda: celery_configuration(get_settings()))


@setup_logging.connect
def use_application_logging(**_: object) -> None:
    """Worker and beat log through the app's structlog setup instead of Celery's own."""
    configure_logging(get_settings())


@worker_init.connect
def start_worker_error_tracking(**_: object) -> None:
    """Before the pool forks, so every worker process reports errors (when SENTRY_DSN is set)."""
    init_error_tracking(get_settings(), "worker")


@beat_init.connect
def start_scheduler_error_tracking(**_: object) -> None:
    init_error_tracking(get_settings(), "scheduler")
