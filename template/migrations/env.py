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
    settings = get_settings()
    timeouts = (
        f"-c lock_timeout={settings.migration_lock_timeout_ms}"
        f" -c statement_timeout={settings.migration_statement_timeout_ms}"
    )
    engine = sa.create_engine(
        settings.sqlalchemy_url,
        poolclass=sa.NullPool,
        connect_args={"options": timeouts, "application_name": f"{settings.project_name}-migrate"},
    )
    with engine.connect() as connection:
        run_migrations(connection)


def run_migrations_offline() -> None:
    """Print the SQL instead of running it (`alembic upgrade --sql`), for the migration lint
    (`just db_lint`): Postgres's dialect, values inlined, no connection."""
    context.configure(
        dialect_name="postgresql",
        target_metadata=SQLModel.metadata,
        render_item=render_item,
        literal_binds=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
