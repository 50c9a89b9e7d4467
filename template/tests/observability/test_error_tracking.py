"""Error tracking: real server and worker processes report errors to a local Sentry stand-in,
with release, environment and request id, and without personal data."""

import json
import uuid
from typing import Any

import httpx
import pytest
import sentry_sdk

from app.items.emails import ItemReminder
from app.jobs.mail import send_email
from app.observability import init_error_tracking
from app.request_id import current_request_id
from app.settings import get_settings
from tests.support.clients import SAME_ORIGIN
from tests.support.stand_ins import RELEASE, SentryIngest
from tests.support.workers import CeleryWorker

EMAIL = "grace.hopper@example.com"
COOKIE_VALUE = "session-cookie-value-never-sent"


def assert_no_personal_data(event: dict[str, Any]) -> None:
    raw = json.dumps(event)
    assert EMAIL not in raw
    assert COOKIE_VALUE not in raw
    request = event.get("request", {})
    assert {"cookies", "data", "query_string"}.isdisjoint(request)
    assert "Cookie" not in request.get("headers", {})


def test_error_tracking_is_off_without_a_dsn() -> None:
    init_error_tracking(get_settings(), "web")

    assert get_settings().sentry_dsn == ""
    assert not sentry_sdk.get_client().is_active()


@pytest.mark.processes  # the production server
def test_server_error_reaches_the_ingest_with_release_environment_and_request_id(
    unmigrated_database_server: str, sentry_ingest: SentryIngest
) -> None:
    request_id = uuid.uuid4().hex
    response = httpx.post(
        f"{unmigrated_database_server}/api/items",
        params={"notify": EMAIL},
        json={"title": f"Write to {EMAIL}", "description": "private notes"},
        headers={**SAME_ORIGIN, "X-Request-ID": request_id, "Cookie": f"session={COOKIE_VALUE}"},
        timeout=30,
    )
    assert response.status_code == 500
    assert response.json()["request_id"] == request_id

    event = sentry_ingest.wait_for_event(
        lambda event: event.get("tags", {}).get("request_id") == request_id
    )

    assert event["release"] == RELEASE
    assert event["environment"] == "test"
    assert event["tags"]["process"] == "web"
    assert event["request"]["url"].endswith("/api/items")
    assert_no_personal_data(event)


@pytest.mark.workers
def test_worker_error_carries_the_request_id_that_queued_the_job(
    reporting_worker: CeleryWorker, sentry_ingest: SentryIngest
) -> None:
    request_id = uuid.uuid4().hex
    token = current_request_id.set(request_id)  # as while a request is served
    try:
        send_email(EMAIL, ItemReminder(title="Renew passport", description="", done=False))
    finally:
        current_request_id.reset(token)

    event = sentry_ingest.wait_for_event(
        lambda event: event.get("tags", {}).get("request_id") == request_id
    )

    assert event["release"] == RELEASE
    assert event["environment"] == "test"
    assert event["tags"]["process"] == "worker"
    assert event["extra"]["celery-job"]["task_name"] == "mail.deliver_email"
    assert_no_personal_data(event)
