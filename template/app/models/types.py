"""Constraint types shared by tables, API schemas and query parameters: each limit written once."""

from typing import Annotated

from pydantic import AfterValidator, Field
from pydantic.fields import FieldInfo

# Postgres's bigint: the largest OFFSET (or count) a query can take.
POSTGRES_BIGINT_MAX = 2**63 - 1


def storable_text(value: str) -> str:
    """Postgres text cannot hold NUL (the JSON parser already refuses lone surrogates)."""
    if "\x00" in value:
        raise ValueError("must not contain NUL characters (\\u0000)")
    return value


def text(*, max_length: int, min_length: int = 0) -> FieldInfo:
    """The constraints of a string column and of every schema that fills it:
    `ItemTitle = Annotated[str, text(min_length=1, max_length=200)]`.

    The limits become the column's `VARCHAR(max_length)`, the OpenAPI schema and the 422s;
    text Postgres cannot store is a 422 too, never a database error.
    """
    constraints: FieldInfo = Field(min_length=min_length, max_length=max_length)
    constraints.metadata.append(AfterValidator(storable_text))
    return constraints


PageLimit = Annotated[int, Field(ge=1, le=100, description="How many rows to return")]
PageOffset = Annotated[
    int, Field(ge=0, le=POSTGRES_BIGINT_MAX, description="How many rows to skip")
]
