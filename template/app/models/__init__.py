"""SQLModel tables; importing this package registers every table on the shared metadata."""

from app.models.account import AccountToken, LoginSession, Role, TokenPurpose, User
from app.models.audit import AuditEvent, AuditKind
from app.models.item import Item, ItemCreate, ItemPublic, ItemsPage, ItemUpdate

__all__ = [
    "AccountToken",
    "AuditEvent",
    "AuditKind",
    "Item",
    "ItemCreate",
    "ItemPublic",
    "ItemUpdate",
    "ItemsPage",
    "LoginSession",
    "Role",
    "TokenPurpose",
    "User",
]
