"""The account emails (verify an address, reset a password, password or address changed), sent
as jobs."""

import asyncio
from datetime import timedelta
from urllib.parse import urlencode

from pydantic import HttpUrl
from sqlmodel import Session, col
from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts.email_tokens import new_email_token
from app.accounts.users import user_with_email
from app.jobs.mail import send_email
from app.mail.contexts import EmailContext
from app.models.account import TokenPurpose, User
from app.settings import get_settings


class VerifyEmail(EmailContext):
    template = "verify_email"
    link: HttpUrl
    valid_hours: int


class ResetPassword(EmailContext):
    template = "reset_password"
    link: HttpUrl
    valid_minutes: int


class PasswordChanged(EmailContext):
    template = "password_changed"
    site: HttpUrl


class EmailChanged(EmailContext):
    template = "email_changed"
    new_email: str
    undo_link: HttpUrl
    valid_days: int


def _spa_link(page: str, token: str) -> str:
    """Links open the web app's page, which posts the token back to the API."""
    return f"{get_settings().public_url.rstrip('/')}/{page}?{urlencode({'token': token})}"


async def send_verification_email(db: AsyncSession, user: User) -> None:
    """Email a link that proves the user reads `user.email` (their current address only)."""
    hours = get_settings().email_verification_token_hours
    token, row = new_email_token(user, TokenPurpose.VERIFY_EMAIL, timedelta(hours=hours))
    db.add(row)
    await db.commit()
    context = VerifyEmail(link=_spa_link("verify-email", token), valid_hours=hours)  # type: ignore[arg-type]
    await asyncio.to_thread(send_email, user.email, context)


def send_password_reset_email(db: Session, email: str, /) -> bool:
    """Email a reset link if an active account has this address (run by the worker, so the
    request that asked answers in the same time whether or not the account exists)."""
    user = db.exec(user_with_email(email).where(col(User.is_active))).one_or_none()
    if user is None:
        return False
    minutes = get_settings().password_reset_token_minutes
    token, row = new_email_token(user, TokenPurpose.RESET_PASSWORD, timedelta(minutes=minutes))
    db.add(row)
    db.commit()
    context = ResetPassword(link=_spa_link("reset-password", token), valid_minutes=minutes)  # type: ignore[arg-type]
    send_email(user.email, context)
    return True


async def send_password_changed_email(user: User) -> None:
    """Tell the owner, so a change they did not make does not go unnoticed."""
    context = PasswordChanged(site=get_settings().public_url)  # type: ignore[arg-type]
    await asyncio.to_thread(send_email, user.email, context)


def add_undo_link(db: AsyncSession, user: User) -> str:
    """A reset link for the address the user is about to leave (added to `db`, not committed):
    opened, it sets a new password and gives the account that address back (the reset route)."""
    days = get_settings().email_change_undo_days
    token, row = new_email_token(user, TokenPurpose.RESET_PASSWORD, timedelta(days=days))
    db.add(row)
    return _spa_link("reset-password", token)


async def send_email_changed_email(old_email: str, new_email: str, undo_link: str) -> None:
    """Tell the old address, with the way back, so a takeover by a stolen session is undone."""
    days = get_settings().email_change_undo_days
    context = EmailChanged(new_email=new_email, undo_link=undo_link, valid_days=days)  # type: ignore[arg-type]
    await asyncio.to_thread(send_email, old_email, context)
