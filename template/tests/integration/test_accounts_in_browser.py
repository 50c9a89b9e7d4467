"""Accounts in a real browser: sign up and verify by email, log in and out, reset a forgotten
password, take an account back after an email change, and a session revoked from another
browser."""

import re
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from app.models.account import User
from tests.factories import PASSWORD
from tests.support.mail import Inbox

pytestmark = pytest.mark.browser

NEW_PASSWORD = "another long passphrase, newer"


def log_in(page: Page, email: str, password: str) -> None:
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def test_sign_up_verify_by_email_create_an_item_log_out_and_log_in(
    page: Page, inbox: Inbox
) -> None:
    email, password = "ada@example.com", "a long passphrase for ada"
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login\?next=%2F$"))
    page.get_by_role("main").get_by_role("link", name="Sign up").click()
    expect(page.get_by_role("heading", name="Sign up")).to_be_visible()
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Create account").click()

    expect(page.get_by_text("No items yet.")).to_be_visible()
    expect(page.get_by_role("navigation", name="Main")).to_contain_text(email)
    expect(page.get_by_role("status")).to_contain_text("Please verify your email address")

    page.goto(inbox.link(email, "/verify-email"))
    expect(page.get_by_role("status")).to_contain_text(f"Thank you: {email} is verified.")
    page.get_by_role("link", name="Go to your items").click()
    expect(page.get_by_text("No items yet.")).to_be_visible()
    expect(page.get_by_text("Please verify your email address")).to_have_count(0)

    page.get_by_role("link", name="New item").first.click()
    page.get_by_label("Title").fill("Water the plants")
    page.get_by_role("button", name="Create item").click()
    expect(page.get_by_role("list", name="Items").get_by_text("Water the plants")).to_be_visible()

    page.get_by_role("button", name="Log out", exact=True).click()
    expect(page).to_have_url(re.compile(r"/login$"))
    page.goto("/items/new")
    expect(page).to_have_url(re.compile(r"/login\?next=%2Fitems%2Fnew$"))

    log_in(page, email, password)
    expect(page).to_have_url(re.compile(r"/items/new$"))
    page.get_by_role("link", name="Items", exact=True).click()
    expect(page.get_by_role("list", name="Items").get_by_text("Water the plants")).to_be_visible()


def test_the_password_policy_answers_next_to_the_password(page: Page) -> None:
    page.goto("/signup")
    page.get_by_label("Email").fill("grace@example.com")
    page.get_by_label("Password").fill("password")  # short, and the most common one
    page.get_by_role("button", name="Create account").click()

    password = page.get_by_label("Password")
    expect(password).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#password-error")).to_have_text(re.compile(r"Use at least \d+ characters"))
    expect(page).to_have_url(re.compile(r"/signup$"))
    expect(page.get_by_label("Email")).to_have_value("grace@example.com")

    password.fill("passwordpassword")  # long enough, and guessed at once
    page.get_by_role("button", name="Create account").click()
    expect(page.locator("#password-error")).to_contain_text(
        'This password is too easy to guess. Repeats like "abcabcabc"'
    )


def test_a_forgotten_password_is_reset_through_the_emailed_link(
    page: Page, logged_in: User, inbox: Inbox
) -> None:
    page.context.clear_cookies()  # a visitor who cannot log in
    page.goto("/login")
    page.get_by_role("main").get_by_role("link", name="Forgot your password?").click()
    expect(page.get_by_role("heading", name="Forgot your password?")).to_be_visible()
    page.get_by_label("Email").fill(logged_in.email)
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("status")).to_contain_text(
        f"If an account exists for {logged_in.email}"
    )

    page.goto(inbox.link(logged_in.email, "/reset-password"))
    expect(page.get_by_role("heading", name="Choose a new password")).to_be_visible()
    page.get_by_label("New password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_role("status")).to_contain_text("Your password is changed")
    page.get_by_role("main").get_by_role("link", name="Log in").click()
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()

    log_in(page, logged_in.email, PASSWORD)
    expect(page.get_by_role("alert")).to_have_text("Wrong email or password.")
    log_in(page, logged_in.email, NEW_PASSWORD)
    expect(page.get_by_role("heading", name="Items")).to_be_visible()


def test_the_old_address_takes_the_account_back_after_an_email_change(
    page: Page, logged_in: User, inbox: Inbox
) -> None:
    page.goto("/account")
    email_form = page.get_by_role("form", name="Change email")
    email_form.get_by_label("New email").fill("thief@example.com")
    email_form.get_by_label("Password").fill(PASSWORD)
    email_form.get_by_role("button", name="Change email").click()
    expect(email_form.get_by_role("status")).to_contain_text("thief@example.com")

    page.context.clear_cookies()  # the owner, at their old address, in another browser
    page.goto(inbox.link(logged_in.email, "/reset-password"))
    page.get_by_label("New password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_role("status")).to_contain_text("Your password is changed")
    page.get_by_role("main").get_by_role("link", name="Log in").click()

    log_in(page, logged_in.email, NEW_PASSWORD)
    expect(page.get_by_role("heading", name="Items")).to_be_visible()
    page.goto("/account")
    expect(page.get_by_text(f"{logged_in.email} · verified")).to_be_visible()


def test_a_session_revoked_from_another_browser_is_sent_to_log_in(
    browser: Browser, browser_context_args: dict[str, Any], page: Page, logged_in: User
) -> None:
    page.goto("/")
    expect(page.get_by_text("No items yet.")).to_be_visible()

    other = browser.new_context(**browser_context_args)
    try:
        other_page = other.new_page()
        other_page.goto("/account")
        log_in(other_page, logged_in.email, PASSWORD)
        expect(other_page.get_by_role("heading", name="Account", exact=True)).to_be_visible()
        sessions = other_page.get_by_role("list", name="Sessions").get_by_role("listitem")
        expect(sessions).to_have_count(2)
        other_page.get_by_role("button", name=re.compile(r"^Log out .*, signed in")).click()
        expect(sessions).to_have_count(1)
        expect(sessions).to_contain_text("This browser")
    finally:
        other.close()

    # The first browser still shows the app; its next request finds the session gone.
    page.get_by_role("link", name="New item").first.click()
    page.get_by_label("Title").fill("Written after the revocation")
    page.get_by_role("button", name="Create item").click()

    expect(page).to_have_url(re.compile(r"/login\?next=%2Fitems%2Fnew$"))
    log_in(page, logged_in.email, PASSWORD)
    expect(page).to_have_url(re.compile(r"/items/new$"))
