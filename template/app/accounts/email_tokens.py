"""Single-use, expiring tokens sent by email; the database keeps only their SHA-256."""

from datetime import UTC, datetime, timedelta
from typing import NamedTuple

from sqlmodel import col, delete, func
from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts.tokens import digest, new_token
from app.models.account import AccountToken, TokenPurpose, User, UserId


class UsedToken(NamedTuple):
    user_id: UserId
    email: str


def new_email_token(
    user: User, purpose: TokenPurpose, lifetime: timedelta
) -> tuple[str, AccountToken]:
    """The token to put in a link, and the row to add (sync and async callers add it alike)."""
    token = new_token()
    row = AccountToken(
        token_hash=digest(token),
        user_id=user.id,
        purpose=purpose,
        email=user.email,
        expires_at=datetime.now(UTC) + lifetime,
    )
    return token, row


async def consume_email_token(
    db: AsyncSession, token: str, purpose: TokenPurpose
) -> UsedToken | None:
    """Use up a live token (deleted in the same statement, so two requests cannot both use it)."""
    statement = (
        delete(AccountToken)
        .where(
            col(AccountToken.token_hash) == digest(token),
            col(AccountToken.purpose) == purpose,
            col(AccountToken.expires_at) > func.now(),
        )
        .returning(col(AccountToken.user_id), col(AccountToken.email))
    )
    row = (await db.exec(statement)).one_or_none()
    return None if row is None else UsedToken(row.user_id, row.email)


async def forget_email_tokens(
    db: AsyncSession, user: User, purpose: TokenPurpose | None = None
) -> None:
    """Void the links sent to the user's current address (of one kind, or every kind).

    Reset links sent to an earlier address are kept: they are the undo links of an email change
    (app/accounts/emails.py), which only their owner may spend, so that whoever changed the
    address cannot take the way back from the old one by changing or resetting again.
    """
    statement = delete(AccountToken).where(
        col(AccountToken.user_id) == user.id,
        func.lower(col(AccountToken.email)) == user.email.lower(),
    )
    if purpose is not None:
        statement = statement.where(col(AccountToken.purpose) == purpose)
    await db.exec(statement)
