"""SQLModel tables; importing this package registers every table on the shared metadata."""

from app.models.item import Item, ItemCreate, ItemPublic, ItemsPage, ItemUpdate

__all__ = ["Item", "ItemCreate", "ItemPublic", "ItemUpdate", "ItemsPage"]
