"""In-process HTTP clients of the app, sending what a browser on the app's own pages sends."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI

# What a browser sends with a fetch from the app's own pages (see app/accounts/csrf.py).
SAME_ORIGIN = {"Sec-Fetch-Site": "same-origin"}


@asynccontextmanager
async def client_for(
    app: FastAPI, address: tuple[str, int] = ("127.0.0.1", 123)
) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client calling `app` in process; an exception reaching the server fails the test.

    `address` is the client's the server sees, as uvicorn would take it from `X-Forwarded-For`.
    """
    transport = httpx.ASGITransport(app=app, client=address)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://testserver", headers=SAME_ORIGIN
    ) as client:
        yield client
