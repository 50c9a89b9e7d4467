"""Attempt limits in Redis (the `limits` library, moving windows): slow guessing, never lock out.

A moving window forgets each attempt once it is older than the window, so a limited client is
let in again after at most one window: there is no permanent lockout to abuse against a victim.
"""

import math
import time
from functools import lru_cache

from fastapi import status
from limits import RateLimitItem, parse_many
from limits.aio.storage import RedisStorage
from limits.aio.strategies import MovingWindowRateLimiter

from app.errors import ApiError
from app.settings import get_settings

# The Redis keys of the counters start with this (the browser tests clear them between tests).
KEY_PREFIX = "rate-limits"


@lru_cache
def _limiter() -> MovingWindowRateLimiter:
    storage = RedisStorage(
        f"async+{get_settings().redis_url}", implementation="redispy", key_prefix=KEY_PREFIX
    )
    return MovingWindowRateLimiter(storage)


@lru_cache
def _items(rule: str) -> list[RateLimitItem]:
    return parse_many(rule)


async def _refuse(item: RateLimitItem, identifiers: tuple[str, ...], reason: str) -> ApiError:
    reset_at, _ = await _limiter().get_window_stats(item, *identifiers)
    retry_after = max(1, math.ceil(reset_at - time.time()))
    return ApiError(
        status.HTTP_429_TOO_MANY_REQUESTS,
        "rate_limited",
        f"{reason} Try again in {retry_after} seconds.",
        headers={"Retry-After": str(retry_after)},
    )


async def count_attempt(rule: str, *identifiers: str, reason: str = "Too many attempts.") -> None:
    """Count one attempt against every limit in `rule` (e.g. "5/minute;50/day"); 429 when over,
    saying `reason` (a sentence) and when to try again."""
    for item in _items(rule):
        if not await _limiter().hit(item, *identifiers):
            raise await _refuse(item, identifiers, reason)


async def count_failure(rule: str, *identifiers: str) -> None:
    """Count a failed attempt; the next `ensure_below` refuses once the limit is used up."""
    for item in _items(rule):
        await _limiter().hit(item, *identifiers)


async def ensure_below(rule: str, *identifiers: str) -> None:
    """429 if `rule` is already used up, without counting this attempt (count failures only)."""
    for item in _items(rule):
        if not await _limiter().test(item, *identifiers):
            raise await _refuse(item, identifiers, "Too many attempts.")


def longest_window_seconds(rule: str) -> int:
    """How long the slowest limit of `rule` remembers an attempt."""
    return max(item.get_expiry() for item in _items(rule))


async def reset_all() -> None:
    """Forget every counted attempt (tests start from a clean slate)."""
    await _limiter().storage.reset()
