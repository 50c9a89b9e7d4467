"""The shared constraint types: every string column takes only text Postgres can store."""

from sqlmodel import SQLModel

import app.models  # noqa: F401  # registers every table
from app.models.types import storable_text


def table_models() -> list[type[SQLModel]]:
    found, pending = [], [SQLModel]
    while pending:
        model = pending.pop()
        pending.extend(model.__subclasses__())
        if hasattr(model, "__table__"):
            found.append(model)
    return found


def test_every_string_column_uses_the_text_type() -> None:
    """A new table's `str` field must be `text(max_length=…)` from app/models/types.py."""
    plain = [
        f"{model.__name__}.{name}"
        for model in table_models()
        for name, field in model.model_fields.items()
        if field.annotation is str
        and not any(getattr(rule, "func", None) is storable_text for rule in field.metadata)
    ]

    assert table_models()
    assert plain == []
