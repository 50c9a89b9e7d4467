"""Account administration without the HTTP API: the `app users …` commands and what they do."""

import secrets
from datetime import UTC, datetime
from typing import Annotated

import typer
from sqlmodel import Session, col, update

from app.accounts.passwords import hash_password, password_problem
from app.accounts.users import user_with_email
from app.db_connection import command_session
from app.models.account import Role, User
from app.models.item import Item


class AccountError(ValueError):
    """The command cannot do what was asked; the message says why."""


def create_user(db: Session, email: str, password: str, *, role: Role = Role.MEMBER) -> User:
    """An active account whose address counts as verified (whoever runs this vouches for it)."""
    problem = password_problem(password, email)
    if problem is not None:
        raise AccountError(f"password refused: {problem}")
    if db.exec(user_with_email(email)).first() is not None:
        raise AccountError(f"an account with the email {email} exists already")
    user = User(
        email=email,
        password_hash=hash_password(password),
        role=role,
        email_verified_at=datetime.now(UTC),
    )
    db.add(user)
    db.commit()
    return user


def set_password(db: Session, user: User, password: str) -> None:
    problem = password_problem(password, user.email)
    if problem is not None:
        raise AccountError(f"password refused: {problem}")
    user.password_hash = hash_password(password)
    db.add(user)
    db.commit()


def new_password() -> str:
    """A random password that passes the policy: 20 URL-safe characters (about 120 bits)."""
    return secrets.token_urlsafe(15)


def adopt_items(db: Session, from_email: str, to_email: str) -> int:
    """Give every item of one account to another; returns how many moved."""
    source = db.exec(user_with_email(from_email)).first()
    target = db.exec(user_with_email(to_email)).first()
    if source is None or target is None:
        missing = from_email if source is None else to_email
        raise AccountError(f"no account has the email {missing}")
    moved = db.exec(
        update(Item).where(col(Item.owner_id) == source.id).values(owner_id=target.id)
    ).rowcount
    db.commit()
    return moved


users = typer.Typer(name="users", no_args_is_help=True, help="Manage accounts without the web app.")


@users.command("create")
def create_user_command(
    email: Annotated[str, typer.Argument(help="The new account's email address.")],
    password: Annotated[
        str,
        typer.Option(
            prompt=True,
            hide_input=True,
            confirmation_prompt=True,
            help="Asked for when left out (read from stdin when it is not a terminal).",
        ),
    ],
    admin: Annotated[bool, typer.Option("--admin", help="Make it an administrator.")] = False,
) -> None:
    """Create an account (verified, active) that can log in at once: the first admin, say."""
    with command_session() as db:
        try:
            user = create_user(db, email, password, role=Role.ADMIN if admin else Role.MEMBER)
        except AccountError as error:
            raise typer.BadParameter(str(error), param_hint="EMAIL or password") from None
    typer.echo(f"created {user.role} {user.email} ({user.id})")


@users.command("adopt-items")
def adopt_items_command(
    from_email: Annotated[str, typer.Argument(help="The account whose items move.")],
    to_email: Annotated[str, typer.Argument(help="The account that receives them.")],
) -> None:
    """Move every item of one account to another (e.g. from the migration's legacy owner)."""
    with command_session() as db:
        try:
            moved = adopt_items(db, from_email, to_email)
        except AccountError as error:
            raise typer.BadParameter(str(error)) from None
    typer.echo(f"{moved} items moved from {from_email} to {to_email}")
