"""Building blocks shared by every table: TypeID primary keys and database-set timestamps."""

import uuid
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
import uuid_utils
from pydantic import ConfigDict, GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema
from sqlmodel import Field, SQLModel
from typeid import TypeID
from typeid.core.errors import TypeIDException


@dataclass(frozen=True)
class TypeIDPrefix:
    """Pydantic metadata of a `<prefix>_…` TypeID: parsed from a string, serialized back to one.

    Malformed ids and ids of another prefix are validation errors (422), never server errors.
    """

    prefix: str

    def parse(self, value: object) -> TypeID[str]:
        if isinstance(value, TypeID):
            parsed: TypeID[str] = value
        elif isinstance(value, str):
            try:
                parsed = TypeID.from_string(value)
            except TypeIDException as error:
                raise ValueError(f"'{value}' is not a valid id: {error}") from None
        else:
            raise ValueError(f"an id must be a string like '{self.prefix}_01h…'")
        if parsed.prefix != self.prefix:
            raise ValueError(f"expected an id starting with '{self.prefix}_', got '{value}'")
        return parsed

    def __get_pydantic_core_schema__(
        self, source: object, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(
            self.parse,
            serialization=core_schema.plain_serializer_function_ser_schema(
                str, return_schema=core_schema.str_schema()
            ),
        )

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {
            "type": "string",
            "format": "typeid",
            # What `parse` accepts: the prefix, then 26 of Crockford's base32 digits, the first
            # at most 7 (a 128-bit UUID), so a contract check's valid ids are valid here too.
            "pattern": f"^{self.prefix}_[0-7][0-9a-hjkmnp-tv-z]{{25}}$",
            "examples": [f"{self.prefix}_01h455vb4pex5vsknk084sn02q"],
        }


def typeid_of(prefix: str) -> TypeIDPrefix:
    """The metadata that makes `Annotated[TypeID[str], typeid_of("item")]` an id type."""
    return TypeIDPrefix(prefix)


class TypeIDType(sa.types.TypeDecorator[TypeID[str]]):
    """A TypeID in Python, a native `uuid` column in Postgres (the prefix lives in the code)."""

    impl = sa.Uuid(as_uuid=True)
    cache_ok = True

    def __init__(self, prefix: str) -> None:
        super().__init__()
        self.prefix = prefix

    def process_bind_param(
        self, value: TypeID[str] | str | None, dialect: sa.Dialect
    ) -> uuid.UUID | None:
        if value is None:
            return None
        if isinstance(value, str):
            value = TypeID.from_string(value)
        if value.prefix != self.prefix:
            raise ValueError(f"expected a '{self.prefix}' id, got '{value.prefix}'")
        return uuid.UUID(bytes=value.uuid_bytes)

    def process_result_value(
        self, value: uuid.UUID | None, dialect: sa.Dialect
    ) -> TypeID[str] | None:
        if value is None:
            return None
        return TypeID.from_uuid(uuid_utils.UUID(bytes=value.bytes), prefix=self.prefix)


def typeid_primary_key(prefix: str) -> TypeID[str]:
    """A primary key that defaults to a fresh, time-ordered (UUIDv7) TypeID.

    Typed as the value the field holds, as pydantic's own `Field()` is meant to be read.
    """
    field: TypeID[str] = Field(
        default_factory=lambda: TypeID(prefix),
        primary_key=True,
        sa_type=TypeIDType(prefix),
    )
    return field


class Timestamped(SQLModel):
    """`created_at` and `updated_at`, both taken from the database clock."""

    created_at: datetime | None = Field(
        default=None,
        sa_type=sa.DateTime(timezone=True),
        sa_column_kwargs={"server_default": sa.func.now(), "nullable": False},
    )
    updated_at: datetime | None = Field(
        default=None,
        sa_type=sa.DateTime(timezone=True),
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
