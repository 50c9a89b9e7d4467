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


async def forget_email_tokens(db: AsyncSession, user: User, purpose: TokenPurpose) -> None:
    """Void the user's other links of this kind (after a reset, every older reset link dies)."""
    await db.exec(
        delete(AccountToken).where(
            col(AccountToken.user_id) == user.id, col(AccountToken.purpose) == purpose
        )
    )
