"""Sample data for a development database (`just db_seed`): a demo account and its items."""

import random

from sqlmodel import Session

from app.accounts.cli import create_user, new_password, set_password
from app.accounts.users import user_with_email
from app.models.item import Item

DEMO_EMAIL = "demo@example.com"
SAMPLE_TASKS = (
    "Renew the passport",
    "Book the dentist",
    "Water the plants",
    "Call the plumber",
    "Return the library books",
    "Pay the electricity bill",
    "Plan the team offsite",
    "Back up the laptop",
    "Buy a birthday present",
    "Fix the bike's brakes",
)


def seed(db: Session, count: int) -> str:
    """Create (or reset the password of) the demo account, give it `count` items; return the
    password, which is new on every run."""
    password = new_password()
    user = db.exec(user_with_email(DEMO_EMAIL)).first()
    if user is None:
        user = create_user(db, DEMO_EMAIL, password)
    else:
        set_password(db, user, password)
    picker = random.Random()  # noqa: S311  # sample data, not secrets
    db.add_all(
        Item(
            title=f"{picker.choice(SAMPLE_TASKS)} #{number + 1}",
            description="Sample item from `just db_seed`.",
            done=picker.random() < 0.25,
            owner_id=user.id,
        )
        for number in range(count)
    )
    db.commit()
    return password
