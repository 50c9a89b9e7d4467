"""CRUD routes of the example domain, each scoped to the signed-in user's own items."""

import asyncio

from fastapi import APIRouter, HTTPException, status
from sqlmodel import col, func, select

from app.accounts.dependencies import CurrentUser
from app.db import SessionDep
from app.errors import ApiError, error_responses
from app.items.emails import ItemReminder
from app.jobs.mail import send_email
from app.jobs.schemas import JobQueued
from app.models.item import Item, ItemCreate, ItemId, ItemPublic, ItemsPage, ItemUpdate
from app.models.types import PageLimit, PageOffset
from app.routes import API_PREFIX

items_router = APIRouter(prefix=f"{API_PREFIX}/items", tags=["items"])


async def _get_own_or_404(session: SessionDep, user: CurrentUser, item_id: ItemId) -> Item:
    """Another user's item is "not found", like a missing one: its existence stays secret."""
    item = await session.get(Item, item_id)
    if item is None or item.owner_id != user.id:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"Item {item_id} not found")
    return item


@items_router.get("", response_model=ItemsPage)
async def list_items(
    session: SessionDep, user: CurrentUser, limit: PageLimit = 20, offset: PageOffset = 0
) -> ItemsPage:
    """Your items, newest first (TypeIDs are time-ordered), one page at a time."""
    own = col(Item.owner_id) == user.id
    total = (await session.exec(select(func.count()).select_from(Item).where(own))).one()
    rows = await session.exec(
        select(Item).where(own).order_by(col(Item.id).desc()).offset(offset).limit(limit)
    )
    items = [ItemPublic.model_validate(item) for item in rows]
    return ItemsPage(items=items, total=total, limit=limit, offset=offset)


@items_router.post("", response_model=ItemPublic, status_code=status.HTTP_201_CREATED)
async def create_item(session: SessionDep, user: CurrentUser, item_in: ItemCreate) -> Item:
    item = Item.model_validate(item_in, update={"owner_id": user.id})
    session.add(item)
    await session.commit()
    return item


@items_router.get("/{item_id}", response_model=ItemPublic, responses=error_responses(404))
async def get_item(session: SessionDep, user: CurrentUser, item_id: ItemId) -> Item:
    return await _get_own_or_404(session, user, item_id)


@items_router.patch("/{item_id}", response_model=ItemPublic, responses=error_responses(404))
async def update_item(
    session: SessionDep, user: CurrentUser, item_id: ItemId, item_in: ItemUpdate
) -> Item:
    item = await _get_own_or_404(session, user, item_id)
    item.sqlmodel_update(item_in.model_dump(exclude_unset=True))
    session.add(item)
    await session.commit()
    return item


@items_router.delete(
    "/{item_id}", status_code=status.HTTP_204_NO_CONTENT, responses=error_responses(404)
)
async def delete_item(session: SessionDep, user: CurrentUser, item_id: ItemId) -> None:
    item = await _get_own_or_404(session, user, item_id)
    await session.delete(item)
    await session.commit()


@items_router.post(
    "/{item_id}/reminders",
    response_model=JobQueued,
    status_code=status.HTTP_202_ACCEPTED,
    responses=error_responses(404, 409),
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
