"""The native SMTP sink (`scripts/services.sh up smtp`, no Docker): a developer reads the mail the
app sends in tmp/services/mail/messages.log, links included, decoded as the recipient sees them."""

import os
import smtplib
import subprocess
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path

import pytest

from tests.support.servers import PROJECT_ROOT, free_port

# The native mail sink, started through scripts/services.sh.
pytestmark = pytest.mark.processes

# Long enough that quoted-printable cuts it with a soft line break, with `=` encoded as `=3D`.
LINK = "https://app.example.com/reset-password?token=" + "Zm9vYmFy-" * 12 + "&next=%2Faccount"


@pytest.fixture
def sink(tmp_path: Path) -> Iterator[tuple[int, Path]]:
    """A sink of its own: its own port and state directory, started as `just up` starts it."""
    port = free_port()
    environment = {
        **os.environ,
        "SERVICES_DIR": str(tmp_path),
        "SERVICES_MODE": "native",
        "MAILPIT_SMTP_PORT": str(port),
    }
    command = [str(PROJECT_ROOT / "scripts/services.sh")]
    subprocess.run([*command, "up", "smtp"], env=environment, check=True, capture_output=True)
    try:
        yield port, tmp_path / "mail/messages.log"
    finally:
        subprocess.run([*command, "down", "smtp"], env=environment, check=True)


def test_the_native_sink_logs_links_as_sent(sink: tuple[int, Path]) -> None:
    port, log = sink
    message = EmailMessage()
    message["From"] = "noreply@example.com"
    message["To"] = "ada@example.com"
    message["Subject"] = "Reset your password"
    message.set_content(f"Choose a new password: {LINK}\n", cte="quoted-printable")
    message.add_alternative(f'<p><a href="{LINK}">Choose a new password</a></p>', subtype="html")
    assert "=3D" in message.as_string()  # what the old log showed

    with smtplib.SMTP("127.0.0.1", port) as client:
        client.send_message(message)

    logged = log.read_text()
    assert f"Choose a new password: {LINK}" in logged
    assert "Subject: Reset your password" in logged
    assert "To: ada@example.com" in logged
    assert "=3D" not in logged
