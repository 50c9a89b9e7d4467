"""The admin console in a real browser: the first admin (made by the CLI) logs in as a user,
sees what they see, returns, and finds both ends of it in the audit log."""

import re
import subprocess

import pytest
from playwright.sync_api import Locator, Page, expect

from app.jobs.db import worker_session
from app.models.account import Role
from tests.factories import PASSWORD, ItemFactory, UserFactory

pytestmark = pytest.mark.browser

ADMIN_EMAIL = "first-admin@example.com"
MEMBER_EMAIL = "member@example.com"


@pytest.fixture
def first_admin() -> None:
    """The way a project gets its first admin: `app users create EMAIL --admin`."""
    subprocess.run(
        ["uv", "run", "app", "users", "create", ADMIN_EMAIL, "--admin"],
        input=f"{PASSWORD}\n",
        text=True,
        check=True,
        capture_output=True,
    )


@pytest.fixture
def member_with_items() -> None:
    with worker_session() as session:
        member = UserFactory.build(email=MEMBER_EMAIL, role=Role.MEMBER)
        session.add(member)
        session.flush()
        session.add_all(ItemFactory.batch(1, owner_id=member.id, title="Member's secret plan"))
        session.commit()


def log_in(page: Page, email: str) -> None:
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(main_navigation(page).get_by_role("link", name=email)).to_be_visible()


def main_navigation(page: Page) -> Locator:
    return page.get_by_role("navigation", name="Main")


@pytest.mark.usefixtures("first_admin", "member_with_items")
def test_an_admin_logs_in_as_a_member_and_returns(page: Page) -> None:
    log_in(page, ADMIN_EMAIL)
    page.get_by_role("link", name="Admin", exact=True).click()
    page.get_by_role("searchbox", name="Search by email").fill("member@")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("table", name="Users").get_by_role("link", name=MEMBER_EMAIL).click()
    expect(page.get_by_role("heading", name=MEMBER_EMAIL)).to_be_visible()

    page.get_by_role("button", name="Log in as this user").click()
    page.get_by_role("alertdialog").get_by_role("button", name="Log in as this user").click()

    banner = page.get_by_role("status", name="Impersonation")
    expect(banner).to_contain_text(f"You are acting as {MEMBER_EMAIL}")
    expect(page.get_by_role("list", name="Items")).to_contain_text("Member's secret plan")
    expect(page.get_by_role("link", name="Admin", exact=True)).to_have_count(0)
    page.goto("/account")  # the banner is on every page
    expect(banner).to_be_visible()

    banner.get_by_role("button", name="Return to admin").click()

    expect(page).to_have_url(re.compile(r"/admin/users/user_"))
    expect(banner).to_have_count(0)
    expect(main_navigation(page).get_by_role("link", name=ADMIN_EMAIL)).to_be_visible()
    page.get_by_role("link", name="Audit log").click()
    events = page.get_by_role("table", name="Audit events")
    expect(events.get_by_role("row").filter(has_text="impersonation started")).to_contain_text(
        MEMBER_EMAIL
    )
    expect(events.get_by_role("row").filter(has_text="impersonation ended")).to_contain_text(
        "returned"
    )

    page.get_by_label("Event", exact=True).select_option("impersonation_ended")
    page.get_by_role("button", name="Filter").click()
    expect(events.get_by_role("row")).to_have_count(2)  # the header and the one event


def test_members_do_not_see_the_admin_area(page: Page, member_with_items: None) -> None:
    log_in(page, MEMBER_EMAIL)

    expect(page.get_by_role("link", name="Admin", exact=True)).to_have_count(0)
    page.goto("/admin")
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
