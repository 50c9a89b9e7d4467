"""CRUD routes of the example domain, each scoped to the signed-in user's own items."""

import asyncio
from typing import Any

from fastapi import APIRouter, HTTPException, status
from pydantic import TypeAdapter
from sqlalchemy import bindparam, inspect
from sqlmodel import func, select

from app.accounts.dependencies import CurrentUser
from app.db import SessionDep
from app.errors import ApiError, error_responses
from app.items.emails import ItemReminder
from app.jobs.mail import send_email
from app.jobs.schemas import JobQueued
from app.models.item import Item, ItemCreate, ItemId, ItemPublic, ItemsPage, ItemUpdate
from app.models.types import PageLimit, PageOffset
from app.routes import API_PREFIX

items_router = APIRouter(
    prefix=f"{API_PREFIX}/items", tags=["items"], responses=error_responses(401, 403)
)


async def _get_own_or_404(session: SessionDep, user: CurrentUser, item_id: ItemId) -> Item:
    """Another user's item is "not found", like a missing one: its existence stays secret."""
    item = await session.get(Item, item_id)
    if item is None or item.owner_id != user.id:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"Item {item_id} not found")
    return item


# A list endpoint's statements are built once, with bind parameters (README: "How to write a fast
# list endpoint"): only the columns the response shows, the total counted in the same query.
# The statements name the table's columns, not the model's attributes: a Core statement skips
# the ORM's compile and load steps, which rows read as tuples do not need.
ITEMS = inspect(Item).columns
OWN_ITEMS = ITEMS.owner_id == bindparam("owner_id")
PAGE_COLUMNS: list[Any] = [  # what ItemPublic shows, and the total beside each row
    *(ITEMS[name] for name in ItemPublic.model_fields),
    func.count().over().label("total"),
]
PAGE_OF_OWN_ITEMS = (
    select(*PAGE_COLUMNS)
    .where(OWN_ITEMS)
    .order_by(ITEMS.id.desc())
    .limit(bindparam("limit"))
    .offset(bindparam("offset"))
)
COUNT_OF_OWN_ITEMS = select(func.count()).select_from(inspect(Item).local_table).where(OWN_ITEMS)
ITEMS_PAGE = TypeAdapter(ItemsPage)


@items_router.get("", response_model=ItemsPage)
async def list_items(
    session: SessionDep, user: CurrentUser, limit: PageLimit = 20, offset: PageOffset = 0
) -> ItemsPage:
    """Your items, newest first (TypeIDs are time-ordered), one page at a time."""
    parameters = {"owner_id": user.id, "limit": limit, "offset": offset}
    rows = (await session.exec(PAGE_OF_OWN_ITEMS, params=parameters)).all()
    if rows:
        total = rows[0].total
    else:  # past the end (or no items): the total needs its own count
        total = (await session.exec(COUNT_OF_OWN_ITEMS, params=parameters)).one()
    page = {"items": rows, "total": total, "limit": limit, "offset": offset}
    return ITEMS_PAGE.validate_python(page, from_attributes=True)  # the whole page at once


@items_router.post("", response_model=ItemPublic, status_code=status.HTTP_201_CREATED)
async def create_item(session: SessionDep, user: CurrentUser, item_in: ItemCreate) -> Item:
    item = Item.model_validate(item_in, update={"owner_id": user.id})
    session.add(item)
    await session.commit()
    return item


@items_router.get("/{item_id}", response_model=ItemPublic)
async def get_item(session: SessionDep, user: CurrentUser, item_id: ItemId) -> Item:
    return await _get_own_or_404(session, user, item_id)


@items_router.patch("/{item_id}", response_model=ItemPublic)
async def update_item(
    session: SessionDep, user: CurrentUser, item_id: ItemId, item_in: ItemUpdate
) -> Item:
    item = await _get_own_or_404(session, user, item_id)
    item.sqlmodel_update(item_in.model_dump(exclude_unset=True))
    session.add(item)
    await session.commit()
    return item


@items_router.delete("/{item_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_item(session: SessionDep, user: CurrentUser, item_id: ItemId) -> None:
    item = await _get_own_or_404(session, user, item_id)
    await session.delete(item)
    await session.commit()


@items_router.post(
    "/{item_id}/reminders",
    response_model=JobQueued,
    status_code=status.HTTP_202_ACCEPTED,
    responses=error_responses(409),
)
async def send_item_reminder(session: SessionDep, user: CurrentUser, item_id: ItemId) -> JobQueued:
    """Email the item to your own verified address; the worker sends it after this returns."""
    item = await _get_own_or_404(session, user, item_id)
    if user.email_verified_at is None:
        raise ApiError(
            status.HTTP_409_CONFLICT,
            "email_not_verified",
            "Verify your email address first: reminders go only to a verified address.",
        )
    context = ItemReminder(title=item.title, description=item.description, done=item.done)
    job_id = await asyncio.to_thread(send_email, user.email, context)
    return JobQueued(job_id=job_id)
