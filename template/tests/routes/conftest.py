"""Fixtures for the HTTP tests: an admin in a browser of their own, the audit trail as written,
and for the web-serving tests a small built bundle on disk and apps that serve it."""

import gzip
import secrets
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts import rate_limits
from app.models.account import Role, User
from app.models.audit import AuditEvent
from app.server import create_app
from tests.support.clients import SAME_ORIGIN
from tests.support.settings import OverrideSettings

INDEX_HTML = (
    "<!DOCTYPE html><html><head><title>App</title></head><body>"
    '<script>window.__context = {"ssr":false};</script>'
    '<script type="module" src="/assets/entry-4f3a9c.js"></script>'
    "</body></html>"
)
ENTRY_JS = "console.log('hello from the bundle');\n" * 50


@pytest.fixture(autouse=True)
async def no_attempts_counted() -> None:
    """Every route test starts with empty rate-limit counters (they live in the test Redis)."""
    await rate_limits.reset_all()


@pytest.fixture
def web_bundle(tmp_path: Path) -> Path:
    """A bundle shaped like `pnpm build`'s output: index.html and hashed, precompressed assets."""
    bundle = tmp_path / "client"
    (bundle / "assets").mkdir(parents=True)
    (bundle / "index.html").write_text(INDEX_HTML)
    (bundle / "favicon.ico").write_bytes(b"\x00\x00\x01\x00")
    (bundle / "assets/entry-4f3a9c.js").write_text(ENTRY_JS)
    (bundle / "assets/entry-4f3a9c.js.gz").write_bytes(gzip.compress(ENTRY_JS.encode()))
    (bundle / "assets/style-77d1e0.css").write_text("body { margin: 0 }\n")
    return bundle


@pytest.fixture
async def web_client(
    web_bundle: Path, override_settings: OverrideSettings
) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client for the app serving `web_bundle` (no database involved)."""
    override_settings(WEB_DIST_DIR=str(web_bundle))
    app = create_app()
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


@pytest.fixture
def app_with(web_bundle: Path, override_settings: OverrideSettings) -> Callable[..., FastAPI]:
    """`app_with(ENVIRONMENT="production")`: the app serving `web_bundle`, variables changed.

    It gets a strong random SECRET_KEY, which production requires, and answers the in-process
    clients' host name.
    """

    def make(**variables: str) -> FastAPI:
        defaults = {
            "WEB_DIST_DIR": str(web_bundle),
            "SECRET_KEY": secrets.token_urlsafe(32),
            "ALLOWED_HOSTS": '["testserver"]',  # in-process clients' host, checked in production
        }
        override_settings(**{**defaults, **variables})
        return create_app()

    return make


@pytest.fixture
async def admin(add_user: Callable[..., Awaitable[User]]) -> User:
    return await add_user(role=Role.ADMIN)


@pytest.fixture
async def admin_client(
    app: FastAPI,
    admin: User,
    log_in: Callable[[httpx.AsyncClient, User], Awaitable[str]],
) -> AsyncIterator[httpx.AsyncClient]:
    """A second browser on the app's own pages, logged in as `admin` (beside `client`)."""
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://testserver", headers=SAME_ORIGIN
    ) as browser:
        await log_in(browser, admin)
        yield browser


@pytest.fixture
async def audit_trail(session: AsyncSession) -> Callable[[], Awaitable[list[AuditEvent]]]:
    """The audit events written so far in this test, oldest first (not those another process,
    such as the browser tests' server, committed before it)."""
    earlier = set(await session.exec(select(col(AuditEvent.id))))

    async def read() -> list[AuditEvent]:
        events = await session.exec(select(AuditEvent).order_by(col(AuditEvent.id)))
        return [event for event in events if event.id not in earlier]

    return read
