"""Shared fixtures: a migrated test database, per-test transaction rollback, an HTTP client."""

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator

import httpx
import pytest
from alembic import command
from alembic.config import Config
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlmodel.ext.asyncio.session import AsyncSession

from app.db import get_session
from app.models import Item
from app.server import create_app
from app.settings import Environment, Settings, get_settings
from tests.factories import ItemFactory


def pytest_configure(config: pytest.Config) -> None:
    if get_settings().environment is not Environment.TEST:
        raise pytest.UsageError(
            "Tests need the test environment (its own database): run them with `just test`, "
            "or `source scripts/env.sh test` first."
        )


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


@pytest.fixture(scope="session")
def alembic_config() -> Config:
    return Config("alembic.ini")


@pytest.fixture(scope="session")
def migrated_database(alembic_config: Config) -> None:
    """Bring the test database to the newest migration once per test session."""
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


@pytest.fixture
def app(session: AsyncSession) -> FastAPI:
    """The application, with every request using the test's rolled-back session."""
    app = create_app()

    async def test_session() -> AsyncIterator[AsyncSession]:
        yield session

    app.dependency_overrides[get_session] = test_session
    return app


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


@pytest.fixture
def add_items(session: AsyncSession) -> Callable[..., Awaitable[list[Item]]]:
    """Persist factory-built items: `await add_items(3, done=True)`."""

    async def add(count: int = 1, **fields: object) -> list[Item]:
        items = ItemFactory.batch(count, **fields)
        session.add_all(items)
        await session.commit()
        return items

    return add
