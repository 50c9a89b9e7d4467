"""The items API: every CRUD route, its validation and its errors."""

import json
from collections.abc import Awaitable, Callable

import httpx
import pytest
from sqlmodel.ext.asyncio.session import AsyncSession
from typeid import TypeID

from app.models.account import User
from app.models.item import Item

AddItems = Callable[..., Awaitable[list[Item]]]
AddUser = Callable[..., Awaitable[User]]
LogIn = Callable[[httpx.AsyncClient, User], Awaitable[str]]


async def test_create_item_returns_it_with_a_typeid_and_timestamps(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post("/api/items", json={"title": "Buy milk", "description": "2 l"})

    assert response.status_code == 201
    body = response.json()
    assert body["title"] == "Buy milk"
    assert body["description"] == "2 l"
    assert body["done"] is False
    assert TypeID.from_string(body["id"]).prefix == "item"
    assert body["created_at"] == body["updated_at"]


async def test_create_item_rejects_blank_title_with_a_field_error(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post("/api/items", json={"title": ""})

    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation_error"
    assert [error["field"] for error in body["errors"]] == ["title"]


async def test_create_item_rejects_missing_title_and_wrong_types(client: httpx.AsyncClient) -> None:
    response = await client.post("/api/items", json={"done": "perhaps"})

    assert response.status_code == 422
    assert {error["field"] for error in response.json()["errors"]} == {"title", "done"}


@pytest.mark.parametrize("done", ["yes", "true", 1, 0])
async def test_create_item_takes_only_json_booleans_for_done(
    client: httpx.AsyncClient, done: object
) -> None:
    response = await client.post("/api/items", json={"title": "Strict", "done": done})

    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == ["done"]


async def test_update_item_takes_only_json_booleans_for_done(
    client: httpx.AsyncClient, add_items: AddItems
) -> None:
    [item] = await add_items(1)

    response = await client.patch(f"/api/items/{item.id}", json={"done": "yes"})

    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == ["done"]


async def test_create_item_rejects_malformed_json_naming_the_body(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post(
        "/api/items", content=b"{not json", headers={"content-type": "application/json"}
    )

    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation_error"
    [error] = body["errors"]
    assert error["field"] == "body"
    assert error["type"] == "json_invalid"
    assert error["message"].startswith("The body is not valid JSON")


async def test_get_item_returns_it(client: httpx.AsyncClient, add_items: AddItems) -> None:
    [item] = await add_items(1)

    response = await client.get(f"/api/items/{item.id}")

    assert response.status_code == 200
    assert response.json()["id"] == str(item.id)
    assert response.json()["title"] == item.title


async def test_get_unknown_item_is_404(client: httpx.AsyncClient) -> None:
    response = await client.get(f"/api/items/{TypeID('item')}")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


@pytest.mark.parametrize(
    "bad_id",
    ["not-an-id", "item_123", f"{TypeID('user')}", "item_zzzzzzzzzzzzzzzzzzzzzzzzzz"],
)
async def test_get_item_with_malformed_or_foreign_id_is_422(
    client: httpx.AsyncClient, bad_id: str
) -> None:
    response = await client.get(f"/api/items/{bad_id}")

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "item_id"


async def test_list_items_pages_newest_first(
    client: httpx.AsyncClient, add_items: AddItems
) -> None:
    items = await add_items(5)
    newest_first = [str(item.id) for item in reversed(items)]

    first = (await client.get("/api/items", params={"limit": 2})).json()
    rest = (await client.get("/api/items", params={"limit": 2, "offset": 2})).json()

    assert first["total"] == 5
    assert [item["id"] for item in first["items"]] == newest_first[:2]
    assert [item["id"] for item in rest["items"]] == newest_first[2:4]
    assert (first["limit"], rest["offset"]) == (2, 2)


async def test_list_items_when_empty(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/items")

    assert response.json() == {"items": [], "total": 0, "limit": 20, "offset": 0}


@pytest.mark.parametrize(
    "params",
    [{"limit": 0}, {"limit": 101}, {"offset": -1}, {"offset": 9223372036854775808}],
    ids=["limit-0", "limit-101", "offset-negative", "offset-beyond-bigint"],
)
async def test_list_items_rejects_out_of_range_paging(
    client: httpx.AsyncClient, params: dict[str, int]
) -> None:
    response = await client.get("/api/items", params=params)

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] in params


async def test_list_items_takes_the_largest_offset_postgres_can(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/items", params={"offset": 9223372036854775807})

    assert response.status_code == 200
    assert response.json()["items"] == []


UNSTORABLE_TEXT = pytest.mark.parametrize(
    ("field", "value"),
    [("title", "a\x00b"), ("description", "a\x00b"), ("title", f"a{chr(0xD800)}b")],
    ids=["nul-in-title", "nul-in-description", "lone-surrogate-in-title"],
)


JSON_HEADERS = {"content-type": "application/json"}


def json_text(**fields: str) -> str:
    """As sent on the wire: `json.dumps` writes NUL and a lone surrogate as `\\u` escapes."""
    return json.dumps({"title": "ok", **fields})


@UNSTORABLE_TEXT
async def test_create_item_rejects_text_postgres_cannot_store(
    client: httpx.AsyncClient, field: str, value: str
) -> None:
    response = await client.post(
        "/api/items", content=json_text(**{field: value}), headers=JSON_HEADERS
    )

    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == [field]


@UNSTORABLE_TEXT
async def test_update_item_rejects_text_postgres_cannot_store(
    client: httpx.AsyncClient, add_items: AddItems, field: str, value: str
) -> None:
    [item] = await add_items(1)

    response = await client.patch(
        f"/api/items/{item.id}", content=json_text(**{field: value}), headers=JSON_HEADERS
    )

    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == [field]


async def test_update_item_changes_only_the_fields_sent(
    client: httpx.AsyncClient, add_items: AddItems
) -> None:
    [item] = await add_items(1, done=False)

    response = await client.patch(f"/api/items/{item.id}", json={"done": True})

    assert response.status_code == 200
    body = response.json()
    assert body["done"] is True
    assert body["title"] == item.title
    assert body["description"] == item.description


async def test_update_item_rejects_null_title(
    client: httpx.AsyncClient, add_items: AddItems
) -> None:
    [item] = await add_items(1)

    response = await client.patch(f"/api/items/{item.id}", json={"title": None})

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "title"


async def test_update_unknown_item_is_404(client: httpx.AsyncClient) -> None:
    response = await client.patch(f"/api/items/{TypeID('item')}", json={"done": True})

    assert response.status_code == 404


async def test_delete_item_removes_it(client: httpx.AsyncClient, add_items: AddItems) -> None:
    [item] = await add_items(1)

    deleted = await client.delete(f"/api/items/{item.id}")
    fetched = await client.get(f"/api/items/{item.id}")

    assert deleted.status_code == 204
    assert fetched.status_code == 404


async def test_delete_unknown_item_is_404(client: httpx.AsyncClient) -> None:
    response = await client.delete(f"/api/items/{TypeID('item')}")

    assert response.status_code == 404


async def test_reminder_for_unknown_item_is_404(client: httpx.AsyncClient) -> None:
    response = await client.post(f"/api/items/{TypeID('item')}/reminders")

    assert response.status_code == 404


async def test_reminder_is_queued_for_the_owners_verified_address(
    client: httpx.AsyncClient, add_items: AddItems
) -> None:
    [item] = await add_items(1)

    response = await client.post(f"/api/items/{item.id}/reminders")

    assert response.status_code == 202
    assert response.json()["job_id"]


async def test_reminder_needs_a_verified_address(
    anonymous: httpx.AsyncClient, add_user: AddUser, add_items: AddItems, log_in: LogIn
) -> None:
    unverified = await add_user(email_verified_at=None)
    [item] = await add_items(1, owner_id=unverified.id)
    await log_in(anonymous, unverified)

    response = await anonymous.post(f"/api/items/{item.id}/reminders")

    assert response.status_code == 409
    assert response.json()["code"] == "email_not_verified"


async def test_items_need_a_login(anonymous: httpx.AsyncClient) -> None:
    response = await anonymous.get("/api/items")

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


async def test_list_shows_only_your_own_items(
    client: httpx.AsyncClient, add_user: AddUser, add_items: AddItems
) -> None:
    someone_else = await add_user()
    [mine] = await add_items(1)
    await add_items(2, owner_id=someone_else.id)

    body = (await client.get("/api/items")).json()

    assert body["total"] == 1
    assert [item["id"] for item in body["items"]] == [str(mine.id)]


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/api/items/{id}", None),
        ("PATCH", "/api/items/{id}", {"done": True}),
        ("DELETE", "/api/items/{id}", None),
        ("POST", "/api/items/{id}/reminders", None),
    ],
)
async def test_another_users_item_is_not_found_on_every_route(
    client: httpx.AsyncClient,
    add_user: AddUser,
    add_items: AddItems,
    session: AsyncSession,
    method: str,
    path: str,
    body: dict[str, object] | None,
) -> None:
    someone_else = await add_user()
    [theirs] = await add_items(1, owner_id=someone_else.id, done=False)

    response = await client.request(method, path.format(id=theirs.id), json=body)

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert theirs.title not in response.text
    await session.refresh(theirs)
    assert theirs.done is False  # untouched, and still there


async def test_created_items_belong_to_the_caller(
    client: httpx.AsyncClient, user: User, session: AsyncSession
) -> None:
    response = await client.post("/api/items", json={"title": "Mine"})

    item = await session.get(Item, TypeID.from_string(response.json()["id"]))
    assert item is not None
    assert item.owner_id == user.id
