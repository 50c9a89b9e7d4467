"""Browser-test helpers: where their output goes, their servers' settings, a screenshot's pixels."""

import base64
import hashlib
import json
import secrets
import sys
from pathlib import Path

from playwright.sync_api import Browser, Page

from tests.support.servers import PROJECT_ROOT

ARTIFACTS = PROJECT_ROOT / "tmp/test-artifacts/browser"  # pytest-playwright empties it first
# Accepted screenshots, one folder per renderer; the README's images; this run's screenshots.
SNAPSHOTS = PROJECT_ROOT / "tests/integration/snapshots"
SCREENSHOTS_FOR_DOCS = PROJECT_ROOT / "docs/images"
SNAPSHOT_ARTIFACTS = ARTIFACTS / "snapshots"

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
            [_decoded(png), points],
        )
        return colours
    finally:
        page.close()


def _decoded(png: bytes) -> str:
    return f"data:image/png;base64,{base64.b64encode(png).decode()}"


def snapshot_renderer(page: Page) -> str:
    """What decides a screenshot's pixels: the browser's build, the fonts it draws the page's
    text with (measured, so two machines with other fonts never share baselines) and the
    project's name in the header (a renamed project never meets the template's baselines), e.g.
    `chromium-143-linux-5f0e2c1a`."""
    measured = page.evaluate(
        """() => {
            const context = new OffscreenCanvas(1, 1).getContext("2d");
            const family = getComputedStyle(document.body).fontFamily;
            const widths = ["400", "500", "600"].map((weight) => {
                context.font = `${weight} 16px ${family}`;
                return context.measureText("Hamburgefontsiv 0123456789 “·…” Log out").width;
            });
            return [widths, document.title.split(" · ").at(-1)];
        }"""
    )
    fonts = hashlib.sha256(json.dumps(measured).encode()).hexdigest()[:8]
    browser = page.context.browser
    assert browser is not None
    major = browser.version.split(".")[0]
    return f"{browser.browser_type.name}-{major}-{sys.platform}-{fonts}"


def differing_pixels(page: Page, expected: bytes, actual: bytes) -> tuple[int, int]:
    """How many pixels of two PNG screenshots differ visibly, and how many there are, compared in
    the browser (a canvas) like `pixels`; screenshots of other sizes differ everywhere."""
    browser = page.context.browser
    assert browser is not None
    scratch = browser.new_page()
    try:
        counted: list[int] = scratch.evaluate(
            """async ([expected, actual]) => {
                const load = async (source) =>
                    createImageBitmap(await (await fetch(source)).blob());
                const [before, after] = [await load(expected), await load(actual)];
                const [width, height] = [after.width, after.height];
                if (before.width !== width || before.height !== height) {
                    return [width * height, width * height];
                }
                const read = (image) => {
                    const context = new OffscreenCanvas(width, height).getContext("2d");
                    context.drawImage(image, 0, 0);
                    return context.getImageData(0, 0, width, height).data;
                };
                const [a, b] = [read(before), read(after)];
                let changed = 0;
                for (let i = 0; i < a.length; i += 4) {
                    const delta = Math.max(Math.abs(a[i] - b[i]),
                        Math.abs(a[i + 1] - b[i + 1]), Math.abs(a[i + 2] - b[i + 2]));
                    if (delta > 24) changed += 1;  // below that, the eye cannot tell
                }
                return [changed, width * height];
            }""",
            [_decoded(expected), _decoded(actual)],
        )
        return counted[0], counted[1]
    finally:
        scratch.close()
