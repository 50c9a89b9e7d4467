"""Where messages go: an SMTP server, or (MAIL_BACKEND=capture) .eml files for tests to read."""

import smtplib
import time
import uuid
from email.message import EmailMessage
from pathlib import Path

from app.settings import Settings, get_settings


class MailDeferredError(Exception):
    """The server is unreachable or answered 4xx: sending again later may succeed."""


class MailRejectedError(Exception):
    """The server refused the message for good (5xx): retrying cannot help."""


def deliver(message: EmailMessage) -> None:
    settings = get_settings()
    if settings.mail_backend == "capture":
        _write_to_capture_dir(message, Path(settings.mail_capture_dir))
    else:
        _send_over_smtp(message, settings)


def _write_to_capture_dir(message: EmailMessage, directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    # Names start with the time, so sorted names are in sending order.
    (directory / f"{time.time_ns()}-{uuid.uuid4().hex}.eml").write_bytes(bytes(message))


def _send_over_smtp(message: EmailMessage, settings: Settings) -> None:
    try:
        with smtplib.SMTP(
            settings.smtp_host, settings.smtp_port, timeout=settings.smtp_timeout_seconds
        ) as smtp:
            if settings.smtp_starttls:
                smtp.starttls()
            if settings.smtp_username:
                smtp.login(settings.smtp_username, settings.smtp_password.get_secret_value())
            smtp.send_message(message)
    except smtplib.SMTPRecipientsRefused as error:
        codes = [code for code, _ in error.recipients.values()]
        refusals = ", ".join(
            f"{address}: {code} {reply.decode(errors='replace')}"
            for address, (code, reply) in error.recipients.items()
        )
        if all(400 <= code < 500 for code in codes):
            raise MailDeferredError(f"recipients deferred ({refusals})") from None
        raise MailRejectedError(f"recipients refused ({refusals})") from None
    except smtplib.SMTPResponseException as error:
        text = error.smtp_error
        if isinstance(text, bytes):
            text = text.decode(errors="replace")
        reply = f"{error.smtp_code} {text}"
        if 400 <= error.smtp_code < 500:
            raise MailDeferredError(f"SMTP server deferred the message: {reply}") from None
        raise MailRejectedError(f"SMTP server refused the message: {reply}") from None
    except smtplib.SMTPNotSupportedError as error:
        # The message needs an extension the server lacks (SMTPUTF8 for an address outside
        # ASCII): the same server refuses it the same way every time.
        raise MailRejectedError(f"SMTP server cannot take the message: {error}") from None
    except (smtplib.SMTPServerDisconnected, OSError) as error:  # SMTPException is an OSError
        raise MailDeferredError(
            f"SMTP server {settings.smtp_host}:{settings.smtp_port} unreachable: {error!r}"
        ) from None
