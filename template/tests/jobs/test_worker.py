"""Functional: jobs queued through the app's public paths run on a real worker process."""

import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from secrets import token_urlsafe

import httpx
import pytest
from celery.result import AsyncResult
from redis import Redis

from app.accounts.emails import ResetPassword
from app.items.tasks import purge_done_items
from app.jobs import celery_app
from app.jobs.errors import InvalidPayloadError
from app.jobs.mail import send_email
from app.models.account import User
from app.models.item import Item
from app.settings import get_settings
from tests.support.mail import text_and_html
from tests.support.workers import CeleryWorker

pytestmark = [pytest.mark.workers, pytest.mark.usefixtures("worker")]


async def test_item_reminder_is_emailed_by_the_worker_to_the_owner(
    client: httpx.AsyncClient,
    user: User,
    add_items: Callable[..., Awaitable[list[Item]]],
    captured_mail: Callable[[], list[EmailMessage]],
) -> None:
    [item] = await add_items(title="Renew passport", description="Expires in May", done=False)

    response = await client.post(f"/api/items/{item.id}/reminders")

    assert response.status_code == 202
    job: AsyncResult[str] = AsyncResult(response.json()["job_id"], app=celery_app)
    message_id = job.get(timeout=60)
    [message] = captured_mail()
    assert message["Message-ID"] == message_id
    assert message["To"] == user.email
    assert message["Subject"] == "Reminder: Renew passport"
    text, html = text_and_html(message)
    assert "Expires in May" in text
    assert "Renew passport" in html


def test_a_one_time_link_is_gone_from_redis_once_its_email_is_delivered(
    captured_mail: Callable[[], list[EmailMessage]],
) -> None:
    token = token_urlsafe(32)
    context = ResetPassword(link=f"http://127.0.0.1/reset-password?token={token}", valid_minutes=30)  # type: ignore[arg-type]

    AsyncResult(send_email("ada@example.com", context), app=celery_app).get(timeout=60)

    [message] = captured_mail()
    assert token in text_and_html(message)[0]
    # The worker acknowledges the message (its copy leaves the broker) only after storing the
    # result that `get` returned; the bound only guards against a hang.
    deadline = time.monotonic() + 30
    while (holding := [value for value in every_redis_value() if token in str(value)]) and (
        time.monotonic() < deadline
    ):
        time.sleep(0.05)
    assert not holding


def every_redis_value() -> list[object]:
    """Each string stored in Redis: the broker's queues, unacknowledged messages and results."""
    redis = Redis.from_url(str(get_settings().redis_url), decode_responses=True)
    values: list[object] = []
    for key in redis.scan_iter():
        match redis.type(key):
            case "string":
                values.append(redis.get(key))
            case "list":
                values += redis.lrange(key, 0, -1)
            case "hash":
                values += [*redis.hkeys(key), *redis.hvals(key)]
            case "set":
                values += redis.smembers(key)
            case "zset":
                values += redis.zrange(key, 0, -1)
    return values


def test_purge_runs_on_the_worker_against_the_database(
    add_committed_items: Callable[..., list[Item]],
) -> None:
    add_committed_items(3, done=True, updated_at=datetime.now(UTC) - timedelta(days=60))
    add_committed_items(2, done=False)

    assert purge_done_items.delay(older_than_days=30).get(timeout=60) == 3


def test_bad_payload_fails_once_with_a_clear_log_line(worker: CeleryWorker) -> None:
    job = celery_app.send_task("mail.deliver_email", kwargs={"to": "nobody", "template": "x"})

    with pytest.raises(InvalidPayloadError, match="to: value is not a valid email address"):
        job.get(timeout=60)
    assert job.state == "FAILURE"
    # Rejected at its first run and never retried: one attempt, one log line. The worker is
    # shared by the session, so its log holds other tests' jobs too.
    rejections = [
        line
        for line in worker.log().splitlines()
        if "job payload rejected" in line and job.id in line
    ]
    assert len(rejections) == 1
    assert "no email template 'x'" in rejections[0]
