"""What every page of the browser suite must be: no sideways scrolling, every action in reach, and
no serious accessibility faults (axe-core), and the accepted look (screenshots)."""

import os
import warnings

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

from tests.support.browser import (
    SCREENSHOTS_FOR_DOCS,
    SNAPSHOT_ARTIFACTS,
    SNAPSHOTS,
    differing_pixels,
    snapshot_renderer,
)

# axe-core's impacts that fail a page; "minor" and "moderate" ones are left to judgement.
BLOCKING_IMPACTS = {"serious", "critical"}
# The share of a screenshot's pixels that may differ from its baseline: a few anti-aliased glyph
# edges, not a moved or restyled element.
SNAPSHOT_TOLERANCE = 0.0005
# The elements a user clicks or types into.
ACTIONS = "a[href], button, input:not([type=hidden]), select, textarea, summary"
# A time's text, and so its width, changes with the clock ("9:59 AM", "10:00 AM"): in screenshots
# every `<time>` is a box of one width, so the lines around it wrap the same at any hour.
TIMES_OF_ONE_WIDTH = (
    "time { display: inline-block; width: 11em; overflow: hidden; white-space: nowrap;"
    " vertical-align: bottom; }"
)


def assert_no_horizontal_overflow(page: Page, where: str) -> None:
    """The page is no wider than the window: nothing scrolls the whole page sideways."""
    overflow = page.evaluate(
        """() => {
            const width = document.documentElement.clientWidth;
            if (document.documentElement.scrollWidth <= width) return null;
            // The deepest elements past the right edge name the culprit.
            const past = [...document.body.querySelectorAll("*")].filter((element) =>
                element.getBoundingClientRect().right > width + 0.5
                && ![...element.children].some((child) =>
                    child.getBoundingClientRect().right > width + 0.5));
            return {
                width,
                scrollWidth: document.documentElement.scrollWidth,
                past: past.slice(0, 5).map((element) =>
                    `<${element.tagName.toLowerCase()} class="${element.className}">`
                    + ` ${(element.textContent ?? "").trim().slice(0, 60)}`),
            };
        }"""
    )
    assert overflow is None, f"{where}: the page scrolls sideways: {overflow}"


def assert_actions_clickable(page: Page, where: str, within: str = "body") -> None:
    """Every visible link, button and field inside `within`, scrolled into view, has its centre
    inside the window, and a click there lands on it, not on text or a box drawn over it."""
    problems = page.evaluate(
        """([selector, within]) => {
            const root = document.querySelector(within);
            const width = document.documentElement.clientWidth;
            const problems = [];
            for (const element of root.querySelectorAll(selector)) {
                if (!element.checkVisibility({ visibilityProperty: true })) continue;
                element.scrollIntoView({ block: "center", inline: "center" });
                const box = element.getBoundingClientRect();
                if (box.width <= 1 || box.height <= 1) continue;  // visually hidden (sr-only)
                const name = `${element.tagName.toLowerCase()} "${
                    (element.getAttribute("aria-label") ?? element.textContent ?? "")
                        .trim().slice(0, 40)}"`;
                // Wider than the window (a long email in a table that scrolls) is fine so long
                // as scrolling brings its centre into reach.
                const centre = box.left + box.width / 2;
                if (centre < 0 || centre > width) {
                    problems.push(`${name} lies outside the window (${box.left} to ${box.right})`);
                    continue;
                }
                // A link that wraps has a box per line: aim at the first line's centre.
                const line = element.getClientRects()[0];
                const hit = document.elementFromPoint(
                    line.left + line.width / 2, line.top + line.height / 2);
                const reached = hit !== null && (element.contains(hit)
                    || (hit instanceof HTMLLabelElement && hit.control === element));
                if (!reached) {
                    const text = (hit?.textContent ?? "").trim().slice(0, 40);
                    problems.push(
                        `${name}: a click at its centre lands on <${hit?.tagName}> "${text}"`);
                }
            }
            window.scrollTo(0, 0);
            return problems;
        }""",
        [ACTIONS, within],
    )
    assert not problems, f"{where}: actions out of reach: {problems}"


def assert_accessible(page: Page, where: str) -> None:
    """axe-core's default rules (WCAG A and AA, best practices) find nothing serious or
    critical."""
    results = Axe().run(page, options={"resultTypes": ["violations"]})
    blocking = [
        f"{violation['id']} ({violation['impact']}): {violation['help']} at "
        + ", ".join(str(node["target"]) for node in violation["nodes"][:3])
        for violation in results.response["violations"]
        if violation["impact"] in BLOCKING_IMPACTS
    ]
    assert not blocking, f"{where}: accessibility violations: {blocking}"


def assert_matches_snapshot(page: Page, name: str, *, for_docs: bool = False) -> None:
    """The page looks as its accepted screenshot: tests/integration/snapshots/<renderer>/<name>.png.

    Times (`<time>` elements) are masked, each one box of one width, and animations stopped.
    Pixels depend on the browser's build and the fonts it finds, so baselines are kept per renderer
    (`snapshot_renderer`): where none were accepted for this one the screenshot is only saved, with
    a warning, for `just browser_snapshots_update` to accept. `UPDATE_SNAPSHOTS=1` (what that recipe
    sets) accepts every screenshot as the new baseline, and writes those `for_docs` to docs/images/
    too (the README's pictures).
    """
    shot = page.screenshot(
        full_page=True,
        animations="disabled",
        caret="hide",
        mask=[page.locator("time")],
        mask_color="#808080",
        style=TIMES_OF_ONE_WIDTH,
    )
    renderer = snapshot_renderer(page)
    baseline = SNAPSHOTS / renderer / f"{name}.png"
    if os.environ.get("UPDATE_SNAPSHOTS") == "1":
        baseline.parent.mkdir(parents=True, exist_ok=True)
        baseline.write_bytes(shot)
        if for_docs:
            SCREENSHOTS_FOR_DOCS.mkdir(parents=True, exist_ok=True)
            (SCREENSHOTS_FOR_DOCS / f"{name}.png").write_bytes(shot)
        return
    actual = SNAPSHOT_ARTIFACTS / renderer / f"{name}.png"
    actual.parent.mkdir(parents=True, exist_ok=True)
    actual.write_bytes(shot)
    if not baseline.parent.is_dir():
        warnings.warn(
            f"no accepted screenshots for renderer {renderer}: {name} saved to {actual}, not "
            "compared (accept this machine's with `just browser_snapshots_update`)",
            stacklevel=2,
        )
        return
    assert baseline.is_file(), (
        f"{name}: no accepted screenshot {baseline}; see {actual}, accept it with "
        "`just browser_snapshots_update`"
    )
    expected = baseline.read_bytes()
    if expected == shot:
        return
    changed, total = differing_pixels(page, expected, shot)
    assert changed <= total * SNAPSHOT_TOLERANCE, (
        f"{name}: {changed} of {total} pixels differ from {baseline}; the new look is {actual} "
        "(if it is right: `just browser_snapshots_update`)"
    )
