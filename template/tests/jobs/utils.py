"""Helpers for job tests: a real Celery worker process, an SMTP server's behaviour, mail readers."""

import asyncio
import email
import email.policy
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from email.message import EmailMessage
from pathlib import Path
from typing import Self

from aiosmtpd.smtp import SMTP, Envelope, Session
from celery.result import AsyncResult
from mirakuru import Executor
from mirakuru.exceptions import ExecutorError

from app.items.emails import ItemReminder
from app.jobs import celery_app
from app.jobs.mail import send_email

PROJECT_ROOT = Path(__file__).resolve().parents[2]


class CeleryWorker(Executor):
    """`celery worker` in its own process group, ready once it answers a ping over the broker.

    mirakuru starts it in a new session, so stopping or killing it takes its pool children too.
    """

    def __init__(self, name: str, log_path: Path, environment: dict[str, str]) -> None:
        self.hostname = f"{name}@{socket.gethostname()}"
        self.log_path = log_path
        # The production launcher; test-only flags: one pool process, and no mingle, gossip or
        # heartbeat (cluster chatter that only slows a lone worker's start and stop).
        command = [
            *["scripts/run.sh", "worker", "--hostname", self.hostname, "--loglevel", "INFO"],
            *["--pool", "prefork", "--concurrency", "1"],
            *["--without-mingle", "--without-gossip", "--without-heartbeat"],
        ]
        self._log_file = log_path.open("w")  # the worker keeps its own copy once started
        super().__init__(
            command,
            cwd=str(PROJECT_ROOT),
            envvars={"PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}", **environment},
            stdin=subprocess.DEVNULL,
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
            timeout=60,  # to start, and to stop warmly before SIGKILL: a guard against hangs
        )

    def start(self) -> Self:
        try:
            return super().start()
        except ExecutorError as error:
            raise RuntimeError(f"worker {self.hostname}: {error}\n{self.log()}") from None
        finally:
            self._log_file.close()

    def pre_start_check(self) -> bool:
        return False  # every worker has its own hostname: none can be running already

    def after_start_check(self) -> bool:
        return bool(celery_app.control.ping(destination=[self.hostname], timeout=0.5))

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


class RecordingSMTPHandler:
    """An SMTP server's behaviour: keep what is delivered; optionally refuse or stall."""

    def __init__(
        self, refuse_recipients_with: str | None = None, stall_first_message: bool = False
    ) -> None:
        self.refuse_recipients_with = refuse_recipients_with
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


StartWorker = Callable[..., CeleryWorker]
StartSMTPServer = Callable[[int, RecordingSMTPHandler], None]


def send_reminder(to: str) -> AsyncResult[str]:
    """Queue an item reminder email to `to`; the job's result."""
    reminder = ItemReminder(title="Call the plumber", description="", done=False)
    return AsyncResult(send_email(to, reminder), app=celery_app)


def parse_message(data: bytes) -> EmailMessage:
    message = email.message_from_bytes(data, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    return message


def text_and_html(message: EmailMessage) -> tuple[str, str]:
    text, html = message.get_body(("plain",)), message.get_body(("html",))
    assert isinstance(text, EmailMessage)
    assert isinstance(html, EmailMessage)
    return text.get_content(), html.get_content()


def wait_for_state(result: AsyncResult[object], state: str, timeout: float = 60) -> None:
    """Until the job reaches `state`; the timeout only guards against a hang."""
    deadline = time.monotonic() + timeout
    while result.state != state:
        assert time.monotonic() < deadline, f"job {result.id} stayed {result.state}, not {state}"
        time.sleep(0.05)
