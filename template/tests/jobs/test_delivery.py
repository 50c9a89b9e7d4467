"""Delivery guarantees on a real worker and SMTP servers: retries until delivered, final failures.

One worker sends to this module's SMTP port (a worker start costs seconds); each test serves
that port with the behaviour it needs, or leaves it closed.
"""

from collections.abc import Iterator

import pytest

from app.mail.backends import MailRejectedError
from tests.support.mail import RecordingSMTPHandler, StartSMTPServer
from tests.support.servers import free_port
from tests.support.workers import own_workers, send_reminder, wait_for_state

pytestmark = pytest.mark.workers


@pytest.fixture(scope="module")
def smtp_port(migrated_database: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    """The port this module's worker sends mail to; nothing listens on it between tests."""
    port = free_port()
    with own_workers(tmp_path_factory.mktemp("workers")) as start_worker:
        start_worker(
            MAIL_BACKEND="smtp",
            SMTP_PORT=str(port),
            JOBS_MAX_RETRIES="50",
            JOBS_RETRY_BACKOFF_MAX_SECONDS="2",
        )
        yield port


def test_unreachable_smtp_server_is_retried_until_the_email_is_delivered(
    smtp_port: int, smtp_server: StartSMTPServer
) -> None:
    job = send_reminder("linus@example.com")  # nothing listens on the port yet
    wait_for_state(job, "RETRY")

    handler = RecordingSMTPHandler()
    smtp_server(smtp_port, handler)

    job.get(timeout=120)
    assert job.state == "SUCCESS"
    assert [message["To"] for message in handler.messages] == ["linus@example.com"]
    assert handler.messages[0]["Subject"] == "Reminder: Call the plumber"


def test_refused_recipient_fails_the_job_once_with_the_error_recorded(
    smtp_port: int, smtp_server: StartSMTPServer
) -> None:
    handler = RecordingSMTPHandler(refuse_recipients_with="550 5.1.1 No such mailbox")
    smtp_server(smtp_port, handler)

    job = send_reminder("ghost@example.com")

    with pytest.raises(MailRejectedError, match=r"ghost@example\.com: 550 5\.1\.1 No such mailbox"):
        job.get(timeout=60)
    assert job.state == "FAILURE"
    assert "MailRejectedError" in str(job.traceback)
    assert handler.recipient_attempts == 1
    assert handler.messages == []


def test_a_message_the_server_cannot_take_fails_the_job_at_once(
    smtp_port: int, smtp_server: StartSMTPServer
) -> None:
    """The server lacks SMTPUTF8, and the address needs it: sending again cannot help, so the
    job fails now instead of retrying for an hour."""
    handler = RecordingSMTPHandler(smtputf8=False)
    smtp_server(smtp_port, handler)

    job = send_reminder("j\u00fcrgen@example.com")

    with pytest.raises(MailRejectedError, match="SMTPUTF8"):
        job.get(timeout=60)
    assert job.state == "FAILURE"
    assert handler.messages == []
