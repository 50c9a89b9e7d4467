"""The example domain: a to-do item, its table and its API schemas."""

from datetime import datetime

from pydantic import EmailStr, field_validator
from sqlmodel import SQLModel

from app.models.base import Timestamped, typeid_of, typeid_primary_key
from app.models.types import PageLimit, PageOffset, text

ItemId = typeid_of("item")
ItemTitle = text(min_length=1, max_length=200)
ItemDescription = text(max_length=2000)


class ItemBase(SQLModel):
    title: ItemTitle
    description: ItemDescription = ""
    done: bool = False


class Item(ItemBase, Timestamped, table=True):
    __tablename__ = "items"
    __mapper_args__ = {"eager_defaults": True}  # fetch DB-set timestamps on write

    id: ItemId = typeid_primary_key("item")


class ItemCreate(ItemBase):
    pass


class ItemUpdate(SQLModel):
    """Partial update: only the fields sent are changed."""

    title: ItemTitle | None = None
    description: ItemDescription | None = None
    done: bool | None = None

    @field_validator("title", "description", "done")
    @classmethod
    def reject_null(cls, value: object) -> object:
        """A field may be left out of the update, but not set to null."""
        if value is None:
            raise ValueError("may be omitted, but not null")
        return value


class ItemPublic(ItemBase):
    id: ItemId
    created_at: datetime
    updated_at: datetime


class ItemsPage(SQLModel):
    items: list[ItemPublic]
    total: int
    limit: PageLimit
    offset: PageOffset


class ItemReminder(SQLModel):
    """Where to email a reminder of an item."""

    email: EmailStr
