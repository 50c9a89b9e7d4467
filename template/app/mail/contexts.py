"""What an email template needs: one typed model per template, validated where mail is sent."""

from typing import ClassVar

from pydantic import BaseModel, ConfigDict


class EmailContext(BaseModel):
    """The variables of `templates/<template>/`; a new email is a template folder plus a model,
    a subclass in its area's `emails.py` (`app/items/emails.py` has one)."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    template: ClassVar[str]
