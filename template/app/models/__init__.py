"""SQLModel tables; importing this package registers every table on the shared metadata."""

from app.models.item import (
    Item,
    ItemCreate,
    ItemPublic,
    ItemReminder,
    ItemsPage,
    ItemUpdate,
)

__all__ = ["Item", "ItemCreate", "ItemPublic", "ItemReminder", "ItemUpdate", "ItemsPage"]
