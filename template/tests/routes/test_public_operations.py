"""Closed by default: every operation needs a logged-in user, except the ones listed here.

A router opts out by being a `PublicRouter` (app/routes.py), in plain sight where it is defined.
A new public operation fails this test until it is added to the list below, so opening one is
a decision someone reviews.
"""

import httpx
from fastapi import FastAPI

PUBLIC_OPERATIONS = {
    "GET /livez",
    "GET /readyz",
    "GET /api/client-config",
    "POST /api/auth/signup",
    "POST /api/auth/login",
    "POST /api/auth/logout",  # without a session it has nothing to end, and says so
    "POST /api/auth/password-reset",
    "POST /api/auth/password-reset/confirm",
    "POST /api/auth/email-verification/confirm",
}


async def test_these_operations_alone_answer_a_caller_without_a_session(
    application: FastAPI, anonymous: httpx.AsyncClient
) -> None:
    """Every operation of the document, called without a session and without input: a closed
    one answers 401 before it reads any input, a public one anything else."""
    public = set()
    for path, item in application.openapi()["paths"].items():
        for method in item:
            response = await anonymous.request(method, path.replace("{", "").replace("}", ""))
            if response.status_code != 401:
                public.add(f"{method.upper()} {path}")

    assert public == PUBLIC_OPERATIONS
