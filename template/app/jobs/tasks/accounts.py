"""Account work done outside the request: the password-reset email."""

from pydantic import BaseModel, EmailStr

from app.accounts.emails import send_password_reset_email
from app.jobs.db import worker_session
from app.jobs.task import job


class PasswordResetRequested(BaseModel):
    email: EmailStr


@job("accounts.send_password_reset", PasswordResetRequested)
def send_password_reset(payload: PasswordResetRequested) -> bool:
    """Whether an email went out; never told to the requester (that would reveal accounts)."""
    with worker_session() as session:
        return send_password_reset_email(session, payload.email)
