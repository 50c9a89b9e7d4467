"""Database engine and the per-request session dependency."""

import asyncio
from collections.abc import AsyncGenerator
from functools import lru_cache
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlmodel.ext.asyncio.session import AsyncSession

from app.db_connection import connection_arguments
from app.settings import get_settings

# Below the idle limits of servers, proxies and firewalls, so a pooled connection is not dropped
# under us; a connection found dead on use invalidates the pool (one 503 with Retry-After).
POOL_RECYCLE_SECONDS = 1800
READ_METHODS = frozenset({"GET", "HEAD"})


@lru_cache
def get_engine() -> AsyncEngine:
    """One pooled engine per process; every connection gets the statement timeout.

    No `pool_pre_ping`: it is a round trip before every request, measured at a tenth of a list
    request's CPU (README, "Performance"); connections are recycled instead (POOL_RECYCLE_SECONDS).
    """
    settings = get_settings()
    return create_async_engine(
        settings.sqlalchemy_url,
        pool_size=settings.database_pool_size,
        max_overflow=settings.database_max_overflow,
        pool_timeout=settings.database_pool_timeout_seconds,
        pool_recycle=POOL_RECYCLE_SECONDS,
        connect_args=connection_arguments(settings),
        hide_parameters=True,  # a logged database error never carries the values (user data)
    )


@lru_cache
def request_turns() -> asyncio.Semaphore:
    """At most `DATABASE_POOL_SIZE` requests hold a session at once; the others wait their turn
    in arrival order (asyncio.Semaphore is first-in, first-out).

    SQLAlchemy's pool alone is not fair: a connection handed back wakes the longest waiter, but a
    request that asks in between takes it first and the woken one queues again at the back
    (sqlalchemy#7679). Under load most requests were served at once while a few waited out
    `DATABASE_POOL_TIMEOUT_SECONDS` and got a 503. Taking turns here, the pool never has waiters,
    and its overflow stays free for what runs beside requests (`/readyz`, a nested session).
    """
    return asyncio.Semaphore(get_settings().database_pool_size)


async def get_session(request: Request) -> AsyncGenerator[AsyncSession]:
    """The request's session, once it is the request's turn (`request_turns`). GET and HEAD read
    outside a transaction (each statement commits on its own), which saves the BEGIN and ROLLBACK
    round trips: keep them to reads, as HTTP says."""
    turns = request_turns()
    try:
        async with asyncio.timeout(get_settings().database_pool_timeout_seconds):
            await turns.acquire()
    except TimeoutError:  # as the pool's own timeout: a 503 with Retry-After (app/errors.py)
        raise PoolTimeoutError("no turn for a database session within the pool timeout") from None
    try:
        async with AsyncSession(get_engine(), expire_on_commit=False) as session:
            if request.method in READ_METHODS:
                await session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
            yield session
    finally:
        turns.release()


SessionDep = Annotated[AsyncSession, Depends(get_session)]
