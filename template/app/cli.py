"""Command-line entry point (`uv run app --help`): tasks that need the app but no server."""

import asyncio
import json
import sys
from pathlib import Path
from typing import Annotated, NoReturn

import psycopg
import typer
from psycopg import sql
from pydantic import ValidationError
from sqlalchemy import NullPool, make_url
from sqlalchemy.ext.asyncio import create_async_engine
from sqlmodel import Session, create_engine
from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts.admin import AccountError
from app.accounts.admin import adopt_items as move_items
from app.accounts.admin import create_user as create_account
from app.accounts.schemas import EMAIL
from app.accounts.users import user_with_email
from app.admin.roles import set_role
from app.db_connection import connection_arguments
from app.models.account import Role, User
from app.seed import DEMO_EMAIL
from app.seed import seed as fill_database
from app.settings import get_settings

cli = typer.Typer(no_args_is_help=True, help="Project tasks that need the application code.")
users = typer.Typer(no_args_is_help=True, help="Manage accounts without the web app.")
cli.add_typer(users, name="users")


def _database() -> Session:
    """A short-lived synchronous session for one command."""
    settings = get_settings()
    engine = create_engine(
        settings.sqlalchemy_url, poolclass=NullPool, connect_args=connection_arguments(settings)
    )
    return Session(engine, expire_on_commit=False)


def _fail(message: str) -> NoReturn:
    """End the command: `message` on stderr, exit status 1."""
    typer.echo(f"Error: {message}", err=True)
    raise typer.Exit(1)


@cli.command()
def openapi(
    output: Annotated[Path | None, typer.Option(help="Write here instead of stdout.")] = None,
) -> None:
    """Print the OpenAPI document (no server or database needed)."""
    from app.server import create_app

    document = json.dumps(create_app().openapi(), indent=2, sort_keys=True) + "\n"
    if output is None:
        typer.echo(document, nl=False)
    else:
        output.write_text(document)


@cli.command()
def check() -> None:
    """Import the web app, the worker's jobs and the schedule without starting them (`just setup`
    runs this, so a broken dependency fails there and not at the first `just dev`)."""
    from app.jobs import celery_app
    from app.server import create_app

    create_app()
    celery_app.loader.import_default_modules()
    unknown = {
        entry["task"] for entry in celery_app.conf.beat_schedule.values()
    } - celery_app.tasks.keys()
    if unknown:
        raise typer.BadParameter(f"the schedule names jobs nobody defines: {sorted(unknown)}")
    typer.echo("check: the web app, the worker's jobs, the schedule and this CLI import")


@cli.command("ensure-database")
def ensure_database(
    recreate: Annotated[bool, typer.Option(help="Drop it first if it exists.")] = False,
) -> None:
    """Create the database named in DATABASE_URL if it does not exist yet."""
    url = make_url(str(get_settings().database_url))
    name = url.database
    if not name:
        raise typer.BadParameter("DATABASE_URL names no database", param_hint="DATABASE_URL")
    maintenance_url = url.set(database="postgres").render_as_string(hide_password=False)
    with psycopg.connect(maintenance_url, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (name,)
        ).fetchone()
        if exists and recreate:
            drop = sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name))
            connection.execute(drop)
            typer.echo(f"database {name} dropped")
        elif exists:
            typer.echo(f"database {name} exists")
            return
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        typer.echo(f"database {name} created")


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
def create_user(
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
    with _database() as db:
        try:
            user = create_account(db, email, password, role=Role.ADMIN if admin else Role.MEMBER)
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
def adopt_items(
    from_email: Annotated[str, typer.Argument(help="The account whose items move.")],
    to_email: Annotated[str, typer.Argument(help="The account that receives them.")],
) -> None:
    """Move every item of one account to another (e.g. from the migration's legacy owner)."""
    with _database() as db:
        try:
            moved = move_items(db, from_email, to_email)
        except AccountError as error:
            _fail(str(error))
    typer.echo(f"{moved} items moved from {from_email} to {to_email}")


@cli.command()
def seed(
    count: Annotated[int, typer.Option(min=0, help="How many items the demo account gets.")] = 25,
) -> None:
    """Fill the development database: a demo account with sample items; prints how to log in."""
    if get_settings().is_production:
        raise typer.BadParameter("refusing to seed a production database")
    with _database() as db:
        password = fill_database(db, count)
    typer.echo(f"seeded {count} items for the demo account")
    typer.echo(f"log in as {DEMO_EMAIL} with the password {password}")
