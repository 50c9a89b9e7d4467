"""Emptying the tables whose rows a server or worker process committed for real."""

import psycopg
from psycopg import sql
from sqlmodel import SQLModel

import app.models  # noqa: F401  # registers every table on the metadata
from app.settings import get_settings


def truncate_tables() -> None:
    """Empty every table, for tests whose server process committed rows for real."""
    tables = [table.name for table in SQLModel.metadata.sorted_tables]
    statement = sql.SQL("TRUNCATE {} RESTART IDENTITY CASCADE").format(
        sql.SQL(", ").join(sql.Identifier(name) for name in tables)
    )
    with psycopg.connect(str(get_settings().database_url), autocommit=True) as connection:
        connection.execute(statement)
