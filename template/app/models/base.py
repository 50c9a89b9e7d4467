"""Building blocks shared by every table: TypeID primary keys and database-set timestamps."""

import uuid
from datetime import datetime
from typing import Annotated, Any

import sqlalchemy as sa
from pydantic import ConfigDict, PlainSerializer, PlainValidator, WithJsonSchema
from sqlmodel import Field, SQLModel
from typeid import TypeID
from typeid.core.errors import TypeIDException


def typeid_of(prefix: str) -> Any:
    """The pydantic type of a `<prefix>_…` TypeID: parsed from a string, serialized back to one.

    Malformed ids and ids of another prefix are validation errors (422), never server errors.
    """

    def parse(value: object) -> TypeID:
        if isinstance(value, TypeID):
            parsed = value
        elif isinstance(value, str):
            try:
                parsed = TypeID.from_string(value)
            except TypeIDException as error:
                raise ValueError(f"'{value}' is not a valid id: {error}") from None
        else:
            raise ValueError(f"an id must be a string like '{prefix}_01h…'")
        if parsed.prefix != prefix:
            raise ValueError(f"expected an id starting with '{prefix}_', got '{value}'")
        return parsed

    return Annotated[
        TypeID,
        PlainValidator(parse, json_schema_input_type=str),
        PlainSerializer(str, return_type=str),
        WithJsonSchema(
            {
                "type": "string",
                "format": "typeid",
                "examples": [f"{prefix}_01h455vb4pex5vsknk084sn02q"],
            }
        ),
    ]


class TypeIDType(sa.types.TypeDecorator[TypeID]):
    """A TypeID in Python, a native `uuid` column in Postgres (the prefix lives in the code)."""

    impl = sa.Uuid(as_uuid=True)
    cache_ok = True

    def __init__(self, prefix: str) -> None:
        super().__init__()
        self.prefix = prefix

    def process_bind_param(
        self, value: TypeID | str | None, dialect: sa.Dialect
    ) -> uuid.UUID | None:
        if value is None:
            return None
        if isinstance(value, str):
            value = TypeID.from_string(value)
        if value.prefix != self.prefix:
            raise ValueError(f"expected a '{self.prefix}' id, got '{value.prefix}'")
        return uuid.UUID(bytes=value.uuid_bytes)

    def process_result_value(self, value: uuid.UUID | None, dialect: sa.Dialect) -> TypeID | None:
        if value is None:
            return None
        return TypeID.from_uuid(value, prefix=self.prefix)


def typeid_primary_key(prefix: str) -> Any:
    """A primary key that defaults to a fresh, time-ordered (UUIDv7) TypeID."""
    return Field(
        default_factory=lambda: TypeID(prefix),
        primary_key=True,
        sa_type=TypeIDType(prefix),
    )


class Timestamped(SQLModel):
    """`created_at` and `updated_at`, both taken from the database clock."""

    created_at: datetime | None = Field(
        default=None,
        sa_type=sa.DateTime(timezone=True),  # type: ignore[call-overload]
        sa_column_kwargs={"server_default": sa.func.now(), "nullable": False},
    )
    updated_at: datetime | None = Field(
        default=None,
        sa_type=sa.DateTime(timezone=True),  # type: ignore[call-overload]
        sa_column_kwargs={
            "server_default": sa.func.now(),
            "onupdate": sa.func.now(),
            "nullable": False,
        },
    )


class RequestModel(SQLModel):
    """Base of every body the API accepts: JSON types must match exactly.

    `"done": "yes"` or `"done": 1` is a 422, not `true`; `"5"` is not a number. FastAPI validates
    the decoded JSON, so a `datetime`, `UUID` or enum field of a request model takes its string
    only with `Field(strict=False)`.
    """

    model_config = ConfigDict(strict=True)  # type: ignore[assignment]  # SQLModel's config type
