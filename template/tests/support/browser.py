"""Browser-test helpers: where their output goes, their servers' settings, a screenshot's pixels."""

import base64
import secrets
from pathlib import Path

from playwright.sync_api import Browser

from tests.support.servers import PROJECT_ROOT

ARTIFACTS = PROJECT_ROOT / "tmp/test-artifacts/browser"  # pytest-playwright empties it first

Colour = tuple[int, int, int]


def production_environment(production_bundle: Path) -> dict[str, str]:
    """What the browser tests' servers run with: the production profile against the test services.

    `ENVIRONMENT=production` gives the `__Host-` Secure session cookie, HSTS and JSON logs; it
    refuses the committed test key, so the server gets a random one (sessions do not use it).
    """
    return {
        "ENVIRONMENT": "production",
        "SECRET_KEY": secrets.token_urlsafe(32),
        "WEB_DIST_DIR": str(production_bundle),
    }


def pixels(browser: Browser, png: bytes, points: list[tuple[int, int]]) -> list[Colour]:
    """The RGB colours at `points` of a PNG screenshot, decoded by the browser's own image decoder.

    Decoding in Chromium (a canvas) spares the project an imaging library (Pillow) for one check.
    """
    page = browser.new_page()
    try:
        colours: list[Colour] = page.evaluate(
            """async ([source, points]) => {
                const image = await createImageBitmap(await (await fetch(source)).blob());
                const canvas = new OffscreenCanvas(image.width, image.height);
                const context = canvas.getContext("2d");
                context.drawImage(image, 0, 0);
                const colour = ([x, y]) => Array.from(context.getImageData(x, y, 1, 1).data);
                return points.map((point) => colour(point).slice(0, 3));
            }""",
            [f"data:image/png;base64,{base64.b64encode(png).decode()}", points],
        )
        return colours
    finally:
        page.close()
