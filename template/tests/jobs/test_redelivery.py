"""Crash recovery on real workers: the job of a worker killed mid-task reaches the next worker.

Its workers are its own, started after every other test's have stopped: a worker still running
or shutting down can hold up the redelivery this test waits for.
"""

import pytest

from tests.support.mail import RecordingSMTPHandler, StartSMTPServer
from tests.support.servers import free_port
from tests.support.workers import StartWorker, send_reminder

pytestmark = pytest.mark.workers


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
