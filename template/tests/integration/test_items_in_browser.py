"""The example domain driven in a real browser against the production build and server."""

import re

import pytest
from playwright.sync_api import Page, expect

from app.jobs.db import worker_session
from app.models.account import User
from tests.factories import ItemFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("logged_in")]


def create_item(page: Page, title: str, description: str = "") -> None:
    page.goto("/items/new")
    page.get_by_label("Title").fill(title)
    page.get_by_label("Description").fill(description)
    page.get_by_role("button", name="Create item").click()
    expect(page).to_have_url(re.compile(r"/$"))


def test_create_edit_and_delete_an_item(page: Page) -> None:
    page.goto("/")
    expect(page.get_by_text("No items yet.")).to_be_visible()

    page.get_by_role("link", name="New item").first.click()
    page.get_by_label("Title").fill("Buy milk")
    page.get_by_label("Description").fill("Two litres")
    page.get_by_role("button", name="Create item").click()

    items = page.get_by_role("list", name="Items")
    expect(items.get_by_text("Buy milk")).to_be_visible()
    expect(items.get_by_text("Two litres")).to_be_visible()

    page.get_by_role("link", name="Edit Buy milk").click()
    expect(page.get_by_label("Title")).to_have_value("Buy milk")
    page.get_by_label("Title").fill("Buy oat milk")
    page.get_by_label("Done").check()
    page.get_by_role("button", name="Save changes").click()

    expect(items.get_by_text("Buy oat milk")).to_be_visible()
    expect(items.get_by_text("Buy milk", exact=True)).to_have_count(0)

    page.get_by_role("button", name="Delete Buy oat milk").click()
    dialog = page.get_by_role("alertdialog")
    expect(dialog).to_contain_text("Delete “Buy oat milk”?")
    dialog.get_by_role("button", name="Delete").click()

    expect(page.get_by_text("No items yet.")).to_be_visible()
    page.reload()
    expect(page.get_by_text("No items yet.")).to_be_visible()


def test_cancelling_the_confirmation_keeps_the_item(page: Page) -> None:
    create_item(page, "Keep me")

    page.get_by_role("button", name="Delete Keep me").click()
    page.get_by_role("alertdialog").get_by_role("button", name="Cancel").click()

    expect(page.get_by_role("alertdialog")).to_have_count(0)
    page.reload()
    expect(page.get_by_role("list", name="Items").get_by_text("Keep me")).to_be_visible()


def test_the_list_is_paginated(page: Page, logged_in: User) -> None:
    # Committed straight to the database (the form is another test's subject), oldest first.
    with worker_session() as session:
        for number in range(1, 12):
            session.add(ItemFactory.build(title=f"Task {number:02d}", owner_id=logged_in.id))
        session.commit()

    page.goto("/")
    expect(page.get_by_text("Page 1 of 2")).to_be_visible()
    expect(page.get_by_role("list", name="Items").get_by_role("listitem")).to_have_count(10)
    expect(page.get_by_text("Task 11")).to_be_visible()  # newest first

    page.get_by_role("link", name="Next").click()
    expect(page.get_by_text("Page 2 of 2")).to_be_visible()
    expect(page.get_by_role("list", name="Items").get_by_role("listitem")).to_have_count(1)
    expect(page.get_by_text("Task 01")).to_be_visible()


def test_the_client_checks_the_title_before_sending(page: Page) -> None:
    page.goto("/items/new")
    page.get_by_role("button", name="Create item").click()

    expect(page.get_by_text("This field is required.")).to_be_visible()
    expect(page.get_by_label("Title")).to_have_attribute("aria-invalid", "true")


def test_the_api_schema_limits_reach_the_form(page: Page) -> None:
    page.goto("/items/new")
    page.get_by_label("Title").fill("Too much to say")
    page.get_by_label("Description").fill("x" * 2001)  # ItemCreate allows 2000
    page.get_by_role("button", name="Create item").click()

    description = page.get_by_label("Description")
    expect(description).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#description-error")).to_have_text("Use at most 2000 characters.")
    expect(page).to_have_url(re.compile(r"/items/new$"))
    expect(page.get_by_label("Title")).to_have_value("Too much to say")


def test_an_unknown_address_shows_the_not_found_page(page: Page) -> None:
    response = page.goto("/no/such/page")

    assert response is not None
    assert response.status == 200  # the server hands over the app; its router decides
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    page.get_by_role("link", name="Back to the items").click()
    expect(page.get_by_role("heading", name="Items")).to_be_visible()


def test_editing_an_item_that_does_not_exist_says_so(page: Page) -> None:
    page.goto("/items/item_01h455vb4pex5vsknk084sn02q/edit")

    expect(page.get_by_role("alert")).to_contain_text("This item does not exist.")
