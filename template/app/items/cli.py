"""The items area's commands: `app seed` fills a development database."""

from typing import Annotated

import typer

from app.db_connection import command_session
from app.items.seed import DEMO_EMAIL
from app.items.seed import seed as fill_database
from app.settings import get_settings

commands = typer.Typer()


@commands.command()
def seed(
    count: Annotated[int, typer.Option(min=0, help="How many items the demo account gets.")] = 25,
) -> None:
    """Fill the development database: a demo account with sample items; prints how to log in."""
    if get_settings().is_production:
        raise typer.BadParameter("refusing to seed a production database")
    with command_session() as db:
        password = fill_database(db, count)
    typer.echo(f"seeded {count} items for the demo account")
    typer.echo(f"log in as {DEMO_EMAIL} with the password {password}")
