"""Task logic, called directly in the test process: payload checks, the purge, email rendering."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage

import pytest
from celery.schedules import crontab
from pydantic import JsonValue, ValidationError
from sqlmodel import col, delete, select

from app.accounts.email_tokens import new_email_token
from app.accounts.emails import VerifyEmail
from app.accounts.tasks import purge_expired
from app.accounts.tokens import digest
from app.items.emails import ItemReminder
from app.items.tasks import purge_done_items
from app.jobs import celery_app
from app.jobs.celery_app import broker_transport_options, task_modules
from app.jobs.db import worker_session
from app.jobs.errors import InvalidPayloadError
from app.jobs.mail import deliver_email, email_contexts, send_email
from app.jobs.schedule import ScheduleError, beat_schedule, configured_schedule
from app.mail.messages import template_names
from app.models.account import AccountToken, LoginSession, TokenPurpose, User
from app.models.item import Item
from app.settings import get_settings
from tests.factories import UserFactory
from tests.support.mail import text_and_html
from tests.support.settings import OverrideSettings


def days_ago(days: int) -> datetime:
    return datetime.now(UTC) - timedelta(days=days)


def remaining_titles() -> set[str]:
    with worker_session() as session:
        return set(session.exec(select(Item.title)))


def test_purge_deletes_only_done_items_untouched_for_the_retention_period(
    add_committed_items: Callable[..., list[Item]],
) -> None:
    add_committed_items(title="old and done", done=True, updated_at=days_ago(31))
    add_committed_items(title="recent and done", done=True, updated_at=days_ago(29))
    add_committed_items(title="old and open", done=False, updated_at=days_ago(90))

    deleted = purge_done_items(older_than_days=30)

    assert deleted == 1
    assert remaining_titles() == {"recent and done", "old and open"}


def test_purge_defaults_to_the_configured_retention_and_is_idempotent(
    add_committed_items: Callable[..., list[Item]],
) -> None:
    retention = get_settings().items_done_retention_days
    add_committed_items(2, done=True, updated_at=days_ago(retention + 1))

    assert purge_done_items() == 2
    assert purge_done_items() == 0


def test_invalid_payload_is_rejected_before_any_work(
    add_committed_items: Callable[..., list[Item]],
) -> None:
    add_committed_items(title="old and done", done=True, updated_at=days_ago(400))

    with pytest.raises(InvalidPayloadError, match="older_than_days: Input should be greater"):
        purge_done_items(older_than_days=0)
    assert remaining_titles() == {"old and done"}


def test_positional_arguments_are_rejected() -> None:
    with pytest.raises(InvalidPayloadError, match="keyword arguments only"):
        purge_done_items(30)  # type: ignore[call-arg]  # the wrong call this test makes on purpose


def test_deliver_email_renders_text_and_html_bodies(
    captured_mail: Callable[[], list[EmailMessage]],
) -> None:
    context: dict[str, JsonValue] = {
        "title": "Water <the> plants",
        "description": "Twice a week",
        "done": False,
    }

    deliver_email(to="ada@example.com", template="item_reminder", context=context)

    [message] = captured_mail()
    assert message["To"] == "ada@example.com"
    assert message["Subject"] == "Reminder: Water <the> plants"
    assert get_settings().mail_from in message["From"]
    text, html = text_and_html(message)
    assert "Water <the> plants" in text
    assert "Twice a week" in text
    assert "Water &lt;the&gt; plants" in html
    assert "<the>" not in html


def test_email_context_missing_a_variable_fails_instead_of_sending_blanks(
    captured_mail: Callable[[], list[EmailMessage]],
) -> None:
    with pytest.raises(InvalidPayloadError, match="title"):
        deliver_email(to="ada@example.com", template="item_reminder", context={})
    assert captured_mail() == []


def test_send_email_rejects_a_bad_address_in_the_caller() -> None:
    with pytest.raises(ValidationError, match="value is not a valid email address"):
        send_email("not an address", ItemReminder(title="x", description="", done=False))


def test_email_contexts_are_typed_where_they_are_made() -> None:
    with pytest.raises(ValidationError, match="link"):
        VerifyEmail(link="not a url", valid_hours=1)  # type: ignore[arg-type]


def test_every_email_template_has_a_context_model() -> None:
    assert set(email_contexts()) == template_names()


def test_every_task_module_is_discovered() -> None:
    assert {"app.accounts.tasks", "app.items.tasks", "app.jobs.mail"} <= set(task_modules())


def test_every_scheduled_task_exists() -> None:
    celery_app.loader.import_default_modules()

    scheduled = {entry["task"] for entry in beat_schedule.values()}

    assert scheduled
    assert scheduled <= set(celery_app.tasks)


def test_the_schedule_keeps_its_times_unless_jobs_schedule_moves_them(
    override_settings: OverrideSettings,
) -> None:
    assert configured_schedule(override_settings(JOBS_SCHEDULE=None)) == beat_schedule

    moved = configured_schedule(
        override_settings(JOBS_SCHEDULE='{"purge-done-items-nightly": "*/5 2 1-7 * mon"}')
    )

    assert moved["purge-done-items-nightly"] == {
        "task": "items.purge_done_items",
        "schedule": crontab(minute="*/5", hour="2", day_of_month="1-7", day_of_week="mon"),
    }
    assert {name: entry for name, entry in moved.items() if name != "purge-done-items-nightly"} == {
        name: entry for name, entry in beat_schedule.items() if name != "purge-done-items-nightly"
    }


@pytest.mark.parametrize(
    ("moves", "complaint"),
    [
        ('{"purge-everything": "0 3 * * *"}', "names no entry"),
        ('{"purge-done-items-nightly": "0 3 * *"}', "five crontab fields"),
        ('{"purge-done-items-nightly": "61 3 * * *"}', "no crontab"),
    ],
)
def test_a_jobs_schedule_that_moves_nothing_real_is_refused(
    moves: str, complaint: str, override_settings: OverrideSettings
) -> None:
    with pytest.raises(ScheduleError, match=complaint):
        configured_schedule(override_settings(JOBS_SCHEDULE=moves))


@pytest.mark.parametrize(
    ("visibility_timeout", "interval", "throttle"),
    [(1800, 10, 10), (600, 10, 6), (60, 6, 1), (2, 1, 1)],
)
def test_lost_messages_are_swept_about_ten_times_per_visibility_timeout(
    visibility_timeout: int, interval: int, throttle: int, override_settings: OverrideSettings
) -> None:
    settings = override_settings(JOBS_VISIBILITY_TIMEOUT_SECONDS=str(visibility_timeout))

    options = broker_transport_options(settings)

    assert options == {
        "visibility_timeout": visibility_timeout,
        "unacked_restore_interval": interval,
        "unacked_restore_throttle": throttle,
    }


def test_purge_expired_deletes_only_dead_sessions_and_links(migrated_database: None) -> None:
    settings = get_settings()
    with worker_session() as session:
        user = UserFactory.build()
        session.add(user)
        session.flush()
        live = LoginSession(user_id=user.id, token_hash=digest("live"))
        idle = LoginSession(
            user_id=user.id,
            token_hash=digest("idle"),
            last_seen_at=datetime.now(UTC)
            - timedelta(minutes=settings.session_idle_timeout_minutes + 1),
        )
        _, valid_link = new_email_token(user, TokenPurpose.VERIFY_EMAIL, timedelta(hours=1))
        _, dead_link = new_email_token(user, TokenPurpose.VERIFY_EMAIL, timedelta(seconds=-1))
        session.add_all([live, idle, valid_link, dead_link])
        session.commit()
    try:
        assert purge_expired() >= 2
        with worker_session() as session:
            hashes = set(session.exec(select(LoginSession.token_hash)).all())
            links = set(session.exec(select(AccountToken.token_hash)).all())
        assert digest("live") in hashes
        assert digest("idle") not in hashes
        assert (valid_link.token_hash in links, dead_link.token_hash in links) == (True, False)
    finally:
        with worker_session() as session:
            session.exec(delete(User).where(col(User.id) == user.id))
            session.commit()
