"""Operational probes: liveness (the process answers) and readiness (its dependencies do)."""

import asyncio
from collections.abc import Coroutine

from fastapi import Response, status
from pydantic import BaseModel
from redis.asyncio import Redis
from sqlalchemy import text

from app.db import get_engine
from app.routes import PublicRouter
from app.settings import get_settings

health_router = PublicRouter(tags=["health"])  # probes ask without a session

# Checks given up on, still cleaning up (held here: the event loop keeps only weak references).
_abandoned: set[asyncio.Task[str]] = set()


class Health(BaseModel):
    status: str
    checks: dict[str, str] = {}


@health_router.get("/livez", response_model=Health)
async def livez() -> Health:
    return Health(status="ok")


@health_router.get("/readyz", response_model=Health, responses={503: {"model": Health}})
async def readyz(response: Response) -> Health:
    """Both checks run at once, each bounded by READINESS_TIMEOUT_SECONDS: a stalled dependency
    makes the probe fail fast rather than time out the orchestrator's request."""
    settings = get_settings()
    database, broker = await asyncio.gather(
        _bounded(_check_database(), settings.readiness_timeout_seconds),
        _bounded(_check_broker(str(settings.redis_url)), settings.readiness_timeout_seconds),
    )
    checks = {"database": database, "broker": broker}
    healthy = all(result == "ok" for result in checks.values())
    if not healthy:
        response.status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    return Health(status="ok" if healthy else "unavailable", checks=checks)


async def _bounded(check: Coroutine[object, object, str], seconds: float) -> str:
    """The check's answer, or an error once `seconds` pass. Not `asyncio.wait_for`: it waits for
    the cancelled check to finish, and psycopg's cancellation asks the hung server to cancel the
    query, which held /readyz for 10 s beyond its bound; the check ends in the background here."""
    task = asyncio.ensure_future(check)
    done, _ = await asyncio.wait({task}, timeout=seconds)
    if task in done:
        return task.result()
    task.cancel()
    _abandoned.add(task)
    task.add_done_callback(_abandoned.discard)
    return f"error: no answer within {seconds} s"


async def _check_database() -> str:
    try:
        async with get_engine().connect() as connection:
            await connection.execute(text("SELECT 1"))
    except Exception as error:  # noqa: BLE001  # any failure means "not ready", reported by name
        return f"error: {type(error).__name__}"
    return "ok"


async def _check_broker(redis_url: str) -> str:
    """The job queue (Redis): without it nothing can be enqueued."""
    try:
        async with Redis.from_url(redis_url) as redis:
            await redis.ping()
    except Exception as error:  # noqa: BLE001  # any failure means "not ready", reported by name
        return f"error: {type(error).__name__}"
    return "ok"
