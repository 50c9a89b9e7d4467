"""Fixtures for testing the template: render it with copier's API into temporary directories."""

import random
import shutil
import socket
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from copier import run_copy

TEMPLATE_ROOT = Path(__file__).resolve().parent.parent

Render = Callable[..., Path]


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


@pytest.fixture
def render(template_snapshot: Path, tmp_path: Path) -> Render:
    """Render the template with the given answers (defaults for the rest) and return the project."""

    def render(destination: str = "project", **answers: object) -> Path:
        data = {"project_name": "Demo App", **answers}
        target = tmp_path / destination
        run_copy(str(template_snapshot), target, data=data, defaults=True, unsafe=True, quiet=True)
        return target

    return render


def git(repo: Path, *args: str) -> str:
    result = subprocess.run(
        ["git", "-c", "user.name=Template Tests", "-c", "user.email=tests@example.com", *args],
        cwd=repo,
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout


def free_port_block(size: int = 10) -> int:
    """A port_base whose whole block is free now, so concurrent runs never share services."""
    for _ in range(200):
        base = random.randrange(40000, 60000, size)
        if all(_port_is_free(port) for port in range(base, base + size)):
            return base
    raise RuntimeError("no free block of ports found between 40000 and 60000")


def _port_is_free(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True
