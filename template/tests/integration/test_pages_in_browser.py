"""Every page of the app on a phone and on a desktop, with realistic and hostile content (a word of
360 letters, a long URL, a long email address, many items): none scrolls sideways, and every
link, button and field stays in reach.

One test per window width walks all pages, so the whole tour costs one server start.
"""

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal

import pytest
from playwright.sync_api import BrowserContext, Page, ViewportSize, expect

from app.jobs.db import worker_session
from app.models.account import LoginSession, Role, User
from app.models.audit import AuditEvent, AuditKind
from app.models.item import Item
from app.settings import Environment, get_settings
from tests.factories import ItemFactory, UserFactory
from tests.integration.assertions import (
    assert_accessible,
    assert_actions_clickable,
    assert_matches_snapshot,
    assert_no_horizontal_overflow,
)
from tests.support.accounts import committed_login

pytestmark = pytest.mark.browser

LONG_WORD = "Pneumonoultramicroscopicsilicovolcanoconiosis" * 4  # 180 letters, no break
LONG_URL = "https://example.com/" + "a-rather-long-path-segment/" * 5 + "?utm_source=newsletter"
LONG_EMAIL = "ada.lovelace.countess.of.lovelace@analytical-engine.example.com"
ADMIN_EMAIL = "admin@example.com"
# What real browsers send: the sessions list shows them as "Chrome on Linux" and so on.
USER_AGENTS = [
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
]
MINIMUM_HINT = re.compile(r"^At least \d+ characters\.")
THEMES: list[Literal["light", "dark"]] = ["light", "dark"]
WINDOWS: dict[str, ViewportSize] = {
    "phone": {"width": 390, "height": 844},
    "desktop": {"width": 1280, "height": 800},
}


@dataclass(frozen=True)
class Cast:
    """The people of the tour: an admin, and a member with many items and several sessions."""

    admin: User
    member: User
    hostile_item_id: str


def in_id_order[Row: (User, Item, AuditEvent)](rows: list[Row]) -> list[Row]:
    """Rows as the app lists them (by their time-ordered id, ties broken by chance within one
    millisecond): the content is given by position afterwards, so every run shows the same page."""
    return sorted(rows, key=lambda row: str(row.id))


@pytest.fixture
def cast() -> Cast:
    with worker_session() as session:
        admin, member = in_id_order([UserFactory.build(), UserFactory.build()])
        admin.email, admin.role = ADMIN_EMAIL, Role.ADMIN
        member.email, member.role = LONG_EMAIL, Role.MEMBER
        session.add_all([admin, member])
        session.flush()
        items = in_id_order(ItemFactory.batch(12, owner_id=member.id, done=False))
        hostile = items[0]  # the oldest two: the second page holds them
        hostile.title, hostile.description = LONG_WORD, f"{LONG_WORD * 2} {LONG_URL}"
        items[1].title, items[1].description = f"Read {LONG_URL}", LONG_URL
        for number, item in enumerate(reversed(items[2:]), start=1):
            item.title = f"Chore number {number}: water the plants"
            item.description = "Twice a week in summer, once in winter." if number % 2 else ""
            item.done = number % 3 == 0
        session.add_all(items)
        last_seen = datetime.now(UTC) - timedelta(minutes=1)  # still live, before the tour's own
        events = in_id_order([AuditEvent(kind=AuditKind.LOGGED_IN) for _ in USER_AGENTS])
        for number, (user_agent, event) in enumerate(zip(USER_AGENTS, events, strict=True)):
            ip = f"2001:db8:85a3:8d3:1319:8a2e:370:{7000 + number}"
            session.add(
                LoginSession(
                    user_id=member.id,
                    token_hash=bytes([number]) * 32,
                    user_agent=user_agent,
                    ip=ip,
                    last_seen_at=last_seen - timedelta(minutes=number),
                )
            )
            event.actor_id, event.ip = member.id, ip
            session.add(event)
        session.commit()
        return Cast(admin=admin, member=member, hostile_item_id=str(hostile.id))


def log_in_as(context: BrowserContext, live_server: str, user: User) -> None:
    """A session of `user` in this browser, in place of any other (no log-in form)."""
    [token] = committed_login(user.id).values()
    production = get_settings().model_copy(update={"environment": Environment.PRODUCTION})
    context.clear_cookies()
    context.add_cookies(
        [{"name": production.session_cookie_name, "value": token, "url": live_server}]
    )


@pytest.fixture(params=list(WINDOWS))
def window(request: pytest.FixtureRequest, page: Page) -> str:
    """The window the tour runs in: "phone" (390 px wide) or "desktop" (1280 px)."""
    page.set_viewport_size(WINDOWS[request.param])
    name: str = request.param
    return name


