"""Browser-test fixtures: the production build served by the real server command over HTTPS with
production settings, a real worker delivering its emails to a capture directory, clean tables,
and logged-in browsers.

HTTPS uses a throwaway CA made per session; Chromium trusts exactly its one certificate (by public
key), so `__Host-` cookies, HSTS and mixed-content rules apply as they do in production.

The server is another process, so tests cannot roll back its transactions: tables are truncated
between tests instead.
"""

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from limits.storage import RedisStorage
from playwright.sync_api import BrowserContext, BrowserType, Page

from app.accounts import rate_limits
from app.jobs import celery_app
from app.jobs.db import worker_session
from app.models.account import User
from app.settings import Environment, get_settings
from tests.factories import UserFactory
from tests.support.accounts import committed_login
from tests.support.browser import ARTIFACTS, production_environment
from tests.support.certificates import LocalCertificate
from tests.support.database import truncate_tables
from tests.support.mail import Inbox
from tests.support.servers import PROJECT_ROOT, ApiServer
from tests.support.workers import CeleryWorker

WEB_ROOT = PROJECT_ROOT / "web"
BUNDLE_INDEX = WEB_ROOT / "build/client/index.html"
BUNDLE_SOURCES = [
    "app",
    "package.json",
    "pnpm-lock.yaml",
    "vite.config.ts",
    "react-router.config.ts",
]
SYSTEM_BROWSERS = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"]
# What a headless Chromium needs as root or in a container, and no calls home during tests.
CONTAINER_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _newest_source_change() -> float:
    newest = 0.0
    for name in BUNDLE_SOURCES:
        source = WEB_ROOT / name
        files = source.rglob("*") if source.is_dir() else [source]
        newest = max([newest, *(path.stat().st_mtime for path in files if path.is_file())])
    return newest


@pytest.fixture(scope="session")
def production_bundle() -> Path:
    """The production bundle, built once per session and only when a web source is newer."""
    if not BUNDLE_INDEX.is_file() or BUNDLE_INDEX.stat().st_mtime < _newest_source_change():
        subprocess.run(["pnpm", "build"], cwd=WEB_ROOT, check=True)
    return BUNDLE_INDEX.parent


@pytest.fixture(scope="session")
def mail_directory(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the worker writes the emails the server sends (MAIL_BACKEND=capture)."""
    return tmp_path_factory.mktemp("mail")


@pytest.fixture(scope="session")
def tls_certificate(tmp_path_factory: pytest.TempPathFactory) -> LocalCertificate:
    """The HTTPS certificate of the servers the browser talks to (the app and local stand-ins)."""
    return LocalCertificate.create(tmp_path_factory.mktemp("tls"))


@pytest.fixture(scope="session")
def live_server(
    production_bundle: Path,
    migrated_database: None,
    mail_directory: Path,
    tls_certificate: LocalCertificate,
) -> Iterator[str]:
    """The production server command (scripts/run.sh web, 1 worker) over HTTPS on the test data."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    server = ApiServer(
        ARTIFACTS / "server.log",
        tls_certificate,
        **production_environment(production_bundle),
        MAIL_CAPTURE_DIR=str(mail_directory),
    )
    server.start()
    try:
        yield server.base_url
    finally:
        server.stop()  # the whole process group: uvicorn and its workers


@pytest.fixture(scope="session")
def live_worker(live_server: str, mail_directory: Path) -> Iterator[CeleryWorker]:
    """A Celery worker sending the server's emails (links to the live server) to the inbox."""
    celery_app.control.purge()  # nothing queued by earlier runs reaches this worker
    environment = {"PUBLIC_URL": live_server, "MAIL_CAPTURE_DIR": str(mail_directory)}
    worker = CeleryWorker("browser-tests", ARTIFACTS / "worker.log", environment).start()
    try:
        yield worker
    finally:
        worker.stop()


@pytest.fixture
def inbox(live_worker: CeleryWorker, mail_directory: Path) -> Inbox:
    """The emails the app sends during this test, as the worker delivers them."""
    for message in mail_directory.glob("*.eml"):
        message.unlink()
    return Inbox(mail_directory)


@pytest.fixture(autouse=True)
def clean_slate(migrated_database: None) -> None:
    """Every browser test starts from empty tables and no counted log-in or sign-up attempts."""
    truncate_tables()
    # Playwright's sync API owns this thread's event loop: the limits library's sync storage
    # clears what the app's async one counted.
    RedisStorage(str(get_settings().redis_url), key_prefix=rate_limits.KEY_PREFIX).reset()


@pytest.fixture
def logged_in(context: BrowserContext, live_server: str) -> User:
    """A verified user whose session cookie the browser already holds (no log-in form)."""
    with worker_session() as session:
        user = UserFactory.build()
        session.add(user)
        session.commit()
    [token] = committed_login(user.id).values()
    production = get_settings().model_copy(update={"environment": Environment.PRODUCTION})
    cookie = {"name": production.session_cookie_name, "value": token, "url": live_server}
    context.add_cookies([cookie])  # type: ignore[list-item]
    return user


def _browser_executable(browser_type: BrowserType) -> str | None:
    """$BROWSER_EXECUTABLE, else Playwright's own Chromium, else a Chromium/Chrome on PATH."""
    if named := os.environ.get("BROWSER_EXECUTABLE"):
        return named
    if Path(browser_type.executable_path).exists():
        return None
    for name in SYSTEM_BROWSERS:
        if found := shutil.which(name):
            return found
    pytest.fail(
        "No browser for the browser tests: run `just browser_install` (downloads Playwright's "
        "Chromium), install Chromium (Debian: apt install chromium) or set BROWSER_EXECUTABLE."
    )


@pytest.fixture(scope="session")
def browser_type_launch_args(
    browser_type_launch_args: dict[str, Any],
    browser_type: BrowserType,
    tls_certificate: LocalCertificate,
) -> dict[str, Any]:
    launch_args = dict(browser_type_launch_args)
    executable = _browser_executable(browser_type)
    if executable:
        launch_args["executable_path"] = executable
    # Trust this session's one certificate, not every certificate (`ignore_https_errors`).
    trusted = f"--ignore-certificate-errors-spki-list={tls_certificate.spki_sha256}"
    launch_args["args"] = [*launch_args.get("args", []), trusted]
    if executable or os.geteuid() == 0:
        launch_args["args"] = [*launch_args["args"], *CONTAINER_FLAGS]
    return launch_args


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any], live_server: str) -> dict[str, Any]:
    return {**browser_context_args, "base_url": live_server}


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """After a failed browser test, save the page's HTML beside the screenshot and the trace."""
    report = yield
    page = getattr(item, "funcargs", {}).get("page")
    if report.when == "call" and report.failed and isinstance(page, Page):
        folder = ARTIFACTS / "pages"
        folder.mkdir(parents=True, exist_ok=True)
        html = folder / f"{item.name}.html"
        html.write_text(page.content())
        report.sections.append(
            ("browser artefacts", f"page HTML: {html}\nscreenshot and trace: {ARTIFACTS}")
        )
    return report
