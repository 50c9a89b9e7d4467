"""`just dev` over HTTPS: Caddy serves the local name with a mkcert certificate in front of the web
server (a stand-in here), exactly as scripts/dev-https.sh starts it."""

import os
import shutil
import socket
import ssl
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from mirakuru import TCPExecutor

from tests.support.servers import PROJECT_ROOT, free_port
from tests.support.stand_ins import StandIn

pytestmark = [
    pytest.mark.processes,  # Caddy and mkcert
    pytest.mark.skipif(
        not (shutil.which("mkcert") and shutil.which("caddy")),
        reason="local HTTPS needs mkcert and caddy on PATH (`just dev` falls back to plain HTTP)",
    ),
]
HOST = "dev-https-test.localhost"


@pytest.fixture
def web_server() -> Iterator[StandIn]:
    server = StandIn()
    yield server
    server.stop()


@pytest.fixture
def https_proxy(web_server: StandIn, tmp_path: Path) -> Iterator[tuple[int, Path]]:
    """scripts/dev-https.sh serve, with its own CA under tmp_path (no trust store is touched)."""
    port = free_port()
    environment = {
        **os.environ,
        "CAROOT": str(tmp_path / "ca"),
        "TRUST_STORES": "nss",  # only browser profiles' stores, of which a test machine has none
        "DEV_HTTPS_DIR": str(tmp_path / "https"),
        "DEV_HOST": HOST,
        "DEV_HTTPS_PORT": str(port),
        "WEB_PORT": web_server.origin.rsplit(":", 1)[1],
    }
    (tmp_path / "ca").mkdir()
    with (tmp_path / "caddy.log").open("w") as log:
        proxy = TCPExecutor(
            ["scripts/dev-https.sh", "serve"],
            host="127.0.0.1",
            port=port,
            cwd=str(PROJECT_ROOT),
            envvars=environment,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            timeout=60,
        )
        with proxy:
            yield port, tmp_path / "ca/rootCA.pem"


def test_dev_https_serves_the_local_name_with_a_certificate_of_the_local_ca(
    https_proxy: tuple[int, Path], web_server: StandIn
) -> None:
    port, local_ca = https_proxy
    trusted = ssl.create_default_context(cafile=local_ca)  # checks the name too
    request = (
        f"POST /through-caddy HTTP/1.1\r\nHost: {HOST}:{port}\r\n"
        "Content-Length: 5\r\nConnection: close\r\n\r\nhello"
    )
    with (
        socket.create_connection(("127.0.0.1", port)) as raw,
        trusted.wrap_socket(raw, server_hostname=HOST) as connection,
    ):
        connection.sendall(request.encode())
        response = b"".join(iter(lambda: connection.recv(65536), b""))

    assert response.startswith(b"HTTP/1.1 200")
    assert web_server.requests == [("/through-caddy", b"hello")]
