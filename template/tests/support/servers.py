"""Project commands serving HTTP on free loopback ports: the production server, the job monitor."""

import socket
import ssl
import subprocess
from pathlib import Path
from typing import Self

import httpx
from mirakuru import HTTPExecutor
from mirakuru.exceptions import ExecutorError

from tests.support.certificates import LocalCertificate

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


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
