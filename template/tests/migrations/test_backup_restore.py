"""The restore drill: a populated database backed up with `just db_backup` and restored with
`just db_restore` into a new one ends at the head migration, with the same rows, and the app's
own schema check passes on it."""

import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from alembic.config import Config
from alembic.script import ScriptDirectory
from psycopg import sql
from sqlmodel import SQLModel

from app.settings import get_settings

# pg_dump and pg_restore, through the backup and restore scripts.
pytestmark = pytest.mark.processes

PROJECT = Path(__file__).resolve().parents[2]


def database_url(name: str) -> str:
    return str(get_settings().database_url).rsplit("/", 1)[0] + "/" + name


def run(database: str, *command: str) -> subprocess.CompletedProcess[str]:
    """A command of the project (a recipe, the CLI) against the database `database`."""
    environment = {**os.environ, "DATABASE_URL": database_url(database)}
    return subprocess.run(
        command, cwd=PROJECT, env=environment, capture_output=True, text=True, timeout=300
    )


def succeed(database: str, *command: str) -> str:
    result = run(database, *command)
    assert result.returncode == 0, f"{' '.join(command)}:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def server_major(database: str) -> int:
    with psycopg.connect(database_url(database)) as connection:
        return connection.info.server_version // 10000


def client_major() -> int:
    version = subprocess.run(["pg_dump", "--version"], capture_output=True, text=True).stdout
    match = re.search(r"(\d+)(?:\.\d+)?", version)
    assert match, version
    return int(match[1])


def skip_unless_pg_dump_matches(database: str) -> None:
    """An older pg_dump cannot read a newer server; a newer one writes settings (such as
    transaction_timeout) that an older server refuses on restore."""
    if client_major() != server_major(database):
        pytest.skip(f"the drill needs pg_dump {server_major(database)}, found {client_major()}")


def fingerprint(database: str) -> dict[str, tuple[int, str]]:
    """Each table's row count and a digest of its rows, in a stable order."""
    prints = {}
    with psycopg.connect(database_url(database)) as connection:
        for table in [*SQLModel.metadata.tables, "alembic_version"]:
            rows = sql.SQL(
                "SELECT count(*), coalesce(md5(string_agg(t::text, ',' ORDER BY t::text)), '')"
                " FROM {} AS t"
            ).format(sql.Identifier(table))
            row = connection.execute(rows).fetchone()
            assert row is not None
            prints[table] = (row[0], row[1])
    return prints


@pytest.fixture
def drill_databases() -> Iterator[tuple[str, str]]:
    """Names of a source and a restore database, dropped afterwards; neither exists yet."""
    base = get_settings().database_url.path
    assert base
    names = (f"{base.lstrip('/')}_drill_source", f"{base.lstrip('/')}_drill_restored")
    maintenance = database_url("postgres")

    def drop() -> None:
        with psycopg.connect(maintenance, autocommit=True) as connection:
            for name in names:
                statement = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
                connection.execute(statement.format(sql.Identifier(name)))

    drop()
    yield names
    drop()


@pytest.mark.skipif(shutil.which("pg_dump") is None, reason="needs pg_dump (postgresql-client)")
def test_a_backup_restores_into_a_new_database(
    drill_databases: tuple[str, str], alembic_config: Config, tmp_path: Path
) -> None:
    source, restored = drill_databases
    succeed(source, "app", "ensure-database")
    skip_unless_pg_dump_matches(source)
    succeed(source, "alembic", "upgrade", "head")
    succeed(source, "app", "seed", "--count", "12")
    backup = tmp_path / "drill.dump"

    succeed(source, "just", "db_backup", str(backup))
    succeed(restored, "just", "db_restore", str(backup))

    head = ScriptDirectory.from_config(alembic_config).get_current_head()
    assert f"{head} (head)" in succeed(restored, "alembic", "current")
    original = fingerprint(source)
    assert original["items"][0] == 12
    assert fingerprint(restored) == original
    succeed(restored, "alembic", "check")  # the models and the restored schema agree


@pytest.mark.skipif(shutil.which("pg_dump") is None, reason="needs pg_dump (postgresql-client)")
def test_restore_refuses_a_database_that_has_tables(
    drill_databases: tuple[str, str], tmp_path: Path
) -> None:
    source, _ = drill_databases
    succeed(source, "app", "ensure-database")
    skip_unless_pg_dump_matches(source)
    succeed(source, "alembic", "upgrade", "head")
    backup = tmp_path / "drill.dump"
    succeed(source, "just", "db_backup", str(backup))

    result = run(source, "just", "db_restore", str(backup))

    assert result.returncode != 0
    assert "already has" in result.stderr
