"""What each email template needs: one typed model per template, validated where mail is sent."""

from typing import ClassVar

from pydantic import BaseModel, ConfigDict, HttpUrl


class EmailContext(BaseModel):
    """The variables of `templates/<template>/`; a new email is a template folder plus a model."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    template: ClassVar[str]


class ItemReminder(EmailContext):
    template = "item_reminder"
    title: str
    description: str
    done: bool


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


CONTEXTS: dict[str, type[EmailContext]] = {
    model.template: model for model in (ItemReminder, VerifyEmail, ResetPassword, PasswordChanged)
}
