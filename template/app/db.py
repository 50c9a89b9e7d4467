"""Database engine and the per-request session dependency."""

from collections.abc import AsyncIterator
from functools import lru_cache
from typing import Annotated

from fastapi import Depends
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlmodel.ext.asyncio.session import AsyncSession

from app.settings import Settings, get_settings


def connection_arguments(settings: Settings) -> dict[str, str | int]:
    """Given to every connection, async or sync: connect and statement timeouts, a pg_stat name."""
    return {
        "options": f"-c statement_timeout={settings.database_statement_timeout_ms}",
        "connect_timeout": settings.database_connect_timeout_seconds,
        "application_name": settings.project_name,
    }


@lru_cache
def get_engine() -> AsyncEngine:
    """One pooled engine per process; every connection gets the statement timeout."""
    settings = get_settings()
    return create_async_engine(
        settings.sqlalchemy_url,
        pool_size=settings.database_pool_size,
        max_overflow=settings.database_max_overflow,
        pool_timeout=settings.database_pool_timeout_seconds,
        pool_pre_ping=True,
        connect_args=connection_arguments(settings),
        hide_parameters=True,  # a logged database error never carries the values (user data)
    )


async def get_session() -> AsyncIterator[AsyncSession]:
    async with AsyncSession(get_engine(), expire_on_commit=False) as session:
        yield session


SessionDep = Annotated[AsyncSession, Depends(get_session)]
