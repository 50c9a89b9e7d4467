"""Helpers of the browser tests: reading what a screenshot shows."""

import base64

from playwright.sync_api import Browser

Colour = tuple[int, int, int]


def pixels(browser: Browser, png: bytes, points: list[tuple[int, int]]) -> list[Colour]:
    """The RGB colours at `points` of a PNG screenshot, decoded by the browser's own image decoder.

    Decoding in Chromium (a canvas) spares the project an imaging library (Pillow) for one check.
    """
    page = browser.new_page()
    try:
        return page.evaluate(
            """async ([source, points]) => {
                const image = await createImageBitmap(await (await fetch(source)).blob());
                const canvas = new OffscreenCanvas(image.width, image.height);
                const context = canvas.getContext("2d");
                context.drawImage(image, 0, 0);
                return points.map(([x, y]) => Array.from(context.getImageData(x, y, 1, 1).data.slice(0, 3)));
            }""",
            [f"data:image/png;base64,{base64.b64encode(png).decode()}", points],
        )
    finally:
        page.close()
