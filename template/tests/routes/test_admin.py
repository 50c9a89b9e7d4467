"""The admin API: who may call it, managing users, and what each action leaves in the trail."""

from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts.tokens import digest, new_token
from app.models.account import LoginSession, Role, User
from app.models.audit import AuditEvent, AuditKind
from app.models.item import Item

AddItems = Callable[..., Awaitable[list[Item]]]
AddUser = Callable[..., Awaitable[User]]
AuditTrail = Callable[[], Awaitable[list[AuditEvent]]]
LogIn = Callable[[httpx.AsyncClient, User], Awaitable[str]]

# A valid body for each admin route that takes one, so only the caller decides the answer.
BODIES = {"admin-change_role": {"role": "member"}}


def admin_operations(app: FastAPI) -> list[tuple[str, str, str]]:
    """(method, path, operation id) of every operation the OpenAPI document tags `admin`."""
    operations = [
        (method.upper(), path, operation["operationId"])
        for path, path_item in app.openapi()["paths"].items()
        for method, operation in path_item.items()
        if "admin" in operation.get("tags", [])
    ]
    assert len(operations) >= 8  # a guard against this list silently going empty
    return operations


async def call_each_admin_route(
    app: FastAPI, browser: httpx.AsyncClient, user: User
) -> dict[str, httpx.Response]:
    responses = {}
    for method, path, operation_id in admin_operations(app):
        url = path.replace("{user_id}", str(user.id))
        responses[operation_id] = await browser.request(method, url, json=BODIES.get(operation_id))
    return responses


async def test_every_admin_route_refuses_anonymous_callers(
    app: FastAPI, anonymous: httpx.AsyncClient, user: User
) -> None:
    responses = await call_each_admin_route(app, anonymous, user)

    assert {name: r.status_code for name, r in responses.items()} == dict.fromkeys(responses, 401)
    assert {r.json()["code"] for r in responses.values()} == {"not_authenticated"}


async def test_every_admin_route_refuses_members(
    app: FastAPI, client: httpx.AsyncClient, user: User, audit_trail: AuditTrail
) -> None:
    responses = await call_each_admin_route(app, client, user)

    assert {name: r.status_code for name, r in responses.items()} == dict.fromkeys(responses, 403)
    assert {r.json()["code"] for r in responses.values()} == {"forbidden"}
    assert user.role == Role.MEMBER
    assert user.is_active
    assert await audit_trail() == []


async def test_list_users_searches_by_email_in_any_case_and_pages(
    admin_client: httpx.AsyncClient, add_user: AddUser
) -> None:
    for number in range(3):
        await add_user(email=f"ada{number}@search.example")
    await add_user(email="grace@elsewhere.example")

    first = await admin_client.get("/api/admin/users?email=SEARCH.example&limit=2")
    second = await admin_client.get("/api/admin/users?email=search.example&limit=2&offset=2")

    assert first.status_code == 200
    assert first.json()["total"] == 3
    page_one = [u["email"] for u in first.json()["items"]]
    page_two = [u["email"] for u in second.json()["items"]]
    assert page_one == ["ada2@search.example", "ada1@search.example"]  # newest first
    assert page_two == ["ada0@search.example"]


async def test_list_users_takes_wildcards_literally(
    admin_client: httpx.AsyncClient, add_user: AddUser
) -> None:
    await add_user(email="under_score@example.com")
    await add_user(email="underXscore@example.com")

    response = await admin_client.get("/api/admin/users", params={"email": "under_"})

    assert [u["email"] for u in response.json()["items"]] == ["under_score@example.com"]


async def test_read_user_shows_sessions_item_count_and_last_login(
    admin_client: httpx.AsyncClient,
    anonymous: httpx.AsyncClient,
    user: User,
    add_items: AddItems,
    log_in: LogIn,
) -> None:
    await add_items(3)
    await log_in(anonymous, user)
    logged_in = await anonymous.post(
        "/api/auth/login", json={"email": user.email, "password": "correct horse battery staple"}
    )
    assert logged_in.status_code == 200

    response = await admin_client.get(f"/api/admin/users/{user.id}")

    assert response.status_code == 200
    body = response.json()
    assert body["email"] == user.email
    assert body["item_count"] == 3
    assert body["last_login_at"] is not None
    assert len(body["sessions"]) == 1  # the log-in replaced the earlier session
    assert body["sessions"][0]["impersonator_id"] is None


async def test_read_user_of_an_unknown_id_is_404(admin_client: httpx.AsyncClient) -> None:
    response = await admin_client.get("/api/admin/users/user_01h455vb4pex5vsknk084sn02q")

    assert response.status_code == 404


async def test_deactivation_revokes_every_session_at_once(
    admin_client: httpx.AsyncClient,
    client: httpx.AsyncClient,
    user: User,
    admin: User,
    session: AsyncSession,
    audit_trail: AuditTrail,
) -> None:
    session.add(LoginSession(user_id=user.id, token_hash=digest(new_token())))  # a 2nd browser
    await session.commit()
    assert (await client.get("/api/account")).status_code == 200

    response = await admin_client.post(f"/api/admin/users/{user.id}/deactivate")

    assert response.status_code == 200
    assert response.json()["is_active"] is False
    assert (await client.get("/api/account")).status_code == 401
    owned = select(LoginSession).where(col(LoginSession.user_id) == user.id)
    assert list(await session.exec(owned)) == []
    [event] = await audit_trail()
    assert (event.kind, event.actor_id, event.subject_id) == (
        AuditKind.USER_DEACTIVATED,
        admin.id,
        user.id,
    )


