"""The theme in a real browser: cards and the header draw the theme's border colour, light and dark."""

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.integration.utils import Colour, pixels

pytestmark = pytest.mark.integration


def brightness(colour: Colour) -> float:
    return sum(colour) / 3


def card_pixels(page: Page, browser: Browser, screenshot: Path) -> dict[str, Colour]:
    """The card's top border, its inside, and the page background, read from a full screenshot."""
    card = page.get_by_text("No items yet.").locator("xpath=..")
    box = card.bounding_box()
    assert box is not None
    page.screenshot(path=screenshot, full_page=True)
    x, top = round(box["x"] + box["width"] / 2), round(box["y"])
    border, inside, background = pixels(
        browser, screenshot.read_bytes(), [(x, top), (x, top + 8), (x, top - 8)]
    )
    return {"border": border, "inside": inside, "background": background}


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_cards_draw_the_theme_border_not_black(
    page: Page, browser: Browser, tmp_path: Path, scheme: str
):
    page.emulate_media(color_scheme=scheme)
    page.goto("/")
    expect(page.get_by_text("No items yet.")).to_be_visible()

    seen = card_pixels(page, browser, tmp_path / f"items-{scheme}.png")

    assert seen["border"] != seen["inside"], seen  # a border is drawn at all
    if scheme == "light":
        assert brightness(seen["border"]) > 180, seen  # a pale grey line, not currentColor black
        assert brightness(seen["background"]) > 230, seen
    else:
        assert brightness(seen["background"]) < 60, seen  # the page follows the system's dark mode
        assert brightness(seen["inside"]) < brightness(seen["border"]) < 120, seen
