"""The decisive test: a rendered project's own `just setup` and `just test` pass for real."""

import pytest

from tests.conftest import Render
from tests.support import (
    FULL_SUITE_PYTHON,
    OFFERED_PYTHONS,
    commit_all,
    destroy_services,
    free_port_block,
    just,
)

pytestmark = pytest.mark.slow


def test_generated_project_sets_up_and_passes_its_own_tests(render: Render):
    assert FULL_SUITE_PYTHON, f"uv finds none of the offered Pythons {OFFERED_PYTHONS} here"
    project = render(python_version=FULL_SUITE_PYTHON, port_base=free_port_block())
    commit_all(project)
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
        destroy_services(project)
