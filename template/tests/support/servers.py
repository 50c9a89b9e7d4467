"""Test helpers shared by several areas: free ports, served commands (the production server, the
job monitor) and throwaway services as processes, emptying tables that another process filled."""

import base64
import contextlib
import hashlib
import os
import shutil
import signal
import socket
import ssl
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Self

import httpx
import psutil
import psycopg
import trustme
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from mirakuru import HTTPExecutor
from mirakuru.exceptions import ExecutorError
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


@dataclass(frozen=True)
class LocalCertificate:
    """A throwaway CA (trustme) and a certificate it signed for 127.0.0.1, as PEM files."""

    cert_file: Path  # the certificate and its chain
    key_file: Path
    ca_file: Path
    spki_sha256: str  # base64 SHA-256 of the public key: how Chromium is told to trust exactly it

    @classmethod
    def create(cls, directory: Path) -> Self:
        authority = trustme.CA()
        issued = authority.issue_cert("127.0.0.1", "localhost")
        cert_file, key_file, ca_file = (
            directory / name for name in ("cert.pem", "key.pem", "ca.pem")
        )
        issued.cert_chain_pems[0].write_to_path(str(cert_file))
        issued.private_key_pem.write_to_path(str(key_file))
        authority.cert_pem.write_to_path(str(ca_file))
        leaf = x509.load_pem_x509_certificate(issued.cert_chain_pems[0].bytes())
        public_key = leaf.public_key().public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
        spki = base64.b64encode(hashlib.sha256(public_key).digest()).decode()
        return cls(cert_file, key_file, ca_file, spki_sha256=spki)

    def server_context(self) -> ssl.SSLContext:
        """For a local stand-in that serves HTTPS as the real service would."""
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(self.cert_file, self.key_file)
        return context


class ServedCommand(HTTPExecutor):
    """A project command serving HTTP on a free loopback port, in a process group of its own.

    `port_variable` tells the command its port; `environment` overrides variables for it
    (settings reach a process through its environment); with `certificate` it serves HTTPS.
    `start()` returns once `ready_path` answers, or raises with the command's log; `stop()` ends
    the whole process group.
    """

    def __init__(
        self,
        command: list[str],
        log_path: Path,
        *,
        ready_path: str,
        environment: dict[str, str],
        port_variable: str = "PORT",
        expected_returncode: int | None = None,
        certificate: LocalCertificate | None = None,
    ) -> None:
        self.log_path = log_path
        self._log_file = log_path.open("ab")  # the command keeps its own copy once started
        self.certificate = certificate
        self.ready_path = ready_path
        port = free_port()
        self.base_url = f"{'https' if certificate else 'http'}://127.0.0.1:{port}"
        super().__init__(
            command,
            url=f"{self.base_url}{ready_path}",
            method="GET",
            cwd=str(PROJECT_ROOT),
            envvars={port_variable: str(port), **self.default_environment(), **environment},
            timeout=90,  # to start, and to stop warmly before SIGKILL: a guard against hangs
            stdin=subprocess.DEVNULL,
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
            expected_returncode=expected_returncode,
        )

    def default_environment(self) -> dict[str, str]:
        """Variables every run of this command gets unless the test names them."""
        return {}

    def after_start_check(self) -> bool:
        """mirakuru checks over plain HTTP only: over HTTPS, ask with the test CA."""
        if self.certificate is None:
            return bool(super().after_start_check())
        try:
            trust = ssl.create_default_context(cafile=self.certificate.ca_file)
            ready = httpx.get(f"{self.base_url}{self.ready_path}", verify=trust)
        except httpx.TransportError:
            return False
        return ready.status_code == 200

    def start(self) -> Self:
        try:
            return super().start()
        except ExecutorError as error:
            self.stop()
            raise RuntimeError(f"{self.command}: {error}\n{self.log()}") from None
        finally:
            self._log_file.close()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


class ApiServer(ServedCommand):
    """The production server command (`scripts/run.sh web`, one worker), ready once `/livez`
    answers; with `certificate` it serves HTTPS (uvicorn's own TLS, as behind a TLS proxy)."""

    def __init__(
        self, log_path: Path, certificate: LocalCertificate | None = None, /, **environment: str
    ) -> None:
        tls = []  # uvicorn's flags, passed through the launcher
        if certificate:
            tls = ["--ssl-certfile", str(certificate.cert_file)]
            tls += ["--ssl-keyfile", str(certificate.key_file)]
        super().__init__(
            ["scripts/run.sh", "web", *tls],
            log_path,
            ready_path="/livez",
            environment=environment,
            certificate=certificate,
        )

    def default_environment(self) -> dict[str, str]:
        return {"WEB_CONCURRENCY": "1", "PUBLIC_URL": self.base_url}  # emails link to this server


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
