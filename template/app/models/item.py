"""The example domain: a to-do item, its table and its API schemas."""

from datetime import datetime
from typing import Annotated

import sqlalchemy as sa
from pydantic import field_validator
from pydantic.json_schema import SkipJsonSchema
from sqlmodel import Field, SQLModel
from typeid import TypeID

from app.models.account import UserId
from app.models.base import RequestModel, Timestamped, TypeIDType, typeid_of, typeid_primary_key
from app.models.types import PageLimit, PageOffset, text

ItemId = Annotated[TypeID[str], typeid_of("item")]
ItemTitle = Annotated[str, text(min_length=1, max_length=200)]
ItemDescription = Annotated[str, text(max_length=2000)]


class ItemBase(SQLModel):
    title: ItemTitle
    description: ItemDescription = ""
    done: bool = False


class Item(ItemBase, Timestamped, table=True):
    __tablename__ = "items"
    __mapper_args__ = {"eager_defaults": True}  # fetch DB-set timestamps on write

    id: ItemId = typeid_primary_key("item")
    # Every item has one owner and goes with them; routes only ever see the caller's own.
    owner_id: UserId = Field(
        sa_column=sa.Column(
            TypeIDType("user"),
            sa.ForeignKey("users.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        )
    )


class ItemCreate(ItemBase, RequestModel):
    pass


class ItemUpdate(RequestModel):
    """Partial update: only the fields sent are changed."""

    # None stands for "not sent" only: the document offers no null (SkipJsonSchema), and
    # `reject_null` refuses one, so what the document promises is what the API takes.
    title: ItemTitle | SkipJsonSchema[None] = None
    description: ItemDescription | SkipJsonSchema[None] = None
    done: bool | SkipJsonSchema[None] = None

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
