"""Account administration without the HTTP API: the `app users …` commands and what they do."""

import asyncio
import secrets
import sys
from datetime import UTC, datetime
from typing import Annotated, NoReturn

import typer
from pydantic import ValidationError
from sqlalchemy import NullPool
from sqlalchemy.ext.asyncio import create_async_engine
from sqlmodel import Session, col, update
from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts.passwords import hash_password, password_problem
from app.accounts.roles import set_role
from app.accounts.schemas import EMAIL
from app.accounts.users import user_with_email
from app.db_connection import command_session, connection_arguments
from app.models.account import Role, User
from app.models.item import Item
from app.settings import get_settings


class AccountError(ValueError):
    """The command cannot do what was asked; the message says why."""


def create_user(db: Session, email: str, password: str, *, role: Role = Role.MEMBER) -> User:
    """An active account whose address counts as verified (whoever runs this vouches for it)."""
    problem = password_problem(password, email)
    if problem is not None:
        raise AccountError(f"The password is refused. {problem}")
    if db.exec(user_with_email(email)).first() is not None:
        raise AccountError(f"An account with the email {email} exists already.")
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
        raise AccountError(f"The password is refused. {problem}")
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
        raise AccountError(f"No account has the email {missing}.")
    moved = db.exec(
        update(Item).where(col(Item.owner_id) == source.id).values(owner_id=target.id)
    ).rowcount
    db.commit()
    return moved


users = typer.Typer(name="users", no_args_is_help=True, help="Manage accounts without the web app.")


def _fail(message: str) -> NoReturn:
    """End the command: `message` on stderr, exit status 1."""
    typer.echo(f"Error: {message}", err=True)
    raise typer.Exit(1)


def _email_address(value: str) -> str:
    """The address as the API takes it (the same type), or the end with the API's reason."""
    try:
        return EMAIL.validate_python(value)
    except ValidationError as error:
        _fail(error.errors()[0]["msg"])


def _new_password() -> str:
    """Asked for twice, hidden, at a terminal. Otherwise the first line of stdin, read once:
    never the terminal, where a background job (a test suite's) would be stopped (SIGTTOU)."""
    if sys.stdin.isatty():
        password: str = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
        return password
    password = sys.stdin.readline().rstrip("\r\n")
    if not password:
        _fail(
            "No password on stdin: pipe it as one line (printf '%s\\n' \"$PASSWORD\" | …), "
            "or run the command in a terminal to be asked for it."
        )
    return password


@users.command("create")
def create_user_command(
    email: Annotated[str, typer.Argument(help="The new account's email address.")],
    password: Annotated[
        str | None,
        typer.Option(
            help="Asked for when left out, or read from stdin (one line) when that is not a "
            "terminal; an option shows in `ps` and the shell's history.",
            show_default=False,
        ),
    ] = None,
    admin: Annotated[bool, typer.Option("--admin", help="Make it an administrator.")] = False,
) -> None:
    """Create an account (verified, active) that can log in at once: the first admin, say."""
    email = _email_address(email)
    if password is None:
        password = _new_password()
    with command_session() as db:
        try:
            user = create_user(db, email, password, role=Role.ADMIN if admin else Role.MEMBER)
        except AccountError as error:
            _fail(str(error))
    typer.echo(f"created {user.role} {user.email} ({user.id})")


async def _give_role(email: str, role: Role) -> tuple[User, Role]:
    """The account's role before, after `set_role` (audited, as in the admin console) gave it
    `role`; the command line is the actor."""
    settings = get_settings()
    engine = create_async_engine(
        settings.sqlalchemy_url, poolclass=NullPool, connect_args=connection_arguments(settings)
    )
    try:
        async with AsyncSession(engine, expire_on_commit=False) as db:
            user = (await db.exec(user_with_email(email))).first()
            if user is None:
                _fail(f"No account has the email {email}.")
            before = user.role
            await set_role(db, user, role, actor=None, request=None)
            return user, before
    finally:
        await engine.dispose()


def _report_role(user: User, before: Role) -> None:
    role = "an admin" if user.role == Role.ADMIN else "a member"
    typer.echo(f"{user.email} is {role} {'already' if before == user.role else 'now'}")


@users.command("promote")
def promote(
    email: Annotated[str, typer.Argument(help="The email of an existing account.")],
) -> None:
    """Make an existing account (one that signed up in the web app, say) an admin."""
    _report_role(*asyncio.run(_give_role(email, Role.ADMIN)))


@users.command("demote")
def demote(
    email: Annotated[str, typer.Argument(help="The email of an admin's account.")],
) -> None:
    """Make an admin a member again (their "log in as" sessions end)."""
    _report_role(*asyncio.run(_give_role(email, Role.MEMBER)))


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
            _fail(str(error))
    typer.echo(f"{moved} items moved from {from_email} to {to_email}")