async def test_a_deactivated_user_cannot_log_in_until_reactivated(
    admin_client: httpx.AsyncClient,
    anonymous: httpx.AsyncClient,
    user: User,
    admin: User,
    audit_trail: AuditTrail,
) -> None:
    credentials = {"email": user.email, "password": "correct horse battery staple"}
    await admin_client.post(f"/api/admin/users/{user.id}/deactivate")
    refused = await anonymous.post("/api/auth/login", json=credentials)

    reactivated = await admin_client.post(f"/api/admin/users/{user.id}/reactivate")
    accepted = await anonymous.post("/api/auth/login", json=credentials)

    assert refused.status_code == 403
    assert reactivated.json()["is_active"] is True
    assert accepted.status_code == 200
    kinds = [(e.kind, e.actor_id) for e in await audit_trail()]
    assert kinds == [
        (AuditKind.USER_DEACTIVATED, admin.id),
        (AuditKind.LOGIN_FAILED, None),
        (AuditKind.USER_REACTIVATED, admin.id),
        (AuditKind.LOGGED_IN, user.id),
    ]


@pytest.mark.parametrize(
    ("method", "action", "body"),
    [("POST", "deactivate", None), ("PUT", "role", {"role": "member"})],
)
async def test_an_admin_cannot_deactivate_or_demote_themselves(
    admin_client: httpx.AsyncClient,
    admin: User,
    audit_trail: AuditTrail,
    method: str,
    action: str,
    body: dict[str, str] | None,
) -> None:
    response = await admin_client.request(
        method, f"/api/admin/users/{admin.id}/{action}", json=body
    )

    assert response.status_code == 409
    assert response.json()["code"] == "own_account"
    assert await audit_trail() == []


async def test_change_role_writes_one_event_with_both_roles(
    admin_client: httpx.AsyncClient, user: User, admin: User, audit_trail: AuditTrail
) -> None:
    response = await admin_client.put(f"/api/admin/users/{user.id}/role", json={"role": "admin"})

    assert response.status_code == 200
    assert response.json()["role"] == "admin"
    [event] = await audit_trail()
    assert (event.kind, event.actor_id, event.subject_id) == (
        AuditKind.ROLE_CHANGED,
        admin.id,
        user.id,
    )
    assert event.details == {"old_role": "member", "new_role": "admin"}


async def test_change_role_to_an_unknown_role_is_422_and_writes_nothing(
    admin_client: httpx.AsyncClient, user: User, audit_trail: AuditTrail
) -> None:
    response = await admin_client.put(f"/api/admin/users/{user.id}/role", json={"role": "owner"})

    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == ["role"]
    assert await audit_trail() == []


async def test_send_password_reset_on_the_users_behalf(
    admin_client: httpx.AsyncClient, user: User, admin: User, audit_trail: AuditTrail
) -> None:
    response = await admin_client.post(f"/api/admin/users/{user.id}/password-reset")

    assert response.status_code == 202
    [event] = await audit_trail()
    assert (event.kind, event.actor_id, event.subject_id) == (
        AuditKind.PASSWORD_RESET_SENT,
        admin.id,
        user.id,
    )


async def test_audit_log_filters_by_user_kind_and_date(
    admin_client: httpx.AsyncClient, add_user: AddUser, user: User, admin: User
) -> None:
    other = await add_user()
    await admin_client.put(f"/api/admin/users/{user.id}/role", json={"role": "admin"})
    await admin_client.post(f"/api/admin/users/{other.id}/deactivate")

    async def events(**filters: str) -> dict[str, Any]:
        response = await admin_client.get("/api/admin/audit-events", params=filters)
        assert response.status_code == 200
        body: dict[str, Any] = response.json()
        return body

    by_admin = await events(user_id=str(admin.id))  # as actor (the subjects are the others)
    at = by_admin["items"][-1]["created_at"]
    by_subject = await events(user_id=str(other.id))
    by_kind = await events(user_id=str(admin.id), kind="role_changed")
    before = await events(user_id=str(admin.id), until=at)
    since = await events(user_id=str(admin.id), since=at)

    assert [e["kind"] for e in by_admin["items"]] == ["user_deactivated", "role_changed"]
    assert by_admin["total"] == 2
    assert [e["subject_email"] for e in by_subject["items"]] == [other.email]
    assert [e["subject_id"] for e in by_kind["items"]] == [str(user.id)]
    assert by_kind["items"][0]["actor_email"] == admin.email
    assert before["total"] == 0
    assert since["total"] == 2


async def test_audit_log_rejects_an_unknown_kind(admin_client: httpx.AsyncClient) -> None:
    response = await admin_client.get("/api/admin/audit-events", params={"kind": "coffee"})

    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == ["kind"]
