"""Helpers for observability tests: a local Sentry ingest stand-in, the production server."""

import gzip
import json
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from mirakuru import HTTPExecutor
from mirakuru.exceptions import ExecutorError

from tests.jobs.utils import free_port

PROJECT_ROOT = Path(__file__).resolve().parents[2]

# The release a deployment bakes into the image: the git commit it was built from.
RELEASE = "0123456789abcdef0123456789abcdef01234567"


class SentryIngest:
    """Listens on 127.0.0.1; `dsn` points an SDK at it; `events()` are the error events received."""

    def __init__(self) -> None:
        self.raw_envelopes: list[bytes] = []
        received = self.raw_envelopes

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # http.server's hook name
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                encoding = self.headers.get("Content-Encoding", "")
                if encoding == "gzip":
                    body = gzip.decompress(body)
                elif encoding == "br":
                    import brotli  # only sent when the SDK itself could import it

                    body = brotli.decompress(body)
                received.append(body)
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Access-Control-Allow-Origin", "*")  # as Sentry's own answers
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, format: str, *args: Any) -> None:
                """Quiet: the test reads what arrived, not an access log."""

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def dsn(self) -> str:
        # A hex public key, as Sentry issues them (the browser SDK rejects other characters).
        return f"http://0123456789abcdef@127.0.0.1:{self.server.server_port}/1"

    def events(self) -> list[dict[str, Any]]:
        """The error events of every envelope so far (transactions and sessions left out)."""
        events = []
        for envelope in list(self.raw_envelopes):
            lines = envelope.split(b"\n")
            index = 1  # line 0 is the envelope header
            while index + 1 < len(lines):
                item_header = json.loads(lines[index])
                if item_header.get("type") == "event":
                    events.append(json.loads(lines[index + 1]))
                index += 2
        return events

    def wait_for_event(self, matches: Any, timeout: float = 60) -> dict[str, Any]:
        """The first event for which `matches(event)` holds; the timeout only guards a hang."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for event in self.events():
                if matches(event):
                    return event
            time.sleep(0.1)
        raise AssertionError(f"no matching event arrived; received: {self.events()}")

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@contextmanager
def serve(environment: dict[str, str], log_path: Path) -> Iterator[str]:
    """The production server command (one worker) on a free port with extra environment."""
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    with log_path.open("w") as log:
        server = HTTPExecutor(
            ["scripts/run.sh", "web"],
            url=f"{base_url}/livez",
            method="GET",
            cwd=str(PROJECT_ROOT),
            envvars={**environment, "PORT": str(port), "WEB_CONCURRENCY": "1"},
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            timeout=60,  # to start, and to stop before SIGKILL: a guard against hangs
        )
        try:
            server.start()
        except ExecutorError as error:
            log_text = log_path.read_text()
            raise RuntimeError(f"the server did not start ({error}):\n{log_text}") from None
    try:
        yield base_url
    finally:
        server.stop()  # the whole process group: uvicorn and its workers
