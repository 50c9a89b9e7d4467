"""Command-line entry point (`uv run app --help`): tasks that need the app but no server."""

import json
from pathlib import Path
from typing import Annotated

import psycopg
import typer
from psycopg import sql
from sqlalchemy import NullPool, make_url
from sqlmodel import Session, create_engine

from app.accounts.admin import AccountError
from app.accounts.admin import adopt_items as move_items
from app.accounts.admin import create_user as create_account
from app.db_connection import connection_arguments
from app.models.account import Role
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


@users.command("create")
def create_user(
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
    with _database() as db:
        try:
            user = create_account(db, email, password, role=Role.ADMIN if admin else Role.MEMBER)
        except AccountError as error:
            raise typer.BadParameter(str(error), param_hint="EMAIL or password") from None
    typer.echo(f"created {user.role} {user.email} ({user.id})")


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
            raise typer.BadParameter(str(error)) from None
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
