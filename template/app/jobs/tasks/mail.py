"""The email delivery task: render the template, hand the message to the mail backend."""

import structlog
from pydantic import BaseModel, EmailStr, JsonValue, field_validator

from app.jobs.task import job
from app.mail.backends import deliver
from app.mail.messages import build_message, template_names

logger = structlog.get_logger(__name__)


class EmailPayload(BaseModel):
    to: EmailStr
    template: str
    context: dict[str, JsonValue] = {}

    @field_validator("template")
    @classmethod
    def template_exists(cls, name: str) -> str:
        if name not in template_names():
            raise ValueError(f"no email template '{name}' in app/mail/templates/")
        return name


@job("mail.deliver_email", EmailPayload)
def deliver_email(payload: EmailPayload) -> str:
    """Returns the Message-ID. Retried while the server is unreachable or answers 4xx."""
    message = build_message(payload.to, payload.template, payload.context)
    deliver(message)
    logger.info("email sent", template=payload.template, message_id=message["Message-ID"])
    return str(message["Message-ID"])
