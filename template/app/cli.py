"""Command-line entry point (`uv run app --help`): tasks that need the app but no server.

The floor's commands are here; each area adds its own in its `cli.py` (found by name).
"""

import json
from pathlib import Path
from typing import Annotated

import psycopg
import typer
from psycopg import sql
from sqlalchemy import make_url

from app.discovery import area_modules
from app.settings import get_settings

cli = typer.Typer(no_args_is_help=True, help="Project tasks that need the application code.")


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


def add_area_commands() -> None:
    """Every public `typer.Typer` at the top of an area's `cli.py`: one with a name becomes a
    group (`app users …`), one without adds its commands at the top (`app seed`)."""
    for module in area_modules("cli"):
        for name, value in vars(module).items():
            if isinstance(value, typer.Typer) and not name.startswith("_"):
                cli.add_typer(value)


add_area_commands()
