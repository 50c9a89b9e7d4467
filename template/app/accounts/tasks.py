"""Account work done outside the request: the password-reset email, the nightly clean-up."""

import structlog
from pydantic import BaseModel, EmailStr
from sqlmodel import col, delete, func, not_

from app.accounts.emails import send_password_reset_email
from app.accounts.sessions import is_live, live_limits
from app.jobs.db import worker_session
from app.jobs.task import job
from app.models.account import AccountToken, LoginSession

logger = structlog.get_logger(__name__)


class PasswordResetRequested(BaseModel):
    email: EmailStr


@job("accounts.send_password_reset", PasswordResetRequested)
def send_password_reset(payload: PasswordResetRequested) -> bool:
    """Whether an email went out; never told to the requester (that would reveal accounts)."""
    with worker_session() as session:
        return send_password_reset_email(session, payload.email)


class PurgeExpired(BaseModel):
    pass


@job("accounts.purge_expired", PurgeExpired)
def purge_expired(payload: PurgeExpired) -> int:
    """Delete sessions and emailed links that can no longer be used; idempotent."""
    with worker_session() as session:
        expired = delete(LoginSession).where(not_(is_live()))
        sessions = session.exec(expired, params=live_limits()).rowcount
        tokens = session.exec(
            delete(AccountToken).where(col(AccountToken.expires_at) <= func.now())
        ).rowcount
        session.commit()
    logger.info("expired sessions and links purged", sessions=sessions, links=tokens)
    return sessions + tokens
