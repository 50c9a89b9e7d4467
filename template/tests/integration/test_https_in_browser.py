"""The browser tests' server runs the production profile over HTTPS: the session and the known
device are `__Host-` Secure cookies, pages carry HSTS, and Chromium trusts this session's one
certificate, not any."""

from pathlib import Path

import pytest
from playwright.sync_api import Error, Page, expect

from app.jobs.db import worker_session
from tests.factories import PASSWORD, UserFactory
from tests.support.certificates import LocalCertificate
from tests.support.stand_ins import StandIn

pytestmark = pytest.mark.browser


def test_log_in_over_https_sets_host_only_secure_session_and_device_cookies(page: Page) -> None:
    with worker_session() as session:
        user = UserFactory.build()
        session.add(user)
        session.commit()
        email = user.email

    response = page.goto("/login")
    assert response is not None
    assert response.url.startswith("https://")
    assert response.headers["strict-transport-security"].startswith("max-age=")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("navigation", name="Main")).to_contain_text(email)

    cookies = page.context.cookies()  # the session, and the known device (the log-in limits)
    assert sorted(cookie["name"] for cookie in cookies) == ["__Host-device", "__Host-session"]
    for cookie in cookies:
        assert cookie["secure"]
        assert cookie["httpOnly"]
        assert cookie["path"] == "/"


def test_a_certificate_from_another_authority_is_refused(page: Page, tmp_path: Path) -> None:
    stranger = StandIn(LocalCertificate.create(tmp_path).server_context())
    try:
        with pytest.raises(Error, match="ERR_CERT"):
            page.goto(stranger.origin)
    finally:
        stranger.stop()
