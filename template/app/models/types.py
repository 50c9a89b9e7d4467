"""Constraint types shared by tables, API schemas and query parameters: each limit written once."""

from typing import Annotated, Any

from pydantic import AfterValidator, Field

# Postgres's bigint: the largest OFFSET (or count) a query can take.
POSTGRES_BIGINT_MAX = 2**63 - 1


def storable_text(value: str) -> str:
    """Postgres text cannot hold NUL (the JSON parser already refuses lone surrogates)."""
    if "\x00" in value:
        raise ValueError("must not contain NUL characters (\\u0000)")
    return value


def text(*, max_length: int, min_length: int = 0) -> Any:
    """The type of a string column and of every schema that fills it.

    The limits become the column's `VARCHAR(max_length)`, the OpenAPI schema and the 422s;
    text Postgres cannot store is a 422 too, never a database error.
    """
    return Annotated[
        str,
        Field(min_length=min_length, max_length=max_length),
        AfterValidator(storable_text),
    ]


PageLimit = Annotated[int, Field(ge=1, le=100, description="How many rows to return")]
PageOffset = Annotated[
    int, Field(ge=0, le=POSTGRES_BIGINT_MAX, description="How many rows to skip")
]
