"""Requests take turns for a database session: in arrival order, and a 503 past the pool timeout.

The sessions here are a POST's, which open no connection until a query: the turns are what is
tested, not the database.
"""

import asyncio
from collections.abc import AsyncGenerator

import pytest
import sqlalchemy.exc
from fastapi import Request
from sqlmodel.ext.asyncio.session import AsyncSession

from app.db import get_session, request_turns
from tests.support.settings import OverrideSettings


def a_post() -> Request:
    return Request({"type": "http", "method": "POST", "path": "/api/items", "headers": []})


async def take_turn() -> AsyncGenerator[AsyncSession]:
    """A request's session dependency, entered: it holds a turn until closed."""
    sessions = get_session(a_post())
    await anext(sessions)
    return sessions


async def test_a_request_asking_as_a_turn_is_handed_back_queues_behind_the_waiting_one(
    override_settings: OverrideSettings,
) -> None:
    """SQLAlchemy's pool alone let such a request take the connection first (sqlalchemy#7679)."""
    override_settings(DATABASE_POOL_SIZE="1")
    request_turns.cache_clear()
    turns = request_turns()
    await turns.acquire()  # a request holds the only turn
    waiting = asyncio.create_task(take_turn())
    await asyncio.sleep(0)  # it now waits for the turn
    late = asyncio.create_task(take_turn())  # set to run before the waiter is woken
    turns.release()  # the turn is handed back
    try:
        done, _ = await asyncio.wait({waiting, late}, return_when=asyncio.FIRST_COMPLETED)
        assert done == {waiting}
    finally:
        for task in (waiting, late):  # each, once it has its turn, gives it back
            await (await task).aclose()
        request_turns.cache_clear()


async def test_no_turn_within_the_pool_timeout_is_the_pools_timeout_error(
    override_settings: OverrideSettings,
) -> None:
    """The error app/errors.py answers with 503 and Retry-After, as a pool timeout."""
    override_settings(DATABASE_POOL_SIZE="1", DATABASE_POOL_TIMEOUT_SECONDS="0.1")
    request_turns.cache_clear()
    try:
        held = await take_turn()
        with pytest.raises(sqlalchemy.exc.TimeoutError):
            await anext(get_session(a_post()))
        await held.aclose()
        # The turn that timed out was never taken: the next request gets one.
        await (await take_turn()).aclose()
    finally:
        request_turns.cache_clear()
