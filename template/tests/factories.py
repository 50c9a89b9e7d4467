"""polyfactory factories: one per table, building valid rows with realistic values."""

from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from polyfactory import Use
from polyfactory.factories.pydantic_factory import ModelFactory

from app.accounts.passwords import hash_password
from app.models.account import User
from app.models.item import Item

# Every factory user has this password (long enough, and in no list of common passwords).
PASSWORD = "correct horse battery staple"


@lru_cache
def password_hash() -> str:
    """Hashed once per process: argon2 is slow on purpose."""
    return hash_password(PASSWORD)


class UserFactory(ModelFactory[User]):
    __check_model__ = False
    __use_defaults__ = True

    email = Use(lambda: UserFactory.__faker__.unique.email())
    password_hash = Use(password_hash)

    @classmethod
    def build(cls, *args: Any, **fields: Any) -> User:
        """Verified unless told otherwise (under `__use_defaults__` a `Use` loses to a default)."""
        fields.setdefault("email_verified_at", datetime.now(UTC))
        return super().build(*args, **fields)


class ItemFactory(ModelFactory[Item]):
    """Needs the owner: `ItemFactory.batch(3, owner_id=user.id)`."""

    __check_model__ = False
    # Ids come from the model's TypeID factory, timestamps from the database.
    __use_defaults__ = True

    title = Use(lambda: ItemFactory.__faker__.sentence(nb_words=4).rstrip("."))
    description = Use(lambda: ItemFactory.__faker__.paragraph(nb_sentences=2)[:2000])
    done = Use(lambda: ItemFactory.__faker__.boolean(chance_of_getting_true=25))
