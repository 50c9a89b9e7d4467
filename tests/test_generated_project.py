"""The decisive test: a rendered project's own `just setup` and `just test` pass for real."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import Render, free_port_block, git

pytestmark = pytest.mark.slow


def just(project: Path, *args: str, timeout: int = 900) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("VIRTUAL_ENV")}
    result = subprocess.run(
        ["just", *args], cwd=project, env=env, capture_output=True, text=True, timeout=timeout
    )
    print(result.stdout[-20000:], result.stderr[-20000:])
    return result


def test_generated_project_sets_up_and_passes_its_own_tests(render: Render):
    project = render(port_base=free_port_block())
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "Start from copier-fullstack")
    try:
        setup = just(project, "setup")
        assert setup.returncode == 0, "just setup failed"
        assert "setup: created uv.lock; commit it" in setup.stdout

        again = just(project, "up")
        assert again.returncode == 0
        assert "already running" in again.stderr

        test = just(project, "test")
        assert test.returncode == 0, "just test failed"
        assert " passed" in test.stdout
        assert " failed" not in test.stdout
        # Python unit/route tests, the web's Vitest suite, then the browser tests.
        assert "Test Files" in test.stdout
        browser_run = test.stdout.rsplit("test session starts", 1)[-1]
        assert " passed" in browser_run
        assert " skipped" not in browser_run

        lint = just(project, "lint")
        assert lint.returncode == 0, "just lint failed"
    finally:
        just(project, "down")
        data = project / "tmp/services/postgres"
        if data.is_symlink():
            shutil.rmtree(data.resolve(), ignore_errors=True)
