"""The decisive test: a rendered project's own `just setup` and `just test` pass for real, and
`just test` and `just dev` run as typed into a terminal (CI has none: failures only a terminal
brings, such as a background job stopped by SIGTTOU, must fail here)."""

import contextlib
import os
import re
import signal
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pexpect
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

        status, output = just_in_a_terminal(project, "test")
        assert status == 0, "just test failed"
        assert " passed" in output
        assert " failed" not in output
        # Python unit/route tests, the web's Vitest suite, then the browser tests.
        assert "Test Files" in output
        browser_run = output.rsplit("test session starts", 1)[-1]
        assert " passed" in browser_run
        assert " skipped" not in browser_run

        lint = just(project, "lint")
        assert lint.returncode == 0, "just lint failed"

        assert_dev_loop_runs_and_stops_on_ctrl_c(project, port_base)
    finally:
        destroy_services(project)


def in_a_terminal(project: Path, *args: str, timeout: float) -> pexpect.spawn:
    """`just ARGS` with a pseudo-terminal as its controlling terminal, stdin and output, and in
    its foreground process group: as typed into tmux. Read its output (`expect`) as it comes,
    or a full terminal buffer stops it."""
    return pexpect.spawn(
        "just",
        list(args),
        cwd=project,
        env=clean_env(),
        encoding="utf-8",
        codec_errors="replace",
        timeout=timeout,
        dimensions=(50, 200),
    )


def just_in_a_terminal(project: Path, *args: str, timeout: float = 900) -> tuple[int | None, str]:
    """Run a recipe as typed into a terminal; its exit status and output (colours removed)."""
    before = project_processes(project)
    recipe = in_a_terminal(project, *args, timeout=timeout)
    try:
        recipe.expect(pexpect.EOF)
        status = recipe.wait()
    except pexpect.TIMEOUT:
        print(plain(recipe.before or "")[-20000:])
        raise AssertionError(f"just {' '.join(args)} hung (stopped by its terminal?)") from None
    finally:
        stop(recipe, project_processes(project) - before)
    output = plain(recipe.before or "")
    print(output[-20000:])
    return status, output


def plain(output: str) -> str:
    return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", output).replace("\r\n", "\n")


def project_processes(project: Path) -> set[int]:
    """Processes working in the project or running its files, the recipe's own and the
    services' (some start sessions of their own, apart from the terminal's)."""
    found = set()
    for entry in Path("/proc").iterdir():
        with contextlib.suppress(OSError):  # gone meanwhile, or not ours to read
            in_project = entry.name.isdigit() and (
                Path(os.readlink(entry / "cwd")).is_relative_to(project)
                or str(project) in (entry / "cmdline").read_text()
            )
            if in_project and int(entry.name) != os.getpid():
                found.add(int(entry.name))
    return found


def stop(recipe: pexpect.spawn, started: set[int]) -> None:
    """End the recipe and kill what it started and left (stopped processes included)."""
    if recipe.isalive():
        recipe.close(force=True)
    for pid in started:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def assert_dev_loop_runs_and_stops_on_ctrl_c(project: Path, port_base: int) -> None:
    """`just dev` in a terminal serves the API and the Vite app and runs a worker; Ctrl-C typed
    into the terminal stops every process it started, without a traceback."""
    log = project / "tmp/dev-test.log"
    log.parent.mkdir(exist_ok=True)
    before = project_processes(project)
    with log.open("w") as output:
        dev = in_a_terminal(project, "dev", timeout=60)
        dev.logfile_read = output
        try:

            def serving(check: Callable[[], bool]) -> Callable[[], bool]:
                def condition() -> bool:
                    dev.expect([pexpect.TIMEOUT, pexpect.EOF], timeout=0.5)  # reads the output
                    assert dev.isalive(), f"just dev ended:\n{log.read_text()[-3000:]}"
                    return check()

                return condition

            wait_until(serving(lambda: "ready." in log.read_text()), "ready worker", log)
            wait_until(serving(lambda: answers(f"http://127.0.0.1:{port_base}/livez")), "API", log)
            vite = f"http://127.0.0.1:{port_base + 1}/"
            wait_until(serving(lambda: answers(vite)), "Vite app", log)
            dev.sendintr()  # the terminal's Ctrl-C: SIGINT to its foreground process group
            dev.expect(pexpect.EOF)
            status = dev.wait()
            with contextlib.suppress(AssertionError):  # grandchildren may take a moment
                wait_until(lambda: not project_processes(project) - before, "end", log, 15)
            left = project_processes(project) - before
        finally:
            stop(dev, project_processes(project) - before)
    text = plain(log.read_text())
    print(text[-5000:])
    # just was in the terminal's foreground too: it got the Ctrl-C and exits 130 ("interrupted
    # by SIGINT") once the recipe has stopped every process; anything else is a failure.
    assert status in (0, 130), f"just dev ended with {status} on Ctrl-C"
    assert not left, f"processes left running after Ctrl-C: {left}"
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
