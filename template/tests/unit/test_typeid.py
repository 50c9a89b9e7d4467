"""TypeID ids: parsed strictly in the API, stored as native uuids."""

import uuid

import pytest
import sqlalchemy as sa
from pydantic import TypeAdapter, ValidationError
from typeid import TypeID

from app.models.base import TypeIDType
from app.models.item import ItemId

ItemIdAdapter: TypeAdapter[TypeID[str]] = TypeAdapter(ItemId)
POSTGRES = sa.create_engine("postgresql+psycopg://").dialect  # no connection is made


def test_an_item_id_round_trips_through_its_string_form() -> None:
    original = TypeID("item")

    parsed = ItemIdAdapter.validate_python(str(original))

    assert parsed == original
    assert ItemIdAdapter.dump_python(parsed, mode="json") == str(original)


@pytest.mark.parametrize("value", ["", "item_", "item_123", "user_01h455vb4pex5vsknk084sn02q", 7])
def test_malformed_or_foreign_ids_are_validation_errors(value: object) -> None:
    with pytest.raises(ValidationError):
        ItemIdAdapter.validate_python(value)


def test_the_column_stores_the_uuid_and_restores_the_prefix() -> None:
    column_type = TypeIDType("item")
    original = TypeID("item")

    stored = column_type.process_bind_param(original, dialect=POSTGRES)
    restored = column_type.process_result_value(stored, dialect=POSTGRES)

    assert isinstance(stored, uuid.UUID)
    assert restored == original


def test_the_column_refuses_an_id_of_another_table() -> None:
    with pytest.raises(ValueError, match="expected a 'item' id"):
        TypeIDType("item").process_bind_param(TypeID("user"), dialect=POSTGRES)
