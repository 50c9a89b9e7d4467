"""Fixtures for observability tests: a local Sentry stand-in, a real server and worker using it."""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from tests.support.mail import RecordingSMTPHandler
from tests.support.servers import ApiServer, free_port
from tests.support.stand_ins import RELEASE, SentryIngest
from tests.support.workers import CeleryWorker, own_workers


@pytest.fixture
def sentry_ingest() -> Iterator[SentryIngest]:
    ingest = SentryIngest()
    yield ingest
    ingest.stop()


@pytest.fixture
def sentry_environment(sentry_ingest: SentryIngest) -> dict[str, str]:
    """What a deployment sets: the DSN (here the stand-in) and the release baked into the image."""
    return {"SENTRY_DSN": sentry_ingest.dsn, "RELEASE": RELEASE}


@pytest.fixture
def unmigrated_database_server(
    sentry_environment: dict[str, str], migrated_database: None, tmp_path: Path
) -> Iterator[str]:
    """The production server on a database without the app's tables: a real, unhandled 500."""
    database_url = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/postgres"
    server = ApiServer(tmp_path / "server.log", **sentry_environment, DATABASE_URL=database_url)
    server.start()
    try:
        yield server.base_url
    finally:
        server.stop()


@pytest.fixture
def refusing_smtp_port() -> Iterator[int]:
    """An SMTP server that refuses every recipient for good (550), naming the address."""
    port = free_port()
    handler = RecordingSMTPHandler(refuse_recipients_with="550 5.1.1 no such mailbox here")
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    yield port
    controller.stop()


@pytest.fixture
def reporting_worker(
    sentry_environment: dict[str, str],
    refusing_smtp_port: int,
    migrated_database: None,
    tmp_path: Path,
) -> Iterator[CeleryWorker]:
    """A real worker reporting to the stand-in, its mail going to the refusing SMTP server (the
    session's shared worker is paused meanwhile, so the job reaches this one)."""
    with own_workers(tmp_path) as start_worker:
        yield start_worker(
            **sentry_environment, MAIL_BACKEND="smtp", SMTP_PORT=str(refusing_smtp_port)
        )
