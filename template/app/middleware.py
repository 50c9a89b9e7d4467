"""The one pure ASGI layer around every request: id, client address, body limit, log, headers, 500.

Hand-written rather than stacked from asgi-correlation-id and Starlette middleware: one layer
costs one call per request, and the request id must be bound before anything logs and still be
there when an unexpected error is turned into the JSON 500 (inside this layer, so the 500 gets
the id and the headers too, and the server never sees, nor logs again, the exception).
"""

import time

import structlog
from fastapi import HTTPException, status
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.client_address import parsed_client
from app.errors import error_body
from app.observability import report_error
from app.request_id import HEADER, current_request_id, request_id_from
from app.security_headers import SecurityHeaders

logger = structlog.get_logger("app.requests")

TOO_LARGE = ("Content Too Large", "request_too_large")
INTERNAL = ("Internal server error", "internal_error")
UNKNOWN_HOST = ("This server does not answer for that host name", "unknown_host")
# Orchestrators' probes ask by the pod's address, not by the site's name.
PROBE_PATHS = frozenset({"/livez", "/readyz"})


class BodyTooLargeError(HTTPException):
    """The request body passed `REQUEST_MAX_BODY_BYTES`: raised while it is read, answered 413.

    FastAPI's own `max_body_size` was rejected: its limiter sits outside the middleware stack and
    answers in plain text, without the error shape, the request id or the headers.
    """

    def __init__(self) -> None:
        super().__init__(status.HTTP_413_CONTENT_TOO_LARGE, TOO_LARGE[0])


class HttpLayer:
    """Request id in and out, the client's address parsed, the Host allow-list, the body limit,
    one log line, the security headers, the JSON 500.

    `allowed_hosts` (production): the Host names answered; any other gets 400, so a forged Host
    never reaches code that builds links or cache keys from it. None answers every name.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        security_headers: SecurityHeaders,
        max_body_bytes: int,
        allowed_hosts: frozenset[str] | None = None,
    ) -> None:
        self.app = app
        self.security_headers = security_headers
        self.max_body_bytes = max_body_bytes
        self.allowed_hosts = allowed_hosts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        scope["client"] = parsed_client(scope.get("client"))
        request_id = request_id_from(scope["headers"])
        token = current_request_id.set(request_id)
        log_context = structlog.contextvars.bind_contextvars(request_id=request_id)
        response_status = 0

        async def send_with_headers(message: Message) -> None:
            nonlocal response_status
            if message["type"] == "http.response.start":
                response_status = message["status"]
                headers = [*message.get("headers", ()), (HEADER, request_id.encode())]
                headers += self.security_headers.missing_from(response_status, headers)
                message["headers"] = headers
            await send(message)

        received = 0

        async def receive_with_limit() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body_bytes:
                    raise BodyTooLargeError
            return message

        failure: Exception | None = None
        try:
            if not self._answers_host(scope):
                await _send_json(send_with_headers, 400, error_body(*UNKNOWN_HOST, request_id))
                return
            if self._declares_too_large_a_body(scope):
                raise BodyTooLargeError
            await self.app(scope, receive_with_limit, send_with_headers)
        except BodyTooLargeError:
            # Routes answer it through the error handlers; here when it came before or beside them.
            if not response_status:
                await _send_json(send_with_headers, 413, error_body(*TOO_LARGE, request_id))
        except Exception as error:  # noqa: BLE001  # every unexpected error becomes the JSON 500
            failure = error
            if not response_status:  # nothing sent yet: answer in the one error shape
                await _send_json(send_with_headers, 500, error_body(*INTERNAL, request_id))
        finally:
            fields = {
                "method": scope["method"],
                "path": scope["path"],
                "status": response_status,
                "duration_ms": round((time.perf_counter() - start) * 1000, 2),
            }
            if failure is None:
                logger.info("request", **fields)
            else:
                # One line with the exception and its frames; the renderer never adds locals.
                logger.error("request_failed", **fields, exc_info=failure)
                report_error(failure)
            structlog.contextvars.reset_contextvars(**log_context)
            current_request_id.reset(token)

    def _answers_host(self, scope: Scope) -> bool:
        if self.allowed_hosts is None or scope["path"] in PROBE_PATHS:
            return True
        for name, value in scope["headers"]:
            if name == b"host":
                return host_name(value) in self.allowed_hosts
        return False

    def _declares_too_large_a_body(self, scope: Scope) -> bool:
        for name, value in scope["headers"]:
            if name == b"content-length":
                return value.isdigit() and int(value) > self.max_body_bytes
        return False


def host_name(host_header: bytes) -> str:
    """`app.example.com` from `App.Example.com:443`, `::1` from `[::1]:8000`."""
    host = host_header.decode("latin-1").lower()
    if host.startswith("["):
        return host[1 : host.find("]")]
    return host.rsplit(":", 1)[0]


async def _send_json(send: Send, status: int, body: bytes) -> None:
    headers = [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(body))]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
