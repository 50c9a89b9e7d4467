"""Shared fixtures: a migrated test database, per-test transaction rollback, the app with settings
of the test's choosing, HTTP clients logged in or not, users and items."""

from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
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
from app.models.account import LoginSession, User
from app.models.item import Item
from app.server import create_app
from app.settings import Environment, Settings, get_settings
from tests.factories import ItemFactory, UserFactory
from tests.support.accounts import AddUser, LogIn
from tests.support.clients import client_for
from tests.support.processes import InProcessGuard
from tests.support.settings import OverrideSettings, use_resources_of_worker


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


# Where every browser test lives: the browser suite collects nothing else.
BROWSER_TESTS = Path(__file__).parent / "integration"


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """The browser suite (`-m browser`) skips the other test folders: importing their modules cost
    it ~3 s of CPU at each start."""
    beside = collection_path.parent == BROWSER_TESTS.parent and collection_path != BROWSER_TESTS
    if config.getoption("markexpr") == "browser" and beside and collection_path.is_dir():
        return True
    return None


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Refuse tests that share an id: xdist may run only one of them (when it groups tests by id),
    and no report tells them apart (schemathesis' fuzz tests, with pytest 9.2); and browser tests
    outside tests/integration, which the browser suite would never collect."""
    ids = Counter(item.nodeid for item in items)
    if shared := sorted(nodeid for nodeid, count in ids.items() if count > 1):
        raise pytest.UsageError(f"tests share an id (only one of each would run): {shared}")
    if stray := sorted(
        item.nodeid
        for item in items
        if item.get_closest_marker("browser") and not item.path.is_relative_to(BROWSER_TESTS)
    ):
        raise pytest.UsageError(f"browser tests belong in tests/integration/: {stray}")


IN_PROCESS_GUARD = InProcessGuard()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item: pytest.Item) -> Iterator[None]:
    """A test without a process marker starts no process (`tests/support/processes.py`): what
    keeps `just test_fast` in-process."""
    IN_PROCESS_GUARD.guard(item)
    try:
        return (yield)
    finally:
        IN_PROCESS_GUARD.release()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    IN_PROCESS_GUARD.guard(item)
    try:
        return (yield)
    finally:
        IN_PROCESS_GUARD.release()


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
    async with client_for(app) as client:
        yield client


@pytest.fixture
def add_user(session: AsyncSession) -> AddUser:
    """Persist a factory-built user (password `tests.factories.PASSWORD`, email verified)."""

    async def add(**fields: object) -> User:
        user = UserFactory.build(**fields)
        session.add(user)
        await session.commit()
        return user

    return add


@pytest.fixture
async def user(add_user: AddUser) -> User:
    return await add_user()


@pytest.fixture
def log_in(session: AsyncSession) -> LogIn:
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
    log_in: LogIn,
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
