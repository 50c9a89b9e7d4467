"""Mail in tests: an SMTP server's behaviour, the messages a worker delivered, their parts."""

import asyncio
import email
import email.policy
import re
import threading
import time
from collections.abc import Callable
from email.message import EmailMessage
from pathlib import Path

from aiosmtpd.smtp import SMTP, Envelope, Session


class RecordingSMTPHandler:
    """An SMTP server's behaviour: keep what is delivered; optionally refuse, stall or lack
    SMTPUTF8."""

    def __init__(
        self,
        refuse_recipients_with: str | None = None,
        stall_first_message: bool = False,
        smtputf8: bool = True,
    ) -> None:
        self.refuse_recipients_with = refuse_recipients_with
        self.smtputf8 = smtputf8  # whether the server offers SMTPUTF8 (addresses beyond ASCII)
        self.stall_first_message = stall_first_message
        self.first_message_arrived = threading.Event()
        self.recipient_attempts = 0
        self.messages: list[EmailMessage] = []

    async def handle_RCPT(  # noqa: N802  # aiosmtpd's hook name
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        self.recipient_attempts += 1
        if self.refuse_recipients_with:
            return self.refuse_recipients_with
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(  # noqa: N802  # aiosmtpd's hook name
        self, server: SMTP, session: Session, envelope: Envelope
    ) -> str:
        if self.stall_first_message and not self.first_message_arrived.is_set():
            self.first_message_arrived.set()
            await asyncio.Event().wait()  # never answers: the sender dies waiting
        self.messages.append(parse_message(envelope.original_content or b""))
        return "250 Message accepted"


StartSMTPServer = Callable[[int, RecordingSMTPHandler], None]


def parse_message(data: bytes) -> EmailMessage:
    message = email.message_from_bytes(data, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    return message


def text_and_html(message: EmailMessage) -> tuple[str, str]:
    text, html = message.get_body(("plain",)), message.get_body(("html",))
    assert isinstance(text, EmailMessage)
    assert isinstance(html, EmailMessage)
    return text.get_content(), html.get_content()


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
