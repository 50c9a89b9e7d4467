"""One JSON error shape for every 4xx and 5xx response, documented in the OpenAPI document."""

from typing import Any

import kombu.exceptions
import redis.exceptions
import sqlalchemy.exc
import structlog
from fastapi import FastAPI, Request, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.request_id import current_request_id

logger = structlog.get_logger(__name__)

# A dependency is down or too slow (Postgres, the Redis broker): the request may succeed later.
DEPENDENCY_UNAVAILABLE: tuple[type[Exception], ...] = (
    sqlalchemy.exc.OperationalError,  # cannot connect, connection lost, statement timeout
    sqlalchemy.exc.TimeoutError,  # no free connection in the pool within its timeout
    kombu.exceptions.OperationalError,  # a task could not be sent to the broker
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
)
RETRY_AFTER_SECONDS = 5


class FieldError(BaseModel):
    field: str
    message: str
    type: str


class ErrorResponse(BaseModel):
    detail: str
    code: str
    request_id: str | None = None
    errors: list[FieldError] = []


# The error statuses of the API, each described once; an operation's OpenAPI entry lists those it
# can answer (`error_responses`, app/routes.py), and the generated client types each of them.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status_code: {"model": ErrorResponse, "description": description}
    for status_code, description in {
        400: "Bad request",
        401: "Not authenticated",
        403: "Forbidden",
        404: "Not found",
        409: "Conflicts with the current state",
        413: "Request body too large",
        422: "Invalid input, with one entry per field",
        429: "Too many requests (see Retry-After)",
        500: "Internal server error",
        503: "A dependency is unavailable (see Retry-After)",
    }.items()
}

_CODES = {
    400: "bad_request",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "request_too_large",
}


class ApiError(StarletteHTTPException):
    """An HTTP error with a stable `code` a client can branch on (`email_taken`, `rate_limited`)."""

    def __init__(
        self, status_code: int, code: str, detail: str, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(status_code, detail, headers)
        self.code = code


def invalid_field(field: str, message: str) -> RequestValidationError:
    """A 422 naming one body field, for checks a schema cannot make (a wrong current password)."""
    return RequestValidationError([{"loc": ("body", field), "msg": message, "type": "value_error"}])


def error_responses(*status_codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses=` naming statuses an operation answers, all in the one error shape."""
    return {code: ERROR_RESPONSES[code] for code in status_codes}


def _error_response(
    status_code: int, detail: str, code: str, errors: list[FieldError] | None = None, **kwargs: Any
) -> JSONResponse:
    body = ErrorResponse(
        detail=detail, code=code, request_id=current_request_id.get(), errors=errors or []
    )
    return JSONResponse(body.model_dump(mode="json"), status_code=status_code, **kwargs)


def error_body(detail: str, code: str, request_id: str) -> bytes:
    """The error shape as bytes, for answers sent before or outside FastAPI's handlers."""
    return ErrorResponse(detail=detail, code=code, request_id=request_id).model_dump_json().encode()


def _field_error(problem: dict[str, Any]) -> FieldError:
    """`("body", "title")` → `title`; query and path parameters keep their name."""
    if problem["type"] == "json_invalid":  # its location is a character offset, not a field
        reason = problem.get("ctx", {}).get("error", "")
        message = f"The body is not valid JSON: {reason} (at character {problem['loc'][-1]})"
        return FieldError(field="body", message=message, type="json_invalid")
    parts = [str(part) for part in problem["loc"]]
    if parts and parts[0] in {"body", "query", "path", "header", "cookie"}:
        parts = parts[1:]
    return FieldError(field=".".join(parts) or "body", message=problem["msg"], type=problem["type"])


async def _http_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, StarletteHTTPException)
    code = (
        error.code if isinstance(error, ApiError) else _CODES.get(error.status_code, "http_error")
    )
    return _error_response(error.status_code, str(error.detail), code, headers=error.headers)


async def _validation_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    errors = [_field_error(problem) for problem in error.errors()]
    return _error_response(
        status.HTTP_422_UNPROCESSABLE_CONTENT, "Invalid input", "validation_error", errors
    )


async def _dependency_unavailable(request: Request, error: Exception) -> JSONResponse:
    """503 with Retry-After: the client did nothing wrong and may try again shortly."""
    logger.warning("dependency_unavailable", path=request.url.path, error=type(error).__name__)
    return _error_response(
        status.HTTP_503_SERVICE_UNAVAILABLE,
        "A service this request needs is unavailable; try again shortly",
        "service_unavailable",
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )


def install_error_handlers(app: FastAPI) -> None:
    """HTTP, validation and dependency errors; any other exception is `app.middleware`'s 500."""
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    for dependency_error in DEPENDENCY_UNAVAILABLE:
        app.add_exception_handler(dependency_error, _dependency_unavailable)
