"""Alembic environment: the SQLModel metadata is the target, DATABASE_URL the database."""

from logging.config import fileConfig
from typing import Any

import sqlalchemy as sa
from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlmodel import SQLModel

import app.models  # noqa: F401  # registers every table on SQLModel.metadata
from app.models.base import TypeIDType
from app.settings import get_settings

config = context.config
if config.config_file_name is not None:
    fileConfig(config.config_file_name, disable_existing_loggers=False)


def render_item(type_: str, obj: Any, autogen_context: AutogenContext) -> str | bool:
    """Write TypeID columns as plain `sa.Uuid()`: migrations must not import app code."""
    if type_ == "type" and isinstance(obj, TypeIDType):
        return "sa.Uuid()"
    return False


def run_migrations(connection: sa.Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=SQLModel.metadata,
        render_item=render_item,
        compare_server_default=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Use the connection a caller (such as the migration tests) passed in, else DATABASE_URL."""
    connection = config.attributes.get("connection")
    if connection is not None:
        run_migrations(connection)
        return
    engine = sa.create_engine(get_settings().sqlalchemy_url, poolclass=sa.NullPool)
    with engine.connect() as connection:
        run_migrations(connection)


if context.is_offline_mode():
    raise SystemExit("Offline (--sql) migrations are not supported; run against a database.")
run_migrations_online()
