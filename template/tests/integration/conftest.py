"""Browser-test fixtures: the production build served by the real server command, clean tables.

The server is another process, so tests cannot roll back its transactions: tables are truncated
between tests instead.
"""

import os
import shutil
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from mirakuru import HTTPExecutor
from mirakuru.exceptions import ExecutorError
from playwright.sync_api import BrowserType, Page
from psycopg import sql
from sqlmodel import SQLModel

import app.models  # noqa: F401  # registers every table on the metadata
from app.settings import get_settings

PROJECT_ROOT = Path(__file__).resolve().parents[2]
WEB_ROOT = PROJECT_ROOT / "web"
ARTIFACTS = PROJECT_ROOT / "tmp/test-artifacts"
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


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def live_server(production_bundle: Path, migrated_database: None) -> Iterator[str]:
    """The production server command (scripts/run.sh web, 1 worker) against the test database."""
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log_path = ARTIFACTS / "server.log"
    with log_path.open("w") as log:
        server = HTTPExecutor(
            ["scripts/run.sh", "web"],
            url=f"{base_url}/readyz",
            method="GET",
            cwd=str(PROJECT_ROOT),
            envvars={
                "PORT": str(port),
                "WEB_CONCURRENCY": "1",
                "WEB_DIST_DIR": str(production_bundle),
            },
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            timeout=60,  # to become ready, and to stop before SIGKILL: a guard against hangs
        )
        try:
            server.start()
        except ExecutorError as error:
            pytest.fail(f"the server did not start ({error}); its log:\n{log_path.read_text()}")
    try:
        yield base_url
    finally:
        server.stop()  # the whole process group: uvicorn and its workers


@pytest.fixture(autouse=True)
def clean_tables(migrated_database: None) -> None:
    """Every browser test starts from empty tables."""
    tables = [table.name for table in SQLModel.metadata.sorted_tables]
    statement = sql.SQL("TRUNCATE {} RESTART IDENTITY CASCADE").format(
        sql.SQL(", ").join(sql.Identifier(name) for name in tables)
    )
    with psycopg.connect(str(get_settings().database_url), autocommit=True) as connection:
        connection.execute(statement)


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
    browser_type_launch_args: dict[str, Any], browser_type: BrowserType
) -> dict[str, Any]:
    launch_args = dict(browser_type_launch_args)
    executable = _browser_executable(browser_type)
    if executable:
        launch_args["executable_path"] = executable
    if executable or os.geteuid() == 0:
        launch_args["args"] = [*launch_args.get("args", []), *CONTAINER_FLAGS]
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
