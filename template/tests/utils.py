"""Test helpers shared by several areas: free ports, the production server and throwaway services
as processes, emptying tables that another process filled."""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
from pathlib import Path
from typing import Any

import psutil
import psycopg
from mirakuru import HTTPExecutor
from psycopg import sql
from sqlmodel import SQLModel

import app.models  # noqa: F401  # registers every table on the metadata
from app.accounts.tokens import digest, new_token
from app.jobs.db import worker_session
from app.models.account import LoginSession, UserId
from app.settings import get_settings

PROJECT_ROOT = Path(__file__).resolve().parents[1]

# What a browser sends with a fetch from the app's own pages (see app/accounts/csrf.py).
SAME_ORIGIN = {"Sec-Fetch-Site": "same-origin"}


def committed_login(user_id: UserId) -> dict[str, str]:
    """The cookie of a new session of this user, committed for real so a server process sees it."""
    token = new_token()
    with worker_session() as session:
        session.add(LoginSession(user_id=user_id, token_hash=digest(token)))
        session.commit()
    return {get_settings().session_cookie_name: token}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class ApiServer(HTTPExecutor):
    """The production server command (`scripts/run.sh web`, one worker) on a free port.

    `environment` overrides variables for it: settings reach a process through its environment.
    `start()` returns once `/livez` answers; `stop()` ends its whole process group.
    """

    def __init__(self, log_path: Path, **environment: str) -> None:
        self.log_path = log_path
        self.log_file = log_path.open("ab")
        port = free_port()
        self.base_url = f"http://127.0.0.1:{port}"
        super().__init__(
            ["scripts/run.sh", "web"],
            url=f"{self.base_url}/livez",
            method="GET",
            cwd=str(PROJECT_ROOT),
            envvars={
                "PORT": str(port),
                "WEB_CONCURRENCY": "1",
                "PUBLIC_URL": self.base_url,  # links in emails open this server
                **environment,
            },
            timeout=60,
            stdin=subprocess.DEVNULL,
            stdout=self.log_file,
            stderr=subprocess.STDOUT,
        )

    def stop(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().stop(*args, **kwargs)
        finally:
            self.log_file.close()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


def truncate_tables() -> None:
    """Empty every table, for tests whose server process committed rows for real."""
    tables = [table.name for table in SQLModel.metadata.sorted_tables]
    statement = sql.SQL("TRUNCATE {} RESTART IDENTITY CASCADE").format(
        sql.SQL(", ").join(sql.Identifier(name) for name in tables)
    )
    with psycopg.connect(str(get_settings().database_url), autocommit=True) as connection:
        connection.execute(statement)


class ThrowawayServices:
    """Native Postgres and Redis of a test's own, started by scripts/services.sh on free ports.

    The same script and flags as `just up`, in a private directory: a test may stop or freeze
    them for real without touching the services the rest of the suite uses.
    """

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.postgres_port, self.redis_port = free_port(), free_port()
        self.environment = {
            **os.environ,
            "SERVICES_MODE": "native",
            "SERVICES_DIR": str(directory),
            "POSTGRES_PORT": str(self.postgres_port),
            "REDIS_PORT": str(self.redis_port),
        }

    @property
    def database_url(self) -> str:
        user, password = os.environ["POSTGRES_USER"], os.environ["POSTGRES_PASSWORD"]
        return f"postgresql://{user}:{password}@127.0.0.1:{self.postgres_port}/postgres"

    @property
    def redis_url(self) -> str:
        return f"redis://127.0.0.1:{self.redis_port}/0"

    def run(self, command: str, service: str) -> None:
        """`scripts/services.sh up|down|restart <service>` for these servers."""
        subprocess.run(
            ["scripts/services.sh", command, service],
            cwd=PROJECT_ROOT,
            env=self.environment,
            check=True,
            capture_output=True,
        )

    def pid(self, service: str) -> int:
        """The main process: the postmaster (whose process group holds every backend) or Redis."""
        pid_file = {"postgres": "postgres/data/postmaster.pid", "redis": "redis/redis.pid"}
        return int((self.directory / pid_file[service]).read_text().split()[0])

    def signal(self, service: str, signal_number: int) -> None:
        """The main process and every child (Postgres backends run in sessions of their own)."""
        main = psutil.Process(self.pid(service))
        for process in [main, *main.children(recursive=True)]:
            process.send_signal(signal_number)

    def destroy(self) -> None:
        """Stop both (thawing a frozen one first) and delete their data."""
        for service in ("postgres", "redis"):
            with contextlib.suppress(FileNotFoundError, psutil.NoSuchProcess):
                self.signal(service, signal.SIGCONT)
        subprocess.run(
            ["scripts/services.sh", "down"], cwd=PROJECT_ROOT, env=self.environment, check=False
        )
        postgres_home = self.directory / "postgres"
        if postgres_home.is_symlink():  # as root the data lives outside the checkout
            shutil.rmtree(postgres_home.resolve(), ignore_errors=True)
