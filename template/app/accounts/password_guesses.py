"""Limits on guessing an account's password, and the owner's known-device cookie that keeps them
out of the lock strangers can trigger (OWASP's "device cookies"; docs/accounts.md, "Rate limits").

A browser that once logged in to an account holds a random token for it (the `device` cookie;
Redis keeps its digest and the account's id). Its failures count per device only. Every other
attempt counts per (account, address), which stops one machine, and per account, which caps
guessing from many addresses at once: that lock is the one strangers can trigger, and the owner's
known browser does not wait for it.
"""

from dataclasses import dataclass
from functools import lru_cache

from fastapi import Request, Response
from redis.asyncio import Redis

from app.accounts import rate_limits
from app.accounts.tokens import digest, new_token
from app.models.account import User
from app.settings import get_settings

# Under the rate limits' prefix: a device is only ever used to choose a counter, and tests
# clear them together (`rate_limits.reset_all`).
KNOWN_DEVICE_KEY = f"{rate_limits.KEY_PREFIX}:known-device"


@lru_cache
def _redis() -> Redis:
    settings = get_settings()
    return Redis.from_url(
        str(settings.redis_url),
        socket_timeout=settings.redis_timeout_seconds,
        socket_connect_timeout=settings.redis_timeout_seconds,
    )


def _key(token: str) -> str:
    return f"{KNOWN_DEVICE_KEY}:{digest(token).hex()}"


def client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


@dataclass(frozen=True)
class Guesser:
    """Who tries a password: of which account, from which address, on which known device."""

    account: str  # the lower-cased address asked for (an account's, or none's)
    ip: str
    device: str | None = None  # a known-device token of this account, when the browser has one

    def _counters(self) -> list[tuple[str, tuple[str, ...]]]:
        settings = get_settings()
        if self.device is not None:
            device = digest(self.device).hex()
            return [(settings.rate_limit_login_per_known_device, ("login-device", device))]
        return [
            (
                settings.rate_limit_login_per_account_and_ip,
                ("login-account-ip", self.account, self.ip),
            ),
            (settings.rate_limit_login_per_account, ("login-account", self.account)),
        ]

    async def ensure_allowed(self) -> None:
        """429 while any of this guesser's counters is used up (successes count nowhere)."""
        for rule, identifiers in self._counters():
            await rate_limits.ensure_below(rule, *identifiers)

    async def count_failure(self) -> None:
        for rule, identifiers in self._counters():
            await rate_limits.count_failure(rule, *identifiers)


async def guesser(request: Request, email: str, user: User | None) -> Guesser:
    """The guesser of this request: a known device only if its cookie names this very account."""
    token = request.cookies.get(get_settings().device_cookie_name)
    known = user is not None and token is not None and await _device_owner(token) == str(user.id)
    return Guesser(account=email.lower(), ip=client_ip(request), device=token if known else None)


async def _device_owner(token: str) -> str | None:
    owner = await _redis().get(_key(token))
    return owner.decode() if isinstance(owner, bytes) else owner


async def remember_device(request: Request, response: Response, user: User) -> None:
    """After a correct password: this browser is one of the owner's known devices (again)."""
    settings = get_settings()
    token = request.cookies.get(settings.device_cookie_name)
    if token is None or await _device_owner(token) != str(user.id):
        token = new_token()
    lifetime = settings.known_device_days * 24 * 3600
    await _redis().set(_key(token), str(user.id), ex=lifetime)
    response.set_cookie(
        settings.device_cookie_name,
        token,
        max_age=lifetime,
        path="/",
        secure=settings.is_production,
        httponly=True,
        samesite="lax",
    )
