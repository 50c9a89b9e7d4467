"""API shapes of the accounts area: what clients send and what they get back."""

import unicodedata
from datetime import datetime
from typing import Annotated, Any

from pydantic import (
    BeforeValidator,
    EmailStr,
    Field,
    TypeAdapter,
    ValidationError,
    ValidatorFunctionWrapHandler,
    WrapValidator,
)
from pydantic_core import PydanticCustomError
from sqlmodel import SQLModel

from app.accounts.passwords import PASSWORD_MAX_LENGTH
from app.models.account import EMAIL_MAX_LENGTH, Role, SessionId, UserId
from app.models.base import RequestModel
from app.models.types import text


def _worded_for_people(value: Any, check: ValidatorFunctionWrapHandler) -> str:
    """email-validator's reason as a sentence of its own, without pydantic's lower-case
    "value is not a valid email address:" before it."""
    try:
        address: str = check(value)
    except ValidationError as error:
        problem = error.errors()[0]
        reason = problem.get("ctx", {}).get("reason")
        if problem["type"] != "value_error" or not reason:
            raise
        raise PydanticCustomError(
            "value_error", "This is not a valid email address. {reason}", {"reason": reason}
        ) from None
    return address


def _plain_ascii(value: Any) -> Any:
    """Compatibility forms folded (NFKC: the KELVIN SIGN U+212A is `K`, the fullwidth U+FF41
    is `a`), then anything still outside ASCII refused: look-alikes (the Cyrillic U+0430) give
    one person two accounts that read the same, and mail servers without SMTPUTF8 refuse such
    addresses, so no link could ever reach them."""
    if not isinstance(value, str):
        return value
    folded = unicodedata.normalize("NFKC", value)
    if not folded.isascii():
        raise PydanticCustomError(
            "value_error",
            "This is not a valid email address. Use its plain form: letters a-z, digits and "
            "punctuation only (a domain with other letters has an xn-- form).",
        )
    return folded


# An address any account may have: the sign-up form, the log-in form and `app users …` all check
# with this type (folded and plain ASCII, then email-validator, no DNS lookup; the domain comes
# back lower-cased). Validators listed later run first.
Email = Annotated[
    EmailStr,
    Field(max_length=EMAIL_MAX_LENGTH),
    WrapValidator(_worded_for_people),
    BeforeValidator(_plain_ascii),
]
EMAIL = TypeAdapter(Email)
# Only bounded here; a *new* password also meets the policy (app/accounts/passwords.py).
Password = Annotated[str, text(min_length=1, max_length=PASSWORD_MAX_LENGTH)]
Token = Annotated[str, text(min_length=1, max_length=200)]


class UserPublic(SQLModel):
    id: UserId
    email: str
    email_verified_at: datetime | None
    role: Role
    created_at: datetime


class Impersonator(SQLModel):
    id: UserId
    email: str


class AccountPublic(UserPublic):
    """The signed-in user; `impersonator` is the admin acting as them ("log in as"), if any."""

    impersonator: Impersonator | None = None


class SessionPublic(SQLModel):
    id: SessionId
    created_at: datetime
    last_seen_at: datetime
    user_agent: str | None
    ip: str | None
    current: bool


class Credentials(RequestModel):
    email: Email
    password: Password


class PasswordResetRequest(RequestModel):
    email: Email


class PasswordResetConfirmation(RequestModel):
    token: Token
    new_password: Password


class EmailVerificationConfirmation(RequestModel):
    token: Token


class PasswordChange(RequestModel):
    current_password: Password
    new_password: Password


class EmailChange(RequestModel):
    new_email: Email
    current_password: Password


class AccountDeletion(RequestModel):
    password: Password
