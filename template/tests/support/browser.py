"""Browser-test helpers: the emails the worker delivered, and what a screenshot shows."""

import base64
import email
import email.policy
import re
import time
from email.message import EmailMessage
from pathlib import Path

from playwright.sync_api import Browser

Colour = tuple[int, int, int]


class Inbox:
    """The emails in the capture directory the worker writes to (MAIL_BACKEND=capture)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def messages(self, to: str) -> list[EmailMessage]:
        """The messages sent to `to` so far, oldest first (file names start with the time)."""
        found = []
        for path in sorted(self.directory.glob("*.eml")):
            message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            assert isinstance(message, EmailMessage)
            if message["To"] == to:
                found.append(message)
        return found

    def link(self, to: str, page: str, timeout: float = 60) -> str:
        """The newest link to the app's `page` (e.g. "/verify-email") in a message to `to`.

        The worker delivers asynchronously: wait for it, bounded so a lost job fails the test.
        """
        pattern = re.compile(rf"https?://[^\s\"'<>]+{re.escape(page)}\?token=[\w\-.~%]+")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for message in reversed(self.messages(to)):
                text = message.get_body(("plain",))
                assert isinstance(text, EmailMessage)
                if found := pattern.search(text.get_content()):
                    return found.group()
            time.sleep(0.1)
        raise AssertionError(f"no email to {to} with a {page} link within {timeout} s")


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
