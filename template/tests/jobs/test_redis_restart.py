"""Queued jobs survive a Redis restart: Redis keeps an append-only file (fsynced every second).

Twenty reminders are queued through the production server while no worker runs, Redis is
restarted exactly as `scripts/services.sh` restarts it, and only then does a worker start: it
delivers every one. The Redis is a throwaway server of the test's own.
"""

import time
from collections.abc import Callable
from email.message import EmailMessage
from pathlib import Path

import httpx
import pytest
from celery import Celery

from app.jobs.db import worker_session
from app.models.account import User
from app.models.item import Item
from tests.support.accounts import committed_login
from tests.support.clients import SAME_ORIGIN
from tests.support.servers import ApiServer
from tests.support.services import ThrowawayServices
from tests.support.workers import CeleryWorker

pytestmark = pytest.mark.workers

JOBS = 20


def test_jobs_queued_before_a_redis_restart_are_all_done_after_it(
    throwaway_services: ThrowawayServices,
    add_committed_items: Callable[..., list[Item]],
    captured_mail: Callable[[], list[EmailMessage]],
    tmp_path: Path,
) -> None:
    throwaway_services.run("up", "redis")
    [item] = add_committed_items(1)
    with worker_session() as session:
        owner = session.get_one(User, item.owner_id)
    server = ApiServer(tmp_path / "server.log", REDIS_URL=throwaway_services.redis_url)
    server.start()
    try:
        with httpx.Client(
            base_url=server.base_url,
            timeout=30,
            cookies=committed_login(owner.id),
            headers=SAME_ORIGIN,
        ) as client:
            statuses = [
                client.post(f"/api/items/{item.id}/reminders").status_code for _ in range(JOBS)
            ]
    finally:
        server.stop()
    assert statuses == [202] * JOBS

    throwaway_services.run("restart", "redis")
    worker = ThrowawayBrokerWorker(tmp_path / "worker.log", throwaway_services.redis_url)
    worker.start()
    try:
        delivered = wait_for_mail(captured_mail, JOBS, worker)
    finally:
        worker.stop()

    assert [str(message["To"]) for message in delivered] == [owner.email] * JOBS


class ThrowawayBrokerWorker(CeleryWorker):
    """A worker on another Redis than the suite's: its readiness ping goes over that Redis."""

    def __init__(self, log_path: Path, redis_url: str) -> None:
        super().__init__("after-restart", log_path, {"REDIS_URL": redis_url})
        self.broker = Celery(broker=redis_url)

    def after_start_check(self) -> bool:
        return bool(self.broker.control.ping(destination=[self.hostname], timeout=0.5))


def wait_for_mail(
    captured_mail: Callable[[], list[EmailMessage]], count: int, worker: CeleryWorker
) -> list[EmailMessage]:
    """Until `count` messages are captured; the bound only guards against a hang."""
    deadline = time.monotonic() + 120
    while len(messages := captured_mail()) < count and time.monotonic() < deadline:
        assert worker.running(), f"the worker exited:\n{worker.log()}"
        time.sleep(0.2)
    return messages
