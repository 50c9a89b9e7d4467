"""The generated project: a render with its services, `just setup` and its test suites."""

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench.common import GIT, project_env, run, timed
from bench.template import copier_copy
from tests.support import destroy_services, free_port_block


@contextmanager
def generated_project(template: Path, workdir: Path) -> Iterator[Path]:
    project = workdir / "app"
    copier_copy(template, project, "v2.0.0", port_base=free_port_block())
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


def bench_tests(project: Path, runs: int) -> tuple[dict, dict[str, list[str]]]:
    """Each suite's time (with the machine's load beside it), the whole `just test` (Vitest
    included), and each pytest suite's slowest tests (`--durations`, from its last run)."""
    env = project_env(project, "test")
    times: dict = {}
    slowest: dict[str, list[str]] = {}
    for name, selection in PYTEST_SUITES.items():
        command = [
            *["uv", "run", "pytest", "-q", "-p", "no:cacheprovider", *selection],
            *[f"--durations={SLOWEST}", "--durations-min=0.5"],
        ]
        outputs: list[str] = []
        times[name] = timed(
            lambda command=command, outputs=outputs: outputs.append(run(command, project, env)),
            runs,
        )
        section = outputs[-1].split("slowest", 1)[-1].splitlines()[1:]
        slowest[name] = [line for line in section if line[:1].isdigit()][:SLOWEST]
    times["web"] = timed(lambda: run(["just", "web_test"], project), runs)
    times["just test"] = timed(lambda: run(["just", "test"], project), runs)
    return times, slowest
