"""The id of the request being served: taken from a valid `X-Request-ID` or made here."""

import re
import uuid
from contextvars import ContextVar

HEADER = b"x-request-id"
# What a proxy or client may hand us: a UUID or a similar token, never free text for the logs.
_VALID = re.compile(rb"[A-Za-z0-9._-]{8,128}")

current_request_id: ContextVar[str | None] = ContextVar("request_id", default=None)


def request_id_from(headers: list[tuple[bytes, bytes]]) -> str:
    """The incoming id when it is well formed, otherwise a fresh random one."""
    for name, value in headers:
        if name == HEADER and _VALID.fullmatch(value):
            return value.decode()
    return uuid.uuid4().hex
