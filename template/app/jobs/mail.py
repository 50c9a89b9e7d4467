"""Sending email: `send_email` queues it, the `mail.deliver_email` task renders and delivers it.

The one task of the floor: it joins jobs and mail, and knows the areas' email contexts by name only.
"""

from functools import cache
from typing import Self

import structlog
from pydantic import BaseModel, EmailStr, JsonValue, field_validator, model_validator

from app.discovery import area_modules
from app.jobs.task import PayloadTask, job
from app.mail.backends import MailDeferredError, deliver
from app.mail.contexts import EmailContext
from app.mail.messages import build_message

logger = structlog.get_logger(__name__)


@cache
def email_contexts() -> dict[str, type[EmailContext]]:
    """Every email's context model by template name, from the areas' `emails.py` modules."""
    area_modules("emails")
    return {model.template: model for model in EmailContext.__subclasses__()}


class EmailPayload(BaseModel):
    to: EmailStr
    template: str
    context: dict[str, JsonValue] = {}

    @field_validator("template")
    @classmethod
    def template_exists(cls, name: str) -> str:
        if name not in email_contexts():
            raise ValueError(f"no email template '{name}' in the areas' emails.py")
        return name

    @model_validator(mode="after")
    def context_fits_template(self) -> Self:
        """Checked again in the worker: a message queued by older code may not fit any more."""
        email_contexts()[self.template].model_validate(self.context)
        return self


@job(
    "mail.deliver_email",
    EmailPayload,
    autoretry_for=(*PayloadTask.autoretry_for, MailDeferredError),
)
def deliver_email(payload: EmailPayload) -> str:
    """Returns the Message-ID. Retried while the server is unreachable or answers 4xx."""
    message = build_message(payload.to, payload.template, payload.context)
    deliver(message)
    logger.info("email sent", template=payload.template, message_id=message["Message-ID"])
    return str(message["Message-ID"])


def send_email(to: str, context: EmailContext) -> str:
    """The one way to send email: validate now (a bad address fails in the caller), queue it for
    the worker, which delivers it with retries; returns the job id."""
    payload = EmailPayload(
        to=to, template=context.template, context=context.model_dump(mode="json")
    )
    return deliver_email.enqueue(payload).id
