"""The native SMTP sink's handler: every message in the log as a developer reads it, decoded."""

import email
import email.policy
import sys
from datetime import UTC, datetime
from email.message import EmailMessage
from typing import TextIO

from aiosmtpd.smtp import SMTP, Envelope, Session

SHOWN_HEADERS = ["From", "To", "Subject", "Date"]


class DecodedMessages:
    """Writes each message's envelope, main headers and text parts, decoded: no quoted-printable
    (`=3D`, lines cut by `=`) or base64 left, so a link copied from the log opens as sent.

    Started by scripts/services.sh as `python -m aiosmtpd --class mail_sink.DecodedMessages`;
    the log is its standard output (tmp/services/mail/messages.log).
    """

    def __init__(self, log: TextIO = sys.stdout) -> None:
        self.log = log

    async def handle_DATA(  # noqa: N802  # the name aiosmtpd calls
        self, server: SMTP, session: Session, envelope: Envelope
    ) -> str:
        raw = envelope.original_content or b""
        message = email.message_from_bytes(raw, policy=email.policy.default)
        received = datetime.now(UTC).isoformat(timespec="seconds")
        lines = [f"---------- message received {received} ----------"]
        lines.append(f"Envelope: {envelope.mail_from} -> {', '.join(envelope.rcpt_tos)}")
        lines += [f"{name}: {message[name]}" for name in SHOWN_HEADERS if message[name]]
        assert isinstance(message, EmailMessage)
        for part in message.walk():
            if part.get_content_maintype() == "text" and not part.is_attachment():
                assert isinstance(part, EmailMessage)
                lines += ["", f"[{part.get_content_type()}]", part.get_content().rstrip()]
        lines.append("---------- end of message ----------\n")
        self.log.write("\n".join(lines) + "\n")
        self.log.flush()
        return "250 OK"
