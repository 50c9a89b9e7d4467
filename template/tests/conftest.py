"""Shared fixtures: a migrated test database, per-test transaction rollback, HTTP clients logged
in or not, users and items, Celery worker processes."""

import os
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from alembic import command
from alembic.config import Config
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts.tokens import digest, new_token
from app.cli import ensure_database
from app.db import get_session
from app.jobs import celery_app
from app.models.account import LoginSession, User
from app.models.item import Item
from app.server import create_app
from app.settings import Environment, Settings, get_settings
from tests.factories import ItemFactory, UserFactory
from tests.jobs.utils import CeleryWorker, StartWorker
from tests.utils import SAME_ORIGIN, ThrowawayServices

# Redis databases (env/test.sh): 0 development, 1 the backend suite in one process, 2 the browser
# suite; from 3 on, one per parallel worker (`just backend_test` starts at most 8; Redis has 16).
FIRST_WORKER_REDIS_DATABASE = 3


def pytest_configure(config: pytest.Config) -> None:
    # This run's own xdist workers only (gw0, gw1…): PYTEST_XDIST_WORKER may be inherited, e.g. by
    # the browser suite of a project whose `just test` runs inside another pytest-xdist worker.
    if workerinput := getattr(config, "workerinput", None):
        use_resources_of_worker(workerinput["workerid"])
    if get_settings().environment is not Environment.TEST:
        raise pytest.UsageError(
            "Tests need the test environment (its own database): run them with `just test`, "
            "or `source scripts/env.sh test` first."
        )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Refuse tests that share an id: xdist may run only one of them (when it groups tests by id),
    and no report tells them apart (schemathesis' fuzz tests, with pytest 9.2)."""
    ids = Counter(item.nodeid for item in items)
    if shared := sorted(nodeid for nodeid, count in ids.items() if count > 1):
        raise pytest.UsageError(f"tests share an id (only one of each would run): {shared}")


def use_resources_of_worker(worker: str) -> None:
    """A parallel worker's own database, Redis database and mail directory, so that one worker's
    commits, queued jobs, rate limits and captured mail never reach another's tests."""
    number = int(worker.removeprefix("gw"))
    os.environ["DATABASE_URL"] += f"_{worker}"
    redis_server = os.environ["REDIS_URL"].rsplit("/", 1)[0]
    os.environ["REDIS_URL"] = f"{redis_server}/{FIRST_WORKER_REDIS_DATABASE + number}"
    os.environ["MAIL_CAPTURE_DIR"] += f"/{worker}"
    get_settings.cache_clear()


OverrideSettings = Callable[..., Settings]


@pytest.fixture
def override_settings(monkeypatch: pytest.MonkeyPatch) -> Iterator[OverrideSettings]:
    """Change settings the one way the app takes them: environment variables, read afresh.

    `override_settings(WEB_DIST_DIR="/tmp/x", SMTP_PORT=None)` sets (or, with None, unsets) the
    variables and returns the new settings. Every later `get_settings()` and every process the
    test starts sees them; the test's end restores the old ones.
    """

    def override(**variables: str | None) -> Settings:
        for name, value in variables.items():
            if value is None:
                monkeypatch.delenv(name, raising=False)
            else:
                monkeypatch.setenv(name, value)
        get_settings.cache_clear()
        return get_settings()

    yield override
    monkeypatch.undo()
    get_settings.cache_clear()


@pytest.fixture
def throwaway_services(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ThrowawayServices]:
    """Postgres and Redis of the test's own (`.run("up", "redis")`), destroyed afterwards."""
    services = ThrowawayServices(tmp_path_factory.mktemp("services"))
    yield services
    services.destroy()


# Celery workers: here, not in tests/jobs/, because a test of any folder that starts a worker of its
# own must pause the session's shared one (its jobs would otherwise reach the shared worker).


def _start(name: str, log_dir: Path, environment: dict[str, str]) -> CeleryWorker:
    celery_app.control.purge()  # nothing queued by earlier tests may reach this worker
    return CeleryWorker(name, log_dir / f"{name}.log", environment).start()


@pytest.fixture(scope="session")
def running_shared_worker() -> list[CeleryWorker]:
    """The session's shared worker (fixture `worker`) while it runs: tests that start workers of
    their own pause it, so their jobs reach only their workers."""
    return []


@pytest.fixture(scope="session")
def worker(
    migrated_database: None,
    tmp_path_factory: pytest.TempPathFactory,
    running_shared_worker: list[CeleryWorker],
) -> Iterator[CeleryWorker]:
    """One worker with the test environment (mail to the capture directory), started once and
    shared by every test that needs no worker of its own (a start costs seconds)."""
    worker = _start("shared-worker", tmp_path_factory.mktemp("workers"), {})
    running_shared_worker.append(worker)
    yield worker
    running_shared_worker.clear()
    worker.stop()


@contextmanager
def own_workers(log_dir: Path, running_shared_worker: list[CeleryWorker]) -> Iterator[StartWorker]:
    """Start workers with extra environment variables while the shared worker is paused; at the
    end every one is stopped (fully: a worker still shutting down can hold up another test's
    redelivery) and the shared worker resumes."""
    queue = celery_app.conf.task_default_queue
    paused = [shared.hostname for shared in running_shared_worker]
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


@pytest.fixture
def start_worker(
    migrated_database: None, tmp_path: Path, running_shared_worker: list[CeleryWorker]
) -> Iterator[StartWorker]:
    """Start workers of the test's own: `start_worker(SMTP_PORT="2525")`."""
    with own_workers(tmp_path, running_shared_worker) as start:
        yield start


@pytest.fixture(scope="session")
def alembic_config() -> Config:
    return Config("alembic.ini")


@pytest.fixture(scope="session")
def migrated_database(alembic_config: Config) -> None:
    """Bring the test database (a parallel worker's own, made here) to the newest migration once
    per test session."""
    ensure_database()
    command.upgrade(alembic_config, "head")


@pytest.fixture(scope="session")
async def engine(migrated_database: None) -> AsyncIterator[AsyncEngine]:
    engine = create_async_engine(get_settings().sqlalchemy_url)
    yield engine
    await engine.dispose()


@pytest.fixture
async def session(engine: AsyncEngine) -> AsyncIterator[AsyncSession]:
    """A session in a transaction rolled back after the test; its commits become savepoints."""
    async with engine.connect() as connection:
        transaction = await connection.begin()
        session = AsyncSession(
            bind=connection, expire_on_commit=False, join_transaction_mode="create_savepoint"
        )
        try:
            yield session
        finally:
            await session.close()
            await transaction.rollback()


@pytest.fixture(scope="session")
def application() -> FastAPI:
    """The app with the test environment's settings, made once as a server makes it: FastAPI
    prepares each route of an app on its first request, which costs more than most tests."""
    return create_app()


@pytest.fixture
def app(application: FastAPI, session: AsyncSession) -> Iterator[FastAPI]:
    """The application, with every request using the test's rolled-back session."""

    async def test_session() -> AsyncIterator[AsyncSession]:
        yield session

    application.dependency_overrides[get_session] = test_session
    yield application
    del application.dependency_overrides[get_session]


@pytest.fixture
async def anonymous(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """A browser on the app's own pages, logged out."""
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://testserver", headers=SAME_ORIGIN
    ) as client:
        yield client


@pytest.fixture
def add_user(session: AsyncSession) -> Callable[..., Awaitable[User]]:
    """Persist a factory-built user (password `tests.factories.PASSWORD`, email verified)."""

    async def add(**fields: object) -> User:
        user = UserFactory.build(**fields)
        session.add(user)
        await session.commit()
        return user

    return add


@pytest.fixture
async def user(add_user: Callable[..., Awaitable[User]]) -> User:
    return await add_user()


@pytest.fixture
def log_in(session: AsyncSession) -> Callable[[httpx.AsyncClient, User], Awaitable[str]]:
    """Give a client a fresh session cookie of `user` (as a log-in would, without argon2's cost);
    returns the cookie's token."""

    async def log_in(client: httpx.AsyncClient, user: User) -> str:
        token = new_token()
        session.add(LoginSession(user_id=user.id, token_hash=digest(token)))
        await session.commit()
        client.cookies.set(get_settings().session_cookie_name, token)
        return token

    return log_in


@pytest.fixture
async def client(
    anonymous: httpx.AsyncClient,
    user: User,
    log_in: Callable[[httpx.AsyncClient, User], Awaitable[str]],
) -> httpx.AsyncClient:
    """A browser on the app's own pages, logged in as `user`."""
    await log_in(anonymous, user)
    return anonymous


@pytest.fixture
def add_items(session: AsyncSession, user: User) -> Callable[..., Awaitable[list[Item]]]:
    """Persist factory-built items, owned by `user` unless `owner_id` says otherwise:
    `await add_items(3, done=True)`."""

    async def add(count: int = 1, **fields: object) -> list[Item]:
        items = ItemFactory.batch(count, **{"owner_id": user.id, **fields})
        session.add_all(items)
        await session.commit()
        return items

    return add
