"""Log in as: an admin acts as a user, safely, and every start and end is in the audit trail."""

import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta

import httpx
import pytest
from sqlmodel import col, func, or_, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from app.models.account import LoginSession, User
from app.models.audit import AuditEvent, AuditKind
from app.models.item import Item
from app.settings import get_settings
from tests.factories import PASSWORD

AddItems = Callable[..., Awaitable[list[Item]]]
AddUser = Callable[..., Awaitable[User]]
AuditTrail = Callable[[], Awaitable[list[AuditEvent]]]


async def impersonate(browser: httpx.AsyncClient, user: User) -> httpx.Response:
    return await browser.post(f"/api/admin/users/{user.id}/impersonation")


def summary(events: list[AuditEvent]) -> list[tuple[str, object, object, object]]:
    return [(e.kind, e.actor_id, e.subject_id, e.details.get("reason")) for e in events]


async def test_an_admin_acts_as_the_user_and_sees_their_items(
    admin_client: httpx.AsyncClient, user: User, admin: User, add_items: AddItems
) -> None:
    [item] = await add_items(1)

    started = await impersonate(admin_client, user)
    account = (await admin_client.get("/api/account")).json()
    items = (await admin_client.get("/api/items")).json()

    assert started.status_code == 204
    assert account["id"] == str(user.id)
    assert account["impersonator"] == {"id": str(admin.id), "email": admin.email}
    assert [i["id"] for i in items["items"]] == [str(item.id)]


async def test_a_plain_session_has_no_impersonator(client: httpx.AsyncClient) -> None:
    assert (await client.get("/api/account")).json()["impersonator"] is None


async def test_impersonating_an_admin_is_refused(
    admin_client: httpx.AsyncClient, add_user: AddUser, admin: User, audit_trail: AuditTrail
) -> None:
    other_admin = await add_user(role="admin")

    response = await impersonate(admin_client, other_admin)

    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert (await admin_client.get("/api/account")).json()["id"] == str(admin.id)
    assert await audit_trail() == []


async def test_impersonating_a_deactivated_user_is_refused(
    admin_client: httpx.AsyncClient, user: User, audit_trail: AuditTrail
) -> None:
    await admin_client.post(f"/api/admin/users/{user.id}/deactivate")

    response = await impersonate(admin_client, user)

    assert response.status_code == 409
    assert response.json()["code"] == "user_inactive"
    assert [e.kind for e in await audit_trail()] == [AuditKind.USER_DEACTIVATED]


async def test_admin_routes_are_closed_while_impersonating(
    admin_client: httpx.AsyncClient, user: User, add_user: AddUser
) -> None:
    other = await add_user()
    await impersonate(admin_client, user)

    responses = [
        await admin_client.get("/api/admin/users"),
        await admin_client.get("/api/admin/audit-events"),
        await impersonate(admin_client, other),
        await admin_client.post(f"/api/admin/users/{other.id}/deactivate"),
    ]

    assert [r.status_code for r in responses] == [403] * 4
    assert other.is_active


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("PUT", "/api/account/password", {"current_password": "x", "new_password": "y" * 20}),
        ("PUT", "/api/account/email", {"new_email": "new@example.com", "current_password": "x"}),
        ("DELETE", "/api/account", {"password": "x"}),
    ],
)
async def test_only_the_user_may_change_their_credentials_or_delete_the_account(
    admin_client: httpx.AsyncClient, user: User, method: str, path: str, body: dict[str, str]
) -> None:
    await impersonate(admin_client, user)

    response = await admin_client.request(method, path, json=body)

    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"


@pytest.mark.parametrize("path", ["/api/account/sessions", "/api/account/sessions/{session_id}"])
async def test_only_the_user_may_log_out_their_sessions(
    admin_client: httpx.AsyncClient,
    user: User,
    log_in: Callable[[httpx.AsyncClient, User], Awaitable[str]],
    session: AsyncSession,
    path: str,
) -> None:
    members_browser = httpx.AsyncClient(transport=admin_client._transport, base_url="http://x")
    await log_in(members_browser, user)
    [members_session] = await session.exec(
        select(col(LoginSession.id)).where(col(LoginSession.user_id) == user.id)
    )
    await impersonate(admin_client, user)

    response = await admin_client.delete(path.format(session_id=members_session))

    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert (await members_browser.get("/api/account")).status_code == 200
    await members_browser.aclose()


