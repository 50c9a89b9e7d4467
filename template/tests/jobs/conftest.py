"""Fixtures for job tests: real worker processes, committed rows they can see, mail capture."""

import shutil
from collections.abc import Callable, Iterator
from email.message import EmailMessage
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from sqlmodel import delete

from app.jobs import celery_app
from app.jobs.db import worker_session
from app.models import Item
from app.settings import get_settings
from tests.factories import ItemFactory
from tests.jobs.utils import (
    CeleryWorker,
    RecordingSMTPHandler,
    StartSMTPServer,
    StartWorker,
    parse_message,
)


def _start(name: str, log_dir: Path, environment: dict[str, str]) -> CeleryWorker:
    celery_app.control.purge()  # nothing queued by earlier tests may reach this worker
    return CeleryWorker(name, log_dir / f"{name}.log", environment).start()


@pytest.fixture(scope="module")
def worker(
    migrated_database: None, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[CeleryWorker]:
    """One worker with the test environment (mail to the capture directory) for a test module."""
    worker = _start("module-worker", tmp_path_factory.mktemp("workers"), {})
    yield worker
    worker.stop()


@pytest.fixture
def start_worker(migrated_database: None, tmp_path: Path) -> Iterator[StartWorker]:
    """Start workers with extra environment variables: `start_worker(SMTP_PORT="2525")`."""
    workers: list[CeleryWorker] = []

    def start(**environment: str) -> CeleryWorker:
        workers.append(_start(f"worker-{len(workers) + 1}", tmp_path, environment))
        return workers[-1]

    yield start
    for started in workers:
        started.stop()


@pytest.fixture
def smtp_server() -> Iterator[StartSMTPServer]:
    """Run an SMTP server on 127.0.0.1:`port` with the given behaviour, until the test ends."""
    controllers: list[Controller] = []

    def start(port: int, handler: RecordingSMTPHandler) -> None:
        controller = Controller(handler, hostname="127.0.0.1", port=port)
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
    """Items committed for real, so workers see them; the table is emptied around the test."""

    def empty_table() -> None:
        with worker_session() as session:
            session.exec(delete(Item))
            session.commit()

    def add(count: int = 1, **fields: object) -> list[Item]:
        items = ItemFactory.batch(count, **fields)
        with worker_session() as session:
            session.add_all(items)
            session.commit()
        return items

    empty_table()
    yield add
    empty_table()
