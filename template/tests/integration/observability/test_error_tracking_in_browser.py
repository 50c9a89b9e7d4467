"""The web app reports its errors to Sentry (a local stand-in) with release and environment,
through the page's Content-Security-Policy, and without personal data."""

import json
import time

import pytest
from playwright.sync_api import Page

from tests.observability.utils import RELEASE, SentryIngest

pytestmark = pytest.mark.integration

EMAIL = "grace.hopper@example.com"


def test_browser_error_reaches_the_ingest_without_personal_data(
    page: Page, reporting_server: str, sentry_ingest: SentryIngest
):
    page.goto(f"{reporting_server}/?invite={EMAIL}")
    page.get_by_role("navigation", name="Main").wait_for()

    # The SDK loads after the page asked the server for its DSN: throw until a report arrives.
    # Each message differs, so the SDK's deduplication never drops one.
    deadline = time.monotonic() + 60
    attempt = 0
    while not sentry_ingest.events():
        assert time.monotonic() < deadline, "the web app never reported the error"
        attempt += 1
        page.evaluate(
            f"setTimeout(() => {{ throw new Error('Could not invite {EMAIL} #{attempt}'); }})"
        )
        time.sleep(0.5)
    [event, *_] = sentry_ingest.events()

    assert event["release"] == RELEASE
    assert event["environment"] == "test"
    assert event["exception"]["values"][0]["value"].startswith("Could not invite [email] #")
    assert EMAIL not in json.dumps(event)
    assert "?" not in event["request"]["url"]