def look(page: Page, where: str, window: str, *, for_docs: bool = False) -> None:
    """The checks every page passes, in the light and the dark theme (as the system asks)."""
    assert_no_horizontal_overflow(page, where)
    assert_actions_clickable(page, where)
    html = page.locator("html")
    for theme in THEMES:
        page.emulate_media(color_scheme=theme)
        if theme == "dark":
            expect(html).to_have_class("dark")
        else:
            expect(html).not_to_have_class("dark")
        # Colours fade between themes (transition-colors): scan and draw the settled page.
        page.evaluate("Promise.all(document.getAnimations().map((fade) => fade.finished))")
        assert_accessible(page, f"{where} ({theme})")
        name = f"{re.sub(r'[^a-z0-9]+', '-', where)}-{window}-{theme}"
        assert_matches_snapshot(page, name, for_docs=for_docs)
    page.emulate_media(color_scheme="light")


def test_every_page_fits_the_window(
    page: Page, context: BrowserContext, live_server: str, window: str, cast: Cast
) -> None:
    page.goto("/login")
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    look(page, "log in", window)
    page.goto("/signup")
    expect(page.get_by_role("heading", name="Sign up")).to_be_visible()
    expect(page.get_by_text(MINIMUM_HINT)).to_be_visible()  # the server's policy, asked for
    look(page, "sign up", window)
    page.goto("/forgot-password")
    expect(page.get_by_role("heading", name="Forgot your password?")).to_be_visible()
    look(page, "forgot password", window)
    page.goto("/reset-password?token=not-a-real-token")
    expect(page.get_by_text(MINIMUM_HINT)).to_be_visible()
    look(page, "reset password", window)

    log_in_as(context, live_server, cast.member)
    page.goto("/")
    items = page.get_by_role("list", name="Items")
    expect(items.get_by_role("listitem")).to_have_count(10)
    look(page, "items", window, for_docs=True)  # the README shows this page
    if window == "phone":
        menu = page.get_by_role("button", name="Menu")
        expect(page.get_by_role("link", name="New item", exact=True)).to_have_count(1)  # the page's
        menu.click()
        expect(menu).to_have_attribute("aria-expanded", "true")
        look(page, "items, menu open", window)
        page.keyboard.press("Escape")
        expect(menu).to_have_attribute("aria-expanded", "false")
    page.get_by_role("link", name="Next").click()
    expect(items.get_by_role("listitem")).to_have_count(2)
    look(page, "items, page 2", window)
    page.get_by_role("button", name=f"Delete {LONG_WORD}").click()
    dialog = page.get_by_role("alertdialog")
    expect(dialog).to_be_visible()
    assert_no_horizontal_overflow(page, "delete dialog")
    assert_actions_clickable(page, "delete dialog", within="[role=alertdialog]")
    assert_accessible(page, "delete dialog")
    page.keyboard.press("Tab")  # the focus stays in the dialog
    expect(dialog.locator(":focus")).to_have_count(1)
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)

    page.goto("/items/new")
    expect(page.get_by_role("heading", name="New item")).to_be_visible()
    look(page, "new item", window)
    page.goto(f"/items/{cast.hostile_item_id}/edit")
    expect(page.get_by_label("Title")).to_have_value(LONG_WORD)
    look(page, "edit item", window)
    page.goto("/account")
    sessions = page.get_by_role("list", name="Sessions")
    expect(sessions.get_by_role("listitem")).to_have_count(4)
    expect(sessions).to_contain_text("Chrome on Linux")  # not the raw User-Agent header
    expect(sessions).to_contain_text("Safari on iOS")
    expect(page.get_by_text(MINIMUM_HINT)).to_be_visible()
    look(page, "account", window)
    page.goto("/no-such-page")
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    look(page, "not found", window)

    log_in_as(context, live_server, cast.admin)
    page.goto("/admin")
    expect(page.get_by_role("table", name="Users").get_by_role("row")).to_have_count(3)
    look(page, "admin users", window)
    page.get_by_role("link", name=LONG_EMAIL).click()
    expect(page.get_by_role("heading", name=LONG_EMAIL)).to_be_visible()
    look(page, "admin user", window)
    page.get_by_role("button", name="Log in as this user").click()
    dialog.get_by_role("button", name="Log in as this user").click()
    banner = page.get_by_role("status", name="Impersonation")
    expect(banner).to_be_visible()
    expect(items.get_by_role("listitem")).to_have_count(10)
    look(page, "items, acting as a member", window)
    page.goto("/account")
    expect(page.get_by_role("note")).to_contain_text("only they can change their email")
    expect(page.get_by_role("form", name="Change email")).to_have_count(0)
    expect(page.get_by_role("button", name="Delete account…")).to_have_count(0)
    expect(sessions.get_by_role("listitem")).to_have_count(4)  # theirs; the admin's is not one
    look(page, "account, acting as a member", window)
    banner.get_by_role("button", name="Return to admin").click()
    expect(page.get_by_role("table", name="Audit events")).to_contain_text("impersonation ended")
    look(page, "admin user, with events", window)
    page.get_by_role("link", name="Audit log").click()
    expect(page.get_by_role("table", name="Audit events").get_by_role("row")).to_have_count(6)
    look(page, "audit log", window)