async def test_every_change_while_impersonating_is_audited_with_both_ids(
    admin_client: httpx.AsyncClient, user: User, admin: User, audit_trail: AuditTrail
) -> None:
    await impersonate(admin_client, user)

    created = (await admin_client.post("/api/items", json={"title": "Left by an admin"})).json()
    item_path = f"/api/items/{created['id']}"
    assert (await admin_client.patch(item_path, json={"done": True})).status_code == 200
    assert (await admin_client.delete(item_path)).status_code == 204
    await admin_client.get("/api/items")  # reads are no change

    changes = [e for e in await audit_trail() if e.kind == AuditKind.IMPERSONATED_CHANGE]
    assert [(e.actor_id, e.subject_id, e.details) for e in changes] == [
        (admin.id, user.id, {"table": "items", "operation": operation, "row_id": created["id"]})
        for operation in ("insert", "update", "delete")
    ]


async def test_changes_after_returning_to_admin_are_not_impersonated(
    admin_client: httpx.AsyncClient, user: User, audit_trail: AuditTrail
) -> None:
    await impersonate(admin_client, user)
    await admin_client.delete("/api/impersonation")

    assert (await admin_client.post("/api/items", json={"title": "The admin's own"})).is_success

    assert AuditKind.IMPERSONATED_CHANGE not in [e.kind for e in await audit_trail()]


async def test_return_to_admin_ends_it_and_both_ends_are_audited(
    admin_client: httpx.AsyncClient, user: User, admin: User, audit_trail: AuditTrail
) -> None:
    await impersonate(admin_client, user)

    returned = await admin_client.delete("/api/impersonation")
    account = (await admin_client.get("/api/account")).json()

    assert returned.status_code == 204
    assert (account["id"], account["impersonator"]) == (str(admin.id), None)
    assert (await admin_client.get("/api/admin/users")).status_code == 200
    assert summary(await audit_trail()) == [
        (AuditKind.IMPERSONATION_STARTED, admin.id, user.id, None),
        (AuditKind.IMPERSONATION_ENDED, admin.id, user.id, "returned"),
    ]


async def test_return_to_admin_without_impersonating_is_409(client: httpx.AsyncClient) -> None:
    response = await client.delete("/api/impersonation")

    assert response.status_code == 409
    assert response.json()["code"] == "not_impersonating"


async def test_log_out_ends_the_impersonation_and_the_session(
    admin_client: httpx.AsyncClient, user: User, admin: User, audit_trail: AuditTrail
) -> None:
    await impersonate(admin_client, user)

    logged_out = await admin_client.post("/api/auth/logout")

    assert logged_out.status_code == 204
    assert (await admin_client.get("/api/account")).status_code == 401
    assert summary(await audit_trail()) == [
        (AuditKind.IMPERSONATION_STARTED, admin.id, user.id, None),
        (AuditKind.IMPERSONATION_ENDED, admin.id, user.id, "logged_out"),
        (AuditKind.LOGGED_OUT, admin.id, admin.id, None),
    ]


async def test_it_ends_after_the_time_limit(
    admin_client: httpx.AsyncClient,
    user: User,
    admin: User,
    session: AsyncSession,
    audit_trail: AuditTrail,
) -> None:
    await impersonate(admin_client, user)
    limit = timedelta(minutes=get_settings().impersonation_max_minutes)
    await session.exec(
        update(LoginSession)
        .where(col(LoginSession.impersonator_id) == admin.id)
        .values(impersonation_started_at=func.now() - limit)
    )
    await session.commit()

    account = (await admin_client.get("/api/account")).json()

    assert (account["id"], account["impersonator"]) == (str(admin.id), None)
    assert summary(await audit_trail())[-1] == (
        AuditKind.IMPERSONATION_ENDED,
        admin.id,
        user.id,
        "expired",
    )


async def test_every_request_while_impersonating_is_logged_with_both_ids(
    admin_client: httpx.AsyncClient, user: User, admin: User, caplog: pytest.LogCaptureFixture
) -> None:
    await impersonate(admin_client, user)
    caplog.set_level(logging.INFO, logger="app.accounts.dependencies")

    await admin_client.get("/api/items")
    await admin_client.get("/api/account")

    events = [record.msg for record in caplog.records if isinstance(record.msg, dict)]
    logged = [event for event in events if event["event"] == "impersonated_request"]
    assert [(event["admin_id"], event["user_id"], event["path"]) for event in logged] == [
        (str(admin.id), str(user.id), "/api/items"),
        (str(admin.id), str(user.id), "/api/account"),
    ]


