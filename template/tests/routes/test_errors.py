"""Failures inside the app: the JSON 500 within the middleware stack, logged once, without data."""

import asyncio
import json
from collections.abc import AsyncIterator, Callable

import pytest
from fastapi import Body, FastAPI

from tests.support.clients import client_for

SECRET = "s3cret-from-the-request-body"


def add_failing_route(app: FastAPI) -> None:
    @app.post("/api/boom")
    async def boom(note: str = Body(embed=True)) -> None:
        copied = note * 2  # a local holding request data, as real code has
        raise RuntimeError(f"failed after {len(copied)} characters")


async def test_an_unexpected_error_is_the_json_500_and_never_reaches_the_server(
    app_with: Callable[..., FastAPI],
) -> None:
    app = app_with()
    add_failing_route(app)

    async with client_for(app) as client:
        response = await client.post("/api/boom", json={"note": SECRET})

    assert response.status_code == 500
    assert response.json() == {
        "detail": "Internal server error",
        "code": "internal_error",
        "request_id": response.headers["x-request-id"],
        "errors": [],
    }
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "content-security-policy" in response.headers
    assert "failed after" not in response.text


async def test_production_logs_one_json_line_with_frames_and_no_request_data(
    app_with: Callable[..., FastAPI], capsys: pytest.CaptureFixture[str]
) -> None:
    app = app_with(ENVIRONMENT="production", LOG_LEVEL="INFO")
    add_failing_route(app)
    capsys.readouterr()

    async with client_for(app) as client:
        response = await client.post("/api/boom", json={"note": SECRET})

    logged = capsys.readouterr().err.splitlines()
    lines = [line for line in logged if json.loads(line)["logger"] != "httpx"]  # the test's client
    assert len(lines) == 1, lines
    line = json.loads(lines[0])
    assert line["event"] == "request_failed"
    assert line["status"] == 500
    assert line["request_id"] == response.headers["x-request-id"]
    [exception] = line["exception"]
    assert exception["exc_type"] == "RuntimeError"
    assert any(frame["name"] == "boom" for frame in exception["frames"])
    assert all("locals" not in frame for frame in exception["frames"])
    assert SECRET not in lines[0]


async def test_development_prints_a_short_traceback_without_locals(
    app_with: Callable[..., FastAPI], capsys: pytest.CaptureFixture[str]
) -> None:
    app = app_with(ENVIRONMENT="development", LOG_LEVEL="INFO")
    add_failing_route(app)
    capsys.readouterr()

    async with client_for(app) as client:
        await client.post("/api/boom", json={"note": SECRET})

    output = capsys.readouterr().err
    assert "RuntimeError: failed after" in output
    assert "in boom" in output
    assert "starlette" not in output  # library frames are left out
    assert SECRET not in output
    assert output.count("Traceback") == 1


async def test_a_failing_request_does_not_hold_up_the_others(
    app_with: Callable[..., FastAPI],
) -> None:
    app = app_with(ENVIRONMENT="production")
    add_failing_route(app)

    async with client_for(app) as client:
        responses = await asyncio.gather(
            *[client.post("/api/boom", json={"note": SECRET}) for _ in range(5)],
            *[client.get("/livez") for _ in range(5)],
        )

    assert [response.status_code for response in responses] == [500] * 5 + [200] * 5


async def test_a_body_over_the_limit_is_413_in_the_error_shape(
    app_with: Callable[..., FastAPI],
) -> None:
    async with client_for(app_with(REQUEST_MAX_BODY_BYTES="1000")) as client:
        response = await client.post("/api/items", json={"title": "x" * 1000})

    assert response.status_code == 413
    assert response.json()["code"] == "request_too_large"
    assert response.json()["request_id"] == response.headers["x-request-id"]


async def test_a_streamed_body_without_length_over_the_limit_is_413(
    app_with: Callable[..., FastAPI],
) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(20):
            yield b'{"title": "' + b"x" * 100

    async with client_for(app_with(REQUEST_MAX_BODY_BYTES="1000")) as client:
        response = await client.post(
            "/api/items", content=chunks(), headers={"content-type": "application/json"}
        )

    assert "content-length" not in response.request.headers
    assert response.status_code == 413
    assert response.json()["code"] == "request_too_large"


async def test_the_body_limit_is_one_mebibyte_by_default(app_with: Callable[..., FastAPI]) -> None:
    async with client_for(app_with()) as client:
        response = await client.post(
            "/api/items",
            content=b" " * (1024 * 1024 + 1),
            headers={"content-type": "application/json"},
        )

    assert response.status_code == 413
