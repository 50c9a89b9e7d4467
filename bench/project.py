"""The generated project: a render with its services, `just setup` and its test suites."""

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench.common import GIT, project_env, run, timed
from bench.template import copier_copy
from tests.support import FULL_SUITE_PYTHON, destroy_services, free_port_block


@contextmanager
def generated_project(template: Path, workdir: Path) -> Iterator[Path]:
    project = workdir / "app"
    # The project runs here: on the newest offered Python this host has (the default may be newer).
    copier_copy(
        template, project, "v2.0.0", port_base=free_port_block(), python_version=FULL_SUITE_PYTHON
    )
    run([*GIT, "init", "-q", "-b", "main"], project)
    run([*GIT, "add", "-A"], project)
    run([*GIT, "commit", "-q", "-m", "start"], project)
    try:
        yield project
    finally:
        destroy_services(project)


def bench_setup(project: Path, runs: int) -> dict:
    run(["just", "setup"], project)  # first run fills the package caches

    def fresh_venv() -> None:
        shutil.rmtree(project / ".venv", ignore_errors=True)

    return timed(lambda: run(["just", "setup"], project), runs, before=fresh_venv)


# Suites selected by marker exactly as the project's `just test` selects them.
PYTEST_SUITES = {"backend": ["-m", "not browser"], "browser": ["-m", "browser"]}
SLOWEST = 10


def bench_tests(project: Path, runs: int) -> dict:
    """Each suite's time, the whole `just test` (Vitest included), and the slowest tests."""
    env = project_env(project, "test")
    results: dict = {}
    for name, selection in PYTEST_SUITES.items():
        command = ["uv", "run", "pytest", "-q", "-p", "no:cacheprovider", *selection]
        results[name] = timed(lambda command=command: run(command, project, env), runs)
    results["web"] = timed(lambda: run(["just", "web_test"], project), runs)
    results["just test"] = timed(lambda: run(["just", "test"], project), runs)
    return results


def slowest_tests(project: Path) -> dict[str, list[str]]:
    """pytest's --durations report for each suite: the tests a regression would show up in."""
    env = project_env(project, "test")
    report = {}
    for name, selection in PYTEST_SUITES.items():
        command = ["uv", "run", "pytest", "-q", "-p", "no:cacheprovider", *selection]
        output = run([*command, f"--durations={SLOWEST}", "--durations-min=0.5"], project, env)
        section = output.split("slowest", 1)[-1].splitlines()[1:]
        report[name] = [line for line in section if line[:1].isdigit()][:SLOWEST]
    return report
