"""Delivery guarantees on real workers and SMTP servers: retries, final failures, crash recovery."""

import pytest
from celery.result import AsyncResult

from app.jobs import celery_app
from app.jobs.tasks.mail import send_email
from app.mail.backends import MailRejectedError
from app.mail.contexts import ItemReminder
from tests.jobs.utils import (
    RecordingSMTPHandler,
    StartSMTPServer,
    StartWorker,
    wait_for_state,
)
from tests.utils import free_port

pytestmark = pytest.mark.workers

REMINDER = ItemReminder(title="Call the plumber", description="", done=False)


def send_reminder(to: str) -> AsyncResult[str]:
    return AsyncResult(send_email(to, REMINDER), app=celery_app)


def test_unreachable_smtp_server_is_retried_until_the_email_is_delivered(
    start_worker: StartWorker, smtp_server: StartSMTPServer
) -> None:
    port = free_port()  # nothing listens here yet
    start_worker(
        MAIL_BACKEND="smtp",
        SMTP_PORT=str(port),
        JOBS_MAX_RETRIES="50",
        JOBS_RETRY_BACKOFF_MAX_SECONDS="2",
    )
    job = send_reminder("linus@example.com")
    wait_for_state(job, "RETRY")

    handler = RecordingSMTPHandler()
    smtp_server(port, handler)

    job.get(timeout=120)
    assert job.state == "SUCCESS"
    assert [message["To"] for message in handler.messages] == ["linus@example.com"]
    assert handler.messages[0]["Subject"] == "Reminder: Call the plumber"


def test_refused_recipient_fails_the_job_once_with_the_error_recorded(
    start_worker: StartWorker, smtp_server: StartSMTPServer
) -> None:
    handler = RecordingSMTPHandler(refuse_recipients_with="550 5.1.1 No such mailbox")
    port = free_port()
    smtp_server(port, handler)
    start_worker(MAIL_BACKEND="smtp", SMTP_PORT=str(port))

    job = send_reminder("ghost@example.com")

    with pytest.raises(MailRejectedError, match=r"ghost@example\.com: 550 5\.1\.1 No such mailbox"):
        job.get(timeout=60)
    assert job.state == "FAILURE"
    assert "MailRejectedError" in str(job.traceback)
    assert handler.recipient_attempts == 1
    assert handler.messages == []


def test_job_of_a_killed_worker_is_redelivered_to_the_next_worker(
    start_worker: StartWorker, smtp_server: StartSMTPServer
) -> None:
    handler = RecordingSMTPHandler(stall_first_message=True)
    port = free_port()
    smtp_server(port, handler)
    # A short visibility timeout: unacknowledged work returns to the queue within seconds.
    environment = {
        "MAIL_BACKEND": "smtp",
        "SMTP_PORT": str(port),
        "SMTP_TIMEOUT_SECONDS": "300",
        "JOBS_VISIBILITY_TIMEOUT_SECONDS": "2",
    }
    first = start_worker(**environment)
    job = send_reminder("margaret@example.com")
    assert handler.first_message_arrived.wait(timeout=60), "the first worker never began sending"

    first.kill()
    start_worker(**environment)

    job.get(timeout=120)
    assert job.state == "SUCCESS"
    assert [message["To"] for message in handler.messages] == ["margaret@example.com"]
