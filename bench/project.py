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


def bench_tests(project: Path, runs: int) -> dict:
    env = project_env(project, "test")
    suites = {"backend": ["tests", "--ignore=tests/integration"]}
    if (project / "tests/integration").is_dir():
        suites["browser"] = ["tests/integration"]
    results = {}
    for name, args in suites.items():
        command = ["uv", "run", "pytest", "-q", "-p", "no:cacheprovider", *args]
        results[name] = timed(lambda command=command: run(command, project, env), runs)
    return results
