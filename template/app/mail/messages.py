"""Build email messages from templates/<name>/{subject.txt, body.txt, body.html} (Jinja2)."""

from collections.abc import Mapping
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from app.settings import get_settings

TEMPLATES_DIR = Path(__file__).parent / "templates"


@lru_cache
def _environment() -> Environment:
    # HTML is autoescaped; a variable missing from the context is an error, never a blank.
    return Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )


def template_names() -> set[str]:
    """The emails that exist: one directory each."""
    return {path.name for path in TEMPLATES_DIR.iterdir() if (path / "subject.txt").is_file()}


def build_message(to: str, template: str, context: Mapping[str, object]) -> EmailMessage:
    """A multipart/alternative message: the text body, then the HTML body."""
    settings = get_settings()
    environment = _environment()
    subject = environment.get_template(f"{template}/subject.txt").render(context).strip()
    message = EmailMessage()
    message["Subject"] = " ".join(subject.split())
    message["From"] = formataddr((settings.project_name, settings.mail_from))
    message["To"] = to
    message["Message-ID"] = make_msgid(domain=Address(addr_spec=settings.mail_from).domain)
    message.set_content(environment.get_template(f"{template}/body.txt").render(context))
    message.add_alternative(
        environment.get_template(f"{template}/body.html").render(context), subtype="html"
    )
    return message
