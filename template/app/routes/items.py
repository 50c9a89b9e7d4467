"""CRUD routes of the example domain."""

import asyncio

from fastapi import APIRouter, HTTPException, status
from sqlmodel import col, func, select

from app.db import SessionDep
from app.jobs.schemas import JobQueued
from app.mail.service import send_email
from app.models import Item, ItemCreate, ItemPublic, ItemReminder, ItemsPage, ItemUpdate
from app.models.item import ItemId
from app.models.types import PageLimit, PageOffset

items_router = APIRouter(prefix="/items", tags=["items"])


async def _get_or_404(session: SessionDep, item_id: ItemId) -> Item:
    item = await session.get(Item, item_id)
    if item is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"Item {item_id} not found")
    return item


@items_router.get("", response_model=ItemsPage)
async def list_items(
    session: SessionDep, limit: PageLimit = 20, offset: PageOffset = 0
) -> ItemsPage:
    """Items, newest first (TypeIDs are time-ordered), one page at a time."""
    total = (await session.exec(select(func.count()).select_from(Item))).one()
    rows = await session.exec(
        select(Item).order_by(col(Item.id).desc()).offset(offset).limit(limit)
    )
    items = [ItemPublic.model_validate(item) for item in rows]
    return ItemsPage(items=items, total=total, limit=limit, offset=offset)


@items_router.post("", response_model=ItemPublic, status_code=status.HTTP_201_CREATED)
async def create_item(session: SessionDep, item_in: ItemCreate) -> Item:
    item = Item.model_validate(item_in)
    session.add(item)
    await session.commit()
    return item


@items_router.get("/{item_id}", response_model=ItemPublic)
async def get_item(session: SessionDep, item_id: ItemId) -> Item:
    return await _get_or_404(session, item_id)


@items_router.patch("/{item_id}", response_model=ItemPublic)
async def update_item(session: SessionDep, item_id: ItemId, item_in: ItemUpdate) -> Item:
    item = await _get_or_404(session, item_id)
    item.sqlmodel_update(item_in.model_dump(exclude_unset=True))
    session.add(item)
    await session.commit()
    return item


@items_router.delete("/{item_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_item(session: SessionDep, item_id: ItemId) -> None:
    item = await _get_or_404(session, item_id)
    await session.delete(item)
    await session.commit()


@items_router.post(
    "/{item_id}/reminders", response_model=JobQueued, status_code=status.HTTP_202_ACCEPTED
)
async def send_item_reminder(
    session: SessionDep, item_id: ItemId, reminder: ItemReminder
) -> JobQueued:
    """Email the item to an address; the worker sends it (with retries) after this returns."""
    item = await _get_or_404(session, item_id)
    context = {"title": item.title, "description": item.description, "done": item.done}
    job_id = await asyncio.to_thread(send_email, reminder.email, "item_reminder", context)
    return JobQueued(job_id=job_id)
