"""Browser-test fixtures for observability: the production server reporting to local stand-ins
that serve HTTPS with the session's certificate, as the real services do."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from tests.support.browser import production_environment
from tests.support.certificates import LocalCertificate
from tests.support.servers import ApiServer
from tests.support.stand_ins import RELEASE, PostHogCapture, SentryIngest

PERSON_BROWSER = """
Object.defineProperty(Navigator.prototype, "webdriver", { get: () => false });
Object.defineProperty(Navigator.prototype, "userAgentData", { get: () => undefined });
"""


@pytest.fixture
def sentry_ingest(tls_certificate: LocalCertificate) -> Iterator[SentryIngest]:
    ingest = SentryIngest(tls_certificate.server_context())
    yield ingest
    ingest.stop()


@pytest.fixture
def posthog_capture(tls_certificate: LocalCertificate) -> Iterator[PostHogCapture]:
    capture = PostHogCapture(tls_certificate.server_context())
    yield capture
    capture.stop()


@pytest.fixture
def reporting_server(
    sentry_ingest: SentryIngest,
    posthog_capture: PostHogCapture,
    production_bundle: Path,
    migrated_database: None,
    tls_certificate: LocalCertificate,
    tmp_path: Path,
) -> Iterator[str]:
    """The production server over HTTPS, its web app reporting to the stand-ins."""
    server = ApiServer(
        tmp_path / "server.log",
        tls_certificate,
        **production_environment(production_bundle),
        SENTRY_DSN=sentry_ingest.dsn,
        RELEASE=RELEASE,
        POSTHOG_KEY="phc_test_project_key",
        POSTHOG_HOST=posthog_capture.origin,
    )
    server.start()
    try:
        yield server.base_url
    finally:
        server.stop()


@pytest.fixture
def visitor_page(browser: Browser, browser_context_args: dict[str, Any]) -> Iterator[Page]:
    """A page that looks like a person's browser to PostHog, which drops the events of headless
    and automated browsers as bot traffic (user agent, its brands, `navigator.webdriver`)."""
    user_agent = (
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
        f"Chrome/{browser.version} Safari/537.36"
    )
    context = browser.new_context(**browser_context_args, user_agent=user_agent)
    context.add_init_script(PERSON_BROWSER)
    yield context.new_page()
    context.close()
