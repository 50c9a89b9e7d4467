"""The decisive test: a rendered project's own `just setup` and `just test` pass for real."""

import os
import signal
import subprocess
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Render
from tests.support import (
    FULL_SUITE_PYTHON,
    OFFERED_PYTHONS,
    clean_env,
    commit_all,
    destroy_services,
    free_port_block,
    just,
)

pytestmark = pytest.mark.slow


def test_generated_project_sets_up_and_passes_its_own_tests(render: Render):
    assert FULL_SUITE_PYTHON, f"uv finds none of the offered Pythons {OFFERED_PYTHONS} here"
    port_base = free_port_block()
    project = render(python_version=FULL_SUITE_PYTHON, port_base=port_base)
    commit_all(project)
    try:
        setup = just(project, "setup")
        assert setup.returncode == 0, "just setup failed"
        assert "check: the web app, the worker's jobs" in setup.stdout

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

        assert_dev_loop_runs_and_stops_on_ctrl_c(project, port_base)
    finally:
        destroy_services(project)


def assert_dev_loop_runs_and_stops_on_ctrl_c(project: Path, port_base: int) -> None:
    """`just dev` serves the API and the Vite app and runs a worker; Ctrl-C (SIGINT to the
    terminal's process group) stops every process, without a traceback."""
    log = project / "tmp/dev-test.log"
    log.parent.mkdir(exist_ok=True)
    with log.open("w") as output:
        dev = subprocess.Popen(
            ["just", "dev"],
            cwd=project,
            env=clean_env(),
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_until(lambda: "ready." in log.read_text(), "ready worker", log)
        wait_until(lambda: answers(f"http://127.0.0.1:{port_base}/livez"), "API", log)
        wait_until(lambda: answers(f"http://127.0.0.1:{port_base + 1}/"), "Vite app", log)
    finally:
        os.killpg(dev.pid, signal.SIGINT)
        dev.wait(timeout=60)
    text = log.read_text()
    print(text[-5000:])
    assert "Traceback" not in text
    for process in ("api", "worker", "scheduler", "web"):
        assert f"{process}.1 stopped" in text
    assert "sending SIGKILL" not in text, "a process ignored the stop signal"
    assert not answers(f"http://127.0.0.1:{port_base}/livez")


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status == 200
    except OSError:
        return False


def wait_until(condition: Callable[[], bool], what: str, log: Path, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"no {what}:\n{log.read_text()[-3000:]}"
        time.sleep(0.5)
