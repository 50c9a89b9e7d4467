"""The client's address is parsed once: a valid IP address is kept in its canonical form, anything
else a trusted proxy passed on from `X-Forwarded-For` is no address at all (never a 500)."""

import pytest
from fastapi import FastAPI
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.models.account import LoginSession
from app.models.audit import AuditEvent
from tests.factories import PASSWORD
from tests.support.clients import client_for


async def _sign_up_from(app: FastAPI, session: AsyncSession, address: str) -> list[str | None]:
    """Sign up as a client at `address`; the addresses its session and audit event recorded."""
    async with client_for(app, address=(address, 4711)) as client:
        response = await client.post(
            "/api/auth/signup", json={"email": "ada@example.com", "password": PASSWORD}
        )
    assert response.status_code == 201, response.text
    login_session = (await session.exec(select(LoginSession))).one()
    event = (await session.exec(select(AuditEvent))).one()
    return [login_session.ip, event.ip]


@pytest.mark.parametrize(
    "address",
    ["1" * 100, "203.0.113.7, 198.51.100.2" * 4, "not-an-ip", "<script>", "fe80::1%" + "e" * 80],
)
async def test_an_address_that_is_not_an_ip_is_recorded_as_none(
    app: FastAPI, session: AsyncSession, address: str
) -> None:
    assert await _sign_up_from(app, session, address) == [None, None]


@pytest.mark.parametrize(
    ("address", "canonical"),
    [("203.0.113.7", "203.0.113.7"), ("2001:DB8:0:0::0001", "2001:db8::1")],
)
async def test_a_valid_address_is_recorded_in_canonical_form(
    app: FastAPI, session: AsyncSession, address: str, canonical: str
) -> None:
    assert await _sign_up_from(app, session, address) == [canonical, canonical]
