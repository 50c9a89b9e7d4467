"""Account administration without the HTTP API (the `app users …` commands, seeding)."""

import secrets
from datetime import UTC, datetime

from sqlmodel import Session, col, update

from app.accounts.passwords import hash_password, password_problem
from app.accounts.users import user_with_email
from app.models.account import Role, User
from app.models.item import Item


class AccountError(ValueError):
    """The command cannot do what was asked; the message says why."""


def create_user(db: Session, email: str, password: str, *, role: Role = Role.MEMBER) -> User:
    """An active account whose address counts as verified (whoever runs this vouches for it)."""
    problem = password_problem(password, email)
    if problem is not None:
        raise AccountError(f"The password is refused. {problem}")
    if db.exec(user_with_email(email)).first() is not None:
        raise AccountError(f"An account with the email {email} exists already.")
    user = User(
        email=email,
        password_hash=hash_password(password),
        role=role,
        email_verified_at=datetime.now(UTC),
    )
    db.add(user)
    db.commit()
    return user


def set_password(db: Session, user: User, password: str) -> None:
    problem = password_problem(password, user.email)
    if problem is not None:
        raise AccountError(f"The password is refused. {problem}")
    user.password_hash = hash_password(password)
    db.add(user)
    db.commit()


def new_password() -> str:
    """A random password that passes the policy: 20 URL-safe characters (about 120 bits)."""
    return secrets.token_urlsafe(15)


def adopt_items(db: Session, from_email: str, to_email: str) -> int:
    """Give every item of one account to another; returns how many moved."""
    source = db.exec(user_with_email(from_email)).first()
    target = db.exec(user_with_email(to_email)).first()
    if source is None or target is None:
        missing = from_email if source is None else to_email
        raise AccountError(f"No account has the email {missing}.")
    moved = db.exec(
        update(Item).where(col(Item.owner_id) == source.id).values(owner_id=target.id)
    ).rowcount
    db.commit()
    return moved
