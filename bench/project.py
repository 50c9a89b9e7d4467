"""The generated project: a render with its services, `just setup` and its test suites."""

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench.common import GIT, run, timed
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


# Each suite by the recipe `just test` runs it with (pytest's arguments go to the pytest ones), then
# the inner loop's two tiers.
SUITES = {
    "backend": "backend_test",
    "web": "web_test",
    "browser": "browser_test",
    "test_fast": "test_fast",
}
PYTEST_SUITES = ("backend", "browser", "test_fast")
SLOWEST = 10
# `just test_changed` after a one-line change inside one route's function: the edit a save makes.
CHANGED_MODULE = "app/items/routes.py"
CHANGED_FUNCTION = "async def create_item("
PROBE = "    assert item_in is not None  # bench: a one-line change\n"


def bench_tests(project: Path, runs: int) -> tuple[dict, dict[str, list[str]]]:
    """Each suite's time and CPU (with the machine's load beside it), the in-process tiers, the
    whole `just test`, and each pytest suite's slowest tests (`--durations`, from its last run)."""
    times: dict = {}
    slowest: dict[str, list[str]] = {}
    for name, recipe in SUITES.items():
        command = ["just", recipe]
        if name in PYTEST_SUITES:
            command += [
                "-q",
                "-p",
                "no:cacheprovider",
                f"--durations={SLOWEST}",
                "--durations-min=0.5",
            ]
        outputs: list[str] = []
        times[name] = timed(
            lambda command=command, outputs=outputs: outputs.append(run(command, project)), runs
        )
        if name in PYTEST_SUITES:
            section = outputs[-1].split("slowest", 1)[-1].splitlines()[1:]
            slowest[name] = [line for line in section if line[:1].isdigit()][:SLOWEST]
    times["test_changed (one-line change)"] = bench_test_changed(project, runs)
    times["just test"] = timed(lambda: run(["just", "test"], project), runs)
    return times, slowest


def bench_test_changed(project: Path, runs: int) -> dict:
    """`just test_changed` after the probe's one-line edit (testmon's record made first)."""
    module = project / CHANGED_MODULE
    original = module.read_text()
    head, found, body = original.partition(CHANGED_FUNCTION)
    if not found:
        raise RuntimeError(f"{CHANGED_MODULE} has no `{CHANGED_FUNCTION}` to change: update bench")
    signature, newline, rest = body.partition("\n")
    changed = f"{head}{found}{signature}{newline}{PROBE}{rest}"
    run(["just", "test_changed"], project)  # records what each test runs
    edits = iter([changed, original] * runs)  # each run changes the line again (added, removed)

    def edit() -> None:
        module.write_text(next(edits))

    try:
        return timed(lambda: run(["just", "test_changed"], project), runs, before=edit)
    finally:
        module.write_text(original)
