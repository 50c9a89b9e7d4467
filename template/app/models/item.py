"""The example domain: a to-do item, its table and its API schemas."""

from datetime import datetime
from typing import Annotated, Any

import sqlalchemy as sa
from pydantic import ConfigDict, field_validator
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


def _offer_no_null(schema: dict[str, Any]) -> None:
    """None stands for "not sent" only, and `reject_null` refuses a null: the document offers
    none either, so what it promises is what the API takes."""
    for field in schema["properties"].values():
        variants = [variant for variant in field.get("anyOf", []) if variant != {"type": "null"}]
        if len(variants) == 1:
            del field["anyOf"]
            field.update(variants[0])


class ItemUpdate(RequestModel):
    """Partial update: only the fields sent are changed."""

    model_config = ConfigDict(strict=True, json_schema_extra=_offer_no_null)

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
