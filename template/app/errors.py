"""One JSON error shape for every 4xx and 5xx response."""

from typing import Any

import kombu.exceptions
import redis.exceptions
import sqlalchemy.exc
import structlog
from asgi_correlation_id import correlation_id
from fastapi import FastAPI, Request, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

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


def _error_response(
    status_code: int, detail: str, code: str, errors: list[FieldError] | None = None, **kwargs: Any
) -> JSONResponse:
    body = ErrorResponse(
        detail=detail, code=code, request_id=correlation_id.get(), errors=errors or []
    )
    return JSONResponse(body.model_dump(mode="json"), status_code=status_code, **kwargs)


def _field_name(location: tuple[Any, ...]) -> str:
    """`("body", "title")` → `title`; query and path parameters keep their name."""
    parts = [str(part) for part in location]
    if parts and parts[0] in {"body", "query", "path", "header", "cookie"}:
        parts = parts[1:]
    return ".".join(parts) or "body"


async def _http_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, StarletteHTTPException)
    code = {404: "not_found", 405: "method_not_allowed", 409: "conflict"}.get(
        error.status_code, "http_error"
    )
    return _error_response(error.status_code, str(error.detail), code, headers=error.headers)


async def _validation_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    errors = [
        FieldError(field=_field_name(problem["loc"]), message=problem["msg"], type=problem["type"])
        for problem in error.errors()
    ]
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


async def _unexpected_error(request: Request, error: Exception) -> JSONResponse:
    """Log the traceback; tell the client only that it failed and which request it was."""
    logger.exception("unhandled_error", path=request.url.path)
    return _error_response(
        status.HTTP_500_INTERNAL_SERVER_ERROR, "Internal server error", "internal_error"
    )


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    for dependency_error in DEPENDENCY_UNAVAILABLE:
        app.add_exception_handler(dependency_error, _dependency_unavailable)
    app.add_exception_handler(Exception, _unexpected_error)
