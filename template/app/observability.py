"""Error tracking (Sentry) for the API, workers and beat, on when SENTRY_DSN is set; the outside
origins the web app's own reporting (Sentry, PostHog) may reach.

No personal data is sent: Sentry's `data_collection` is closed category by category (no user
details or IPs, cookies, request bodies, query strings, SQL parameters, job arguments or local
variables; headers with secret-looking names filtered), values under secret-looking keys are
replaced anywhere in an event, and e-mail addresses anywhere in an event or span are masked. Every
event carries the request id, also from a job queued during a request.
"""

import re
from functools import lru_cache
from typing import Any, Literal
from urllib.parse import urlsplit

import sentry_sdk
import structlog
from celery import Task
from celery.signals import before_task_publish, task_postrun, task_prerun
from sentry_sdk.types import DataCollectionUserOptions, Event, Hint
from sentry_sdk.utils import get_default_release

from app.request_id import current_request_id
from app.settings import Settings

REQUEST_ID_HEADER = "request_id"
EMAIL_ADDRESS = re.compile(r"[\w.%+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}")
EMAIL_MASK = "[email]"
# Keys whose values never leave the process, matched as parts of a key in any case (Sentry 2's
# EventScrubber did this; Sentry 3 filters only headers, cookies and query parameters by name).
SECRET_KEY_PARTS = ("password", "passwd", "secret", "token", "auth", "cookie", "session", "csrf")
FILTERED_VALUE = "[Filtered]"
# What the SDK collects on its own, closed wherever it could carry personal data.
DATA_COLLECTION: DataCollectionUserOptions = {
    "user_info": False,
    "cookies": {"mode": "off"},
    "http_bodies": [],
    "url_query_params": {"mode": "off"},
    "database_query_data": False,
    "queues": False,
    "stack_frame_variables": False,
}


def init_error_tracking(settings: Settings, process: Literal["web", "worker", "scheduler"]) -> None:
    """Start the Sentry SDK in this process; without SENTRY_DSN nothing is sent or started."""
    if not settings.sentry_dsn:
        return
    sentry_sdk.init(
        dsn=settings.sentry_dsn,
        release=current_release(settings.release),
        environment=settings.environment.value,
        data_collection=DATA_COLLECTION,
        traces_sample_rate=settings.sentry_traces_sample_rate,
        # No `integrations=`: the SDK enables its own for each installed library it knows
        # (FastAPI, Starlette, Celery, Redis, SQLAlchemy…) at init, so importing this module
        # loads none of them and a worker never imports FastAPI unless a DSN is set.
        before_send=scrub_event,
        before_send_span=scrub_span,
    )
    sentry_sdk.get_global_scope().set_tag("process", process)


def report_error(error: BaseException) -> None:
    """Send an error the app answered itself (the JSON 500) to Sentry; a no-op without a DSN.

    Sentry's own integrations see only the errors that escape the app, and Sentry 3 no longer
    turns error log lines into events.
    """
    sentry_sdk.capture_exception(error)


@lru_cache
def current_release(configured: str) -> str | None:
    """RELEASE (baked into the image at build time), else SENTRY_RELEASE or the git HEAD."""
    return configured or get_default_release()


def browser_connect_sources(settings: Settings) -> list[str]:
    """Origins the web app may send to (the page's CSP `connect-src`): Sentry's ingest, PostHog."""
    urls = [settings.sentry_dsn, settings.posthog_key and settings.posthog_host]
    return [_origin(url) for url in urls if url]


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname}" + (f":{parts.port}" if parts.port else "")


def scrub_event(event: Event, hint: Hint) -> Event:
    """Tag the request id, drop what may identify a person, mask e-mail addresses everywhere."""
    if request_id := current_request_id.get():
        event.setdefault("tags", {})["request_id"] = request_id
    request = event.get("request")
    if request:
        for field in ("query_string", "cookies", "data", "env"):
            request.pop(field, None)
    if user := event.get("user"):
        event["user"] = {"id": user["id"]} if "id" in user else {}
    masked: Event = _scrub(event)
    return masked


def scrub_span(span: Any, hint: Hint) -> Any:
    """Spans (traces, when sampled) get the same masking as events."""
    return _scrub(span)


def _scrub(value: Any) -> Any:
    """Mask e-mail addresses in every string and drop values under secret-looking keys."""
    if isinstance(value, str):
        return EMAIL_ADDRESS.sub(EMAIL_MASK, value)
    if isinstance(value, dict):
        return {
            key: FILTERED_VALUE if _is_secret_key(key) else _scrub(item)
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return [_scrub(item) for item in value]
    return value


def _is_secret_key(key: object) -> bool:
    return isinstance(key, str) and any(part in key.lower() for part in SECRET_KEY_PARTS)


@before_task_publish.connect
def forward_request_id(headers: dict[str, Any], **_: object) -> None:
    """A job queued while serving a request carries that request's id in its message headers."""
    if request_id := current_request_id.get():
        headers.setdefault(REQUEST_ID_HEADER, request_id)


@task_prerun.connect
def adopt_request_id(task: Task[Any, Any], **_: object) -> None:
    """The worker runs the job under the id of the request that queued it (logs and errors)."""
    request_id = getattr(task.request, REQUEST_ID_HEADER, None)
    current_request_id.set(request_id)
    if request_id:
        structlog.contextvars.bind_contextvars(request_id=request_id)


@task_postrun.connect
def forget_request_id(**_: object) -> None:
    current_request_id.set(None)
    structlog.contextvars.unbind_contextvars("request_id")
