"""The item reminder email's context (its template is `app/mail/templates/item_reminder/`)."""

from app.mail.contexts import EmailContext


class ItemReminder(EmailContext):
    template = "item_reminder"
    title: str
    description: str
    done: bool
