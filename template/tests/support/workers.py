"""Celery workers in tests: real worker processes, the shared one paused for a test's own, jobs."""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Self

from celery.result import AsyncResult
from mirakuru import Executor
from mirakuru.exceptions import ExecutorError

from app.items.emails import ItemReminder
from app.jobs import celery_app
from app.jobs.mail import send_email
from tests.support.servers import PROJECT_ROOT


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


StartWorker = Callable[..., CeleryWorker]

# The session's shared worker while it runs (`shared_worker`): workers of a test's own pause it, so
# their jobs reach only them. Each test process (a pytest-xdist worker) has its own.
_running_shared_workers: list[CeleryWorker] = []


def _start(name: str, log_dir: Path, environment: dict[str, str]) -> CeleryWorker:
    celery_app.control.purge()  # nothing queued by earlier tests may reach this worker
    return CeleryWorker(name, log_dir / f"{name}.log", environment).start()


@contextmanager
def shared_worker(log_dir: Path) -> Iterator[CeleryWorker]:
    """One worker with the test environment (mail to the capture directory), for every test that
    needs no worker of its own (a start costs seconds); `own_workers` pauses it."""
    worker = _start("shared-worker", log_dir, {})
    _running_shared_workers.append(worker)
    try:
        yield worker
    finally:
        _running_shared_workers.remove(worker)
        worker.stop()


@contextmanager
def own_workers(log_dir: Path) -> Iterator[StartWorker]:
    """Start workers with extra environment variables while the shared worker is paused; at the
    end every one is stopped (fully: a worker still shutting down can hold up another test's
    redelivery) and the shared worker resumes."""
    queue = celery_app.conf.task_default_queue
    paused = [shared.hostname for shared in _running_shared_workers]
    if paused:
        celery_app.control.cancel_consumer(queue, destination=paused, reply=True)
    workers: list[CeleryWorker] = []

    def start(**environment: str) -> CeleryWorker:
        workers.append(_start(f"worker-{len(workers) + 1}", log_dir, environment))
        return workers[-1]

    try:
        yield start
    finally:
        for started in workers:
            started.stop()
        if paused:
            celery_app.control.add_consumer(queue, destination=paused, reply=True)


def send_reminder(to: str) -> AsyncResult[str]:
    """Queue an item reminder email to `to`; the job's result."""
    reminder = ItemReminder(title="Call the plumber", description="", done=False)
    return AsyncResult(send_email(to, reminder), app=celery_app)


def wait_for_state(result: AsyncResult[object], state: str, timeout: float = 60) -> None:
    """Until the job reaches `state`; the timeout only guards against a hang."""
    deadline = time.monotonic() + timeout
    while result.state != state:
        assert time.monotonic() < deadline, f"job {result.id} stayed {result.state}, not {state}"
        time.sleep(0.05)
