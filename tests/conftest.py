"""Fixtures for testing the template: render it with copier's API into temporary directories."""

import json
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from copier import run_copy
from filelock import FileLock

from tests.support import PORT_CLAIMS, free_port_block, git

__all__ = ["free_port_block"]  # its home is tests.support; older imports name this module

TEMPLATE_ROOT = Path(__file__).resolve().parent.parent

Render = Callable[..., Path]

# Files the tests write into a project (fixtures/team_project/tests/…), not tests of the template.
collect_ignore = ["fixtures"]


def pytest_configure(config: pytest.Config) -> None:
    """One directory of port claims for the whole run, made before xdist starts its workers."""
    if not hasattr(config, "workerinput"):
        os.environ[PORT_CLAIMS] = tempfile.mkdtemp(prefix="port-claims-")


def pytest_unconfigure(config: pytest.Config) -> None:
    if not hasattr(config, "workerinput"):
        shutil.rmtree(os.environ.pop(PORT_CLAIMS), ignore_errors=True)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The slow tests last: `just test` runs the quick ones on both of its xdist workers first."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is not None)


@pytest.fixture(autouse=True)
def one_slow_test_at_a_time(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, worker_id: str
) -> Iterator[None]:
    """A slow test runs a whole project's suites, with timing-bound outage and worker checks,
    against services and browsers it starts: two at once on two cores would compete, so the slow
    tests take turns across xdist workers (the lock is in the directory the workers share)."""
    if worker_id == "master" or request.node.get_closest_marker("slow") is None:
        yield
        return
    with FileLock(tmp_path_factory.getbasetemp().parent / "slow-tests.lock"):
        yield


@pytest.fixture(scope="session")
def template_snapshot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A committed copy of the template's working tree, so renders see uncommitted edits too."""
    snapshot = tmp_path_factory.mktemp("template") / "repo"
    ignore = shutil.ignore_patterns(
        ".git", ".venv", "tmp", "__pycache__", "*_cache", "node_modules"
    )
    shutil.copytree(TEMPLATE_ROOT, snapshot, ignore=ignore)
    git(snapshot, "init", "-q", "-b", "main")
    git(snapshot, "add", "-A")
    git(snapshot, "commit", "-q", "-m", "snapshot")
    return snapshot


@pytest.fixture(scope="session")
def pristine_renders(template_snapshot: Path, tmp_path_factory: pytest.TempPathFactory):
    """One render of the snapshot per set of answers, made the first time a test asks for it.

    A render takes seconds of CPU (copier compiles every path and file, and calls git per file)
    and copying one takes milliseconds, while most tests render one of a few answer sets.
    """
    renders: dict[str, Path] = {}

    def pristine(data: dict[str, object]) -> Path:
        key = json.dumps(data, sort_keys=True)
        if key not in renders:
            target = tmp_path_factory.mktemp("pristine") / "project"
            run_copy(
                str(template_snapshot), target, data=data, defaults=True, unsafe=True, quiet=True
            )
            renders[key] = target
        return renders[key]

    return pristine


@pytest.fixture
def render(pristine_renders: Callable[[dict[str, object]], Path], tmp_path: Path) -> Render:
    """Render the template with the given answers (defaults for the rest) and return the project:
    the test's own copy of the session's render of those answers (copier renders deterministically,
    so the copy is the tree a render here would write, its empty git repository included)."""

    def render(destination: str = "project", **answers: object) -> Path:
        data = {"project_name": "Demo App", **answers}
        return Path(shutil.copytree(pristine_renders(data), tmp_path / destination, symlinks=True))

    return render


FAKES = Path(__file__).resolve().parent / "fakes"


class FakeTools:
    """Fake `op` and `gh` executables on PATH, with the calls they received."""

    def __init__(self, root: Path, vault: dict[str, str]) -> None:
        self.bin = root / "bin"
        self.bin.mkdir()
        self.op_log = root / "op.jsonl"
        self.gh_log = root / "gh.jsonl"
        self.vault_file = root / "vault.json"
        self.vault = vault
        for tool in ("op", "gh"):
            shim = self.bin / tool
            shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" "{FAKES / tool}.py" "$@"\n')
            shim.chmod(0o755)

    def env(self, *, with_op: bool = True, signed_in: bool = True, **extra: str) -> dict[str, str]:
        """The environment for a subprocess: clean of virtualenv and project variables."""
        self.vault_file.write_text(json.dumps(self.vault))
        base = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("VIRTUAL_ENV", "PROJECT_ENV", "OP_", "APP_ENV"))
        }
        path = base["PATH"] if not with_op else f"{self.bin}{os.pathsep}{base['PATH']}"
        return {
            **base,
            "PATH": path,
            "FAKE_OP_LOG": str(self.op_log),
            "FAKE_GH_LOG": str(self.gh_log),
            "FAKE_OP_VAULT": str(self.vault_file),
            "FAKE_OP_SIGNED_IN": "1" if signed_in else "0",
            **extra,
        }

    def op_calls(self) -> list[dict]:
        return _json_lines(self.op_log)

    def gh_calls(self) -> list[dict]:
        return _json_lines(self.gh_log)


def _json_lines(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines()]


@pytest.fixture
def fake_tools(tmp_path: Path) -> FakeTools:
    """Fake `op` (answering from a vault of the 1Password-on render's references) and `gh`."""
    root = tmp_path / "fake-tools"
    root.mkdir()
    return FakeTools(
        root,
        vault={
            "op://demo-app/production/secret-key": "resolved-production-secret-key-0123456789",
            "op://demo-app/production/database-url": "postgresql://prod:pw@db.internal:5432/app",
            "op://demo-app/production/redis-url": "redis://cache.internal:6379/0",
        },
    )