async def test_deactivating_an_impersonated_user_hands_the_session_back(
    admin_client: httpx.AsyncClient,
    add_user: AddUser,
    user: User,
    admin: User,
    log_in: Callable[[httpx.AsyncClient, User], Awaitable[str]],
    anonymous: httpx.AsyncClient,
    audit_trail: AuditTrail,
) -> None:
    other_admin = await add_user(role="admin")
    await log_in(anonymous, other_admin)
    await impersonate(admin_client, user)

    await anonymous.post(f"/api/admin/users/{user.id}/deactivate")

    assert (await admin_client.get("/api/account")).json()["id"] == str(admin.id)
    assert summary(await audit_trail())[1:] == [
        (AuditKind.USER_DEACTIVATED, other_admin.id, user.id, None),
        (AuditKind.IMPERSONATION_ENDED, admin.id, user.id, "revoked"),
    ]


async def test_deactivating_an_impersonating_admin_ends_their_session(
    admin_client: httpx.AsyncClient,
    add_user: AddUser,
    user: User,
    admin: User,
    log_in: Callable[[httpx.AsyncClient, User], Awaitable[str]],
    anonymous: httpx.AsyncClient,
    session: AsyncSession,
    audit_trail: AuditTrail,
) -> None:
    other_admin = await add_user(role="admin")
    await log_in(anonymous, other_admin)
    await impersonate(admin_client, user)

    await anonymous.post(f"/api/admin/users/{admin.id}/deactivate")
    await anonymous.post(f"/api/admin/users/{admin.id}/reactivate")

    assert (await admin_client.get("/api/account")).status_code == 401  # gone, not revived
    held = select(LoginSession).where(
        or_(col(LoginSession.user_id) == admin.id, col(LoginSession.impersonator_id) == admin.id)
    )
    assert list(await session.exec(held)) == []
    assert summary(await audit_trail())[1:3] == [
        (AuditKind.USER_DEACTIVATED, other_admin.id, admin.id, None),
        (AuditKind.IMPERSONATION_ENDED, admin.id, user.id, "revoked"),
    ]


async def test_a_demoted_admin_is_handed_back_their_own_session_as_a_member(
    admin_client: httpx.AsyncClient,
    add_user: AddUser,
    user: User,
    admin: User,
    log_in: Callable[[httpx.AsyncClient, User], Awaitable[str]],
    anonymous: httpx.AsyncClient,
    audit_trail: AuditTrail,
) -> None:
    other_admin = await add_user(role="admin")
    await log_in(anonymous, other_admin)
    await impersonate(admin_client, user)

    await anonymous.put(f"/api/admin/users/{admin.id}/role", json={"role": "member"})

    account = (await admin_client.get("/api/account")).json()
    assert (account["id"], account["role"], account["impersonator"]) == (
        str(admin.id),
        "member",
        None,
    )
    assert (await admin_client.get("/api/items")).json()["total"] == 0  # their own, not the user's
    assert summary(await audit_trail())[1:] == [
        (AuditKind.IMPERSONATION_ENDED, admin.id, user.id, "revoked"),
        (AuditKind.ROLE_CHANGED, other_admin.id, admin.id, None),
    ]


async def test_an_admin_demoted_outside_the_api_cannot_go_on_impersonating(
    admin_client: httpx.AsyncClient, user: User, admin: User, session: AsyncSession
) -> None:
    await impersonate(admin_client, user)
    await session.exec(update(User).where(col(User.id) == admin.id).values(role="member"))
    await session.commit()

    assert (await admin_client.get("/api/items")).status_code == 401


async def test_a_user_deleting_their_account_hands_the_admin_their_session_back(
    admin_client: httpx.AsyncClient,
    client: httpx.AsyncClient,
    user: User,
    admin: User,
    audit_trail: AuditTrail,
) -> None:
    await impersonate(admin_client, user)

    deleted = await client.request("DELETE", "/api/account", json={"password": PASSWORD})

    assert deleted.status_code == 204
    assert (await admin_client.get("/api/account")).json()["id"] == str(admin.id)
    assert summary(await audit_trail())[1:] == [
        (AuditKind.ACCOUNT_DELETED, user.id, user.id, None),
        (AuditKind.IMPERSONATION_ENDED, admin.id, user.id, "revoked"),
    ]


async def test_the_user_neither_lists_nor_ends_the_session_of_an_admin_acting_as_them(
    admin_client: httpx.AsyncClient, client: httpx.AsyncClient, user: User, session: AsyncSession
) -> None:
    await impersonate(admin_client, user)
    [admin_session_id] = await session.exec(
        select(col(LoginSession.id)).where(col(LoginSession.impersonator_id).is_not(None))
    )

    listed = (await client.get("/api/account/sessions")).json()
    revoked = await client.delete(f"/api/account/sessions/{admin_session_id}")

    assert str(admin_session_id) not in [row["id"] for row in listed]
    assert [row["current"] for row in listed] == [True]
    assert revoked.status_code == 404
    assert (await admin_client.get("/api/account")).json()["id"] == str(user.id)
