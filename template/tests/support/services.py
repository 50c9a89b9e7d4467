"""Native Postgres and Redis of a test's own, which it may stop or freeze for real."""

import contextlib
import os
import shutil
import signal
import subprocess
from pathlib import Path

import psutil

from tests.support.servers import PROJECT_ROOT, free_port


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

    def thaw(self) -> None:
        """Let a frozen (SIGSTOPped) server run again; a stopped one stays stopped."""
        for service in ("postgres", "redis"):
            with contextlib.suppress(FileNotFoundError, psutil.NoSuchProcess):
                self.signal(service, signal.SIGCONT)

    def destroy(self) -> None:
        """Stop both (thawing a frozen one first) and delete their data."""
        self.thaw()
        subprocess.run(
            ["scripts/services.sh", "down"], cwd=PROJECT_ROOT, env=self.environment, check=False
        )
        postgres_home = self.directory / "postgres"
        if postgres_home.is_symlink():  # as root the data lives outside the checkout
            shutil.rmtree(postgres_home.resolve(), ignore_errors=True)
