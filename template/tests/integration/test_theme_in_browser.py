"""The theme in a real browser: cards and the header draw the theme's border colour, and the theme
menu (system, light, dark) is remembered by the browser."""

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.support.browser import Colour, pixels

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("logged_in")]


def brightness(colour: Colour) -> float:
    return sum(colour) / 3


def border_pixels(page: Page, browser: Browser, screenshot: Path) -> dict[str, Colour]:
    """A card's top border, its inside, the page background and the header's bottom border,
    read from a full-page screenshot."""
    card = page.get_by_text("No items yet.").locator("xpath=..").bounding_box()
    header = page.locator("header").bounding_box()
    assert card is not None
    assert header is not None
    page.screenshot(path=screenshot, full_page=True)
    x, top = round(card["x"] + card["width"] / 2), round(card["y"])
    header_bottom = round(header["y"] + header["height"]) - 1
    found = pixels(
        browser,
        screenshot.read_bytes(),
        [(x, top), (x, top + 8), (x, top - 8), (x, header_bottom), (x, header_bottom - 8)],
    )
    return dict(
        zip(["border", "inside", "background", "header_border", "header"], found, strict=True)
    )


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_cards_draw_the_theme_border_not_black(
    page: Page, browser: Browser, tmp_path: Path, scheme: str
) -> None:
    page.emulate_media(color_scheme="dark" if scheme == "dark" else "light")
    page.goto("/")
    expect(page.get_by_text("No items yet.")).to_be_visible()

    seen = border_pixels(page, browser, tmp_path / f"items-{scheme}.png")

    assert seen["border"] != seen["inside"], seen  # a border is drawn at all
    assert seen["header_border"] != seen["header"], seen
    if scheme == "light":
        # Pale grey lines, not Tailwind 4's default currentColor (near-black text colour).
        assert brightness(seen["border"]) > 180, seen
        assert brightness(seen["header_border"]) > 180, seen
        assert brightness(seen["background"]) > 230, seen
    else:
        assert brightness(seen["background"]) < 60, seen  # the page follows the system's dark mode
        assert brightness(seen["inside"]) < brightness(seen["border"]) < 120, seen
        assert brightness(seen["header"]) < brightness(seen["header_border"]) < 120, seen


def test_the_chosen_theme_wins_over_the_system_and_stays(page: Page) -> None:
    page.emulate_media(color_scheme="light")
    page.goto("/")
    theme = page.get_by_role("combobox", name="Theme")
    expect(theme).to_have_value("system")
    html = page.locator("html")
    expect(html).not_to_have_class("dark")

    theme.select_option("Dark")
    expect(html).to_have_class("dark")
    page.reload()  # remembered by this browser, applied before the page paints
    expect(html).to_have_class("dark")
    expect(theme).to_have_value("dark")

    page.emulate_media(color_scheme="dark")
    theme.select_option("Light")
    expect(html).not_to_have_class("dark")

    theme.select_option("System")  # follows the system again, and its changes
    expect(html).to_have_class("dark")
    page.emulate_media(color_scheme="light")
    expect(html).not_to_have_class("dark")
