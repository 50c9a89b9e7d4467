"""Fixtures for job tests: real worker processes, committed rows they can see, mail capture,
services of a test's own."""

import shutil
from collections.abc import Callable, Iterator
from email.message import EmailMessage
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from sqlmodel import delete, select

from app.jobs.db import worker_session
from app.models.account import User
from app.models.audit import AuditEvent, AuditKind
from app.models.item import Item
from app.settings import get_settings
from tests.factories import ItemFactory, UserFactory
from tests.support.mail import RecordingSMTPHandler, StartSMTPServer, parse_message
from tests.support.services import ThrowawayServices
from tests.support.workers import CeleryWorker, StartWorker, own_workers, shared_worker


@pytest.fixture(scope="session")
def worker(
    migrated_database: None, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[CeleryWorker]:
    """One worker with the test environment, started once and shared by every test that needs no
    worker of its own (`start_worker` pauses it)."""
    with shared_worker(tmp_path_factory.mktemp("workers")) as worker:
        yield worker


@pytest.fixture
def start_worker(migrated_database: None, tmp_path: Path) -> Iterator[StartWorker]:
    """Start workers of the test's own: `start_worker(SMTP_PORT="2525")`."""
    with own_workers(tmp_path) as start:
        yield start


@pytest.fixture
def throwaway_services(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ThrowawayServices]:
    """Postgres and Redis of the test's own (`.run("up", "redis")`), destroyed afterwards."""
    services = ThrowawayServices(tmp_path_factory.mktemp("services"))
    yield services
    services.destroy()


@pytest.fixture
def smtp_server() -> Iterator[StartSMTPServer]:
    """Run an SMTP server on 127.0.0.1:`port` with the given behaviour, until the test ends."""
    controllers: list[Controller] = []

    def start(port: int, handler: RecordingSMTPHandler) -> None:
        controller = Controller(
            handler, hostname="127.0.0.1", port=port, enable_SMTPUTF8=handler.smtputf8
        )
        controller.start()
        controllers.append(controller)

    yield start
    for controller in controllers:
        controller.stop()


@pytest.fixture
def captured_mail() -> Callable[[], list[EmailMessage]]:
    """Read the messages the capture backend wrote (MAIL_CAPTURE_DIR), oldest first."""
    directory = Path(get_settings().mail_capture_dir)
    shutil.rmtree(directory, ignore_errors=True)

    def read() -> list[EmailMessage]:
        return [parse_message(path.read_bytes()) for path in sorted(directory.glob("*.eml"))]

    return read


@pytest.fixture
def add_committed_items(migrated_database: None) -> Iterator[Callable[..., list[Item]]]:
    """Items (of one owner) committed for real, so workers see them; users and items are
    emptied around the test."""

    def empty_tables() -> None:
        with worker_session() as session:
            session.exec(delete(User))  # their items go with them
            session.commit()

    def add(count: int = 1, **fields: object) -> list[Item]:
        with worker_session() as session:
            owner = session.exec(select(User)).first()
            if owner is None:
                owner = UserFactory.build()
                session.add(owner)
                session.flush()
            items = ItemFactory.batch(count, **{"owner_id": owner.id, **fields})
            session.add_all(items)
            session.commit()
        return items

    empty_tables()
    yield add
    empty_tables()


@pytest.fixture
def add_committed_audit_events(migrated_database: None) -> Iterator[Callable[..., None]]:
    """Audit events committed for real at a given time; the trail is emptied around the test."""

    def empty_trail() -> None:
        with worker_session() as session:
            session.exec(delete(AuditEvent))
            session.commit()

    def add(**fields: object) -> None:
        with worker_session() as session:
            session.add(AuditEvent.model_validate({"kind": AuditKind.LOGGED_IN, **fields}))
            session.commit()

    empty_trail()
    yield add
    empty_trail()
