"""Settings come from the environment and fail loudly, naming the variable."""

import os
import pkgutil
import subprocess
import sys

import pytest

import app
from app.settings import SettingsError
from tests.conftest import OverrideSettings


def test_missing_database_url_is_named(override_settings: OverrideSettings):
    with pytest.raises(SettingsError, match="DATABASE_URL: Field required"):
        override_settings(DATABASE_URL=None)


def test_short_secret_key_is_rejected(override_settings: OverrideSettings):
    with pytest.raises(SettingsError, match="SECRET_KEY"):
        override_settings(SECRET_KEY="short")


def test_database_url_uses_the_psycopg_driver(override_settings: OverrideSettings):
    settings = override_settings(DATABASE_URL="postgresql://u:p@127.0.0.1:5432/db")

    assert settings.sqlalchemy_url == "postgresql+psycopg://u:p@127.0.0.1:5432/db"


def test_no_module_reads_settings_at_import():
    """Settings are read when used: every app module imports in an environment with none set."""
    modules = [module.name for module in pkgutil.walk_packages(app.__path__, "app.")]
    code = "import importlib, sys\nfor name in sys.argv[1:]: importlib.import_module(name)"

    result = subprocess.run(
        [sys.executable, "-c", code, *modules],
        env={"PATH": os.environ["PATH"]},
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stderr
