"""What importing the app does, seen in one fresh interpreter with no settings in its environment
(a process start costs seconds, so both checks share it)."""

import json
import os
import pkgutil
import subprocess
import sys

import pytest

import app

# A fresh interpreter: what importing the app does in this one is long done.
pytestmark = pytest.mark.processes

# As `celery worker` does: the Celery app and its task modules first (noting which web framework
# modules that loaded), then every other module of the app.
SCRIPT = """
import importlib, json, sys
from app.jobs.celery_app import task_modules
for name in task_modules():
    importlib.import_module(name)
worker = sorted(name for name in sys.modules if name.partition(".")[0] in {"fastapi", "starlette"})
for name in sys.argv[1:]:
    importlib.import_module(name)
print(json.dumps(worker))
"""


@pytest.fixture(scope="module")
def fresh_import() -> subprocess.CompletedProcess[str]:
    modules = [module.name for module in pkgutil.walk_packages(app.__path__, "app.")]
    return subprocess.run(
        [sys.executable, "-c", SCRIPT, *modules],
        env={"PATH": os.environ["PATH"]},
        capture_output=True,
        text=True,
        check=False,
    )


def test_no_module_reads_settings_at_import(
    fresh_import: subprocess.CompletedProcess[str],
) -> None:
    """Settings are read when used: every app module imports in an environment with none set."""
    assert fresh_import.returncode == 0, fresh_import.stderr


def test_the_worker_imports_no_web_framework(
    fresh_import: subprocess.CompletedProcess[str],
) -> None:
    """FastAPI and Starlette are a fifth of a worker's import, which every worker start pays."""
    assert fresh_import.returncode == 0, fresh_import.stderr
    assert json.loads(fresh_import.stdout) == []
