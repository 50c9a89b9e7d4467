"""Local stand-ins for Sentry's ingest and PostHog's capture API: they record, never forward."""

import base64
import gzip
import json
import ssl
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

# The release a deployment bakes into the image: the git commit it was built from.
RELEASE = "0123456789abcdef0123456789abcdef01234567"


class StandIn:
    """An HTTP(S) server on 127.0.0.1 that answers every request `{}` and keeps what was sent.

    With `tls`, it serves HTTPS with the test session's certificate, as the real services do:
    pages served over HTTPS may only send to HTTPS origins.
    """

    def __init__(self, tls: ssl.SSLContext | None = None) -> None:
        self.requests: list[tuple[str, bytes]] = []  # (path with query, decoded body)
        received = self.requests

        class Handler(BaseHTTPRequestHandler):
            def do_OPTIONS(self) -> None:  # http.server's hook name: CORS preflight
                self._answer()

            def do_GET(self) -> None:
                self._answer()

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if self.headers.get("Content-Encoding", "") == "gzip":
                    body = gzip.decompress(body)
                received.append((self.path, body))
                self._answer()

            def _answer(self) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                # As the real services answer a browser: any origin, with its headers.
                self.send_header("Access-Control-Allow-Origin", self.headers.get("Origin", "*"))
                self.send_header("Access-Control-Allow-Credentials", "true")
                self.send_header("Access-Control-Allow-Headers", "*")
                self.send_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, format: str, *args: Any) -> None:
                """Quiet: the test reads what arrived, not an access log."""

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        if tls is not None:
            self.server.socket = tls.wrap_socket(self.server.socket, server_side=True)
        self.origin = f"{'https' if tls else 'http'}://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def wait_for[T](self, found: Callable[[], list[T]], timeout: float = 60) -> list[T]:
        """What `found()` returns once it is not empty; the timeout only guards a hang."""
        deadline = time.monotonic() + timeout
        while not (items := found()):
            if time.monotonic() > deadline:
                raise AssertionError(f"nothing expected arrived; received: {self.requests}")
            time.sleep(0.1)
        return items

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class SentryIngest(StandIn):
    """Sentry's ingest: `dsn` points an SDK at it; `events()` are the error events received."""

    @property
    def dsn(self) -> str:
        # A hex public key, as Sentry issues them (the browser SDK rejects other characters).
        scheme, host = self.origin.split("://")
        return f"{scheme}://0123456789abcdef@{host}/1"

    def events(self) -> list[dict[str, Any]]:
        """The error events of every envelope so far (transactions and sessions left out)."""
        events = []
        for _, envelope in list(self.requests):
            lines = envelope.split(b"\n")
            index = 1  # line 0 is the envelope header
            while index + 1 < len(lines):
                item_header = json.loads(lines[index])
                if item_header.get("type") == "event":
                    events.append(json.loads(lines[index + 1]))
                index += 2
        return events

    def wait_for_event(self, matches: Callable[[dict[str, Any]], bool]) -> dict[str, Any]:
        """The first event for which `matches(event)` holds."""
        return self.wait_for(lambda: [event for event in self.events() if matches(event)])[0]


class PostHogCapture(StandIn):
    """PostHog's API host: `captured()` are the events posted to its capture endpoints."""

    def captured(self) -> list[dict[str, Any]]:
        events: list[dict[str, Any]] = []
        for path, body in list(self.requests):
            url = urlsplit(path)
            if not url.path.rstrip("/").endswith(("/e", "/batch")):
                continue  # configuration and feature-flag requests
            if body[:2] == b"\x1f\x8b":  # gzip (compression=gzip-js)
                body = gzip.decompress(body)
            elif body.startswith(b"data="):  # a form field in base64 (compression=base64)
                body = base64.b64decode(parse_qs(body.decode())["data"][0])
            payload = json.loads(body)
            batch = payload.get("batch", payload) if isinstance(payload, dict) else payload
            events += batch if isinstance(batch, list) else [batch]
        return events

    def wait_for_event(self, matches: Callable[[dict[str, Any]], bool]) -> dict[str, Any]:
        """The first captured event for which `matches(event)` holds."""
        return self.wait_for(lambda: [event for event in self.captured() if matches(event)])[0]
