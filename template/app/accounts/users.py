"""Finding and changing users: lookups by email use the database's case-insensitive index."""

from sqlmodel import func, select
from sqlmodel.sql.expression import SelectOfScalar

from app.models.account import User


def user_with_email(email: str) -> SelectOfScalar[User]:
    """Matches `lower(email)`, the expression the unique index is built on, so it uses the index."""
    return select(User).where(func.lower(User.email) == email.lower())
