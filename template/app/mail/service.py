"""The one way to send email: queue it for the worker, which delivers it with retries."""

from collections.abc import Mapping

from pydantic import JsonValue

from app.jobs.tasks.mail import EmailPayload, deliver_email


def send_email(to: str, template: str, context: Mapping[str, JsonValue]) -> str:
    """Validate now (a bad address or template fails in the caller), queue, return the job id."""
    payload = EmailPayload(to=to, template=template, context=dict(context))
    return deliver_email.enqueue(payload).id
