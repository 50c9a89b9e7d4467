"""Helpers shared by the template's tests and `just bench`: git, just, ports, project trees."""

import filecmp
import json
import os
import random
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from copier import run_copy

BASE_ANSWERS = {"project_name": "Demo App"}
ROOT = Path(__file__).resolve().parent.parent

OFFERED_PYTHONS: list[str] = yaml.safe_load((ROOT / "copier.yml").read_text())["python_version"][
    "choices"
]


def host_has_python(version: str) -> bool:
    """Whether uv finds this interpreter here without downloading one."""
    find = ["uv", "python", "find", "--no-python-downloads", version]
    return subprocess.run(find, capture_output=True, cwd=ROOT).returncode == 0


# The offered Pythons uv finds here run natively; the others in a container (tests/base_images.py).
NATIVE_PYTHONS = [version for version in OFFERED_PYTHONS if host_has_python(version)]
CONTAINER_PYTHONS = [version for version in OFFERED_PYTHONS if version not in NATIVE_PYTHONS]
# The newest of them: tests that run a generated project natively render it with this answer (the
# whole suite: tests/test_generated_project.py); tests/test_python_versions.py covers the others.
FULL_SUITE_PYTHON = max(
    NATIVE_PYTHONS, key=lambda version: tuple(map(int, version.split("."))), default=None
)


def git(repo: Path, *args: str) -> str:
    result = subprocess.run(
        ["git", "-c", "user.name=Template Tests", "-c", "user.email=tests@example.com", *args],
        cwd=repo,
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout


def clean_env(**extra: str) -> dict[str, str]:
    """This process's environment without its virtualenv, so a project's own `uv run` wins."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("VIRTUAL_ENV")}
    return {**env, **extra}


def just(project: Path, *args: str, timeout: int = 900) -> subprocess.CompletedProcess[str]:
    """Run a recipe in `project`, printing the tail of its output for the test report."""
    result = subprocess.run(
        ["just", *args],
        cwd=project,
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    print(result.stdout[-20000:], result.stderr[-20000:])
    return result


def destroy_services(project: Path) -> None:
    """Stop a project's services and delete their data (`just services_destroy`)."""
    subprocess.run(
        ["just", "services_destroy"], cwd=project, env=clean_env(), capture_output=True, timeout=120
    )


def free_port_block(size: int = 10) -> int:
    """A port_base whose whole block is free now and handed to no other test of this run (a block's
    services may start minutes after it is chosen), below the ports Linux gives outgoing
    connections (from 32768) and the defaults derived from slugs (from 20000)."""
    for _ in range(200):
        base = random.randrange(10000, 20000, 10)
        if all(_port_is_free(port) for port in range(base, base + size)) and _claim(base):
            return base
    raise RuntimeError("no free block of ports found between 10000 and 20000")


PORT_CLAIMS = "TEMPLATE_TESTS_PORT_CLAIMS"  # a directory: one file per block handed out


def _claim(base: int) -> bool:
    """Claim a block for this test run; pytest-xdist's workers inherit the claims directory that
    tests/conftest.py makes before they start."""
    claims = os.environ.get(PORT_CLAIMS)
    if claims is None:
        claims = os.environ[PORT_CLAIMS] = tempfile.mkdtemp(prefix="port-claims-")
    try:
        (Path(claims) / str(base)).touch(exist_ok=False)
    except FileExistsError:
        return False
    return True


def _port_is_free(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def render_at(template: Path, destination: Path, ref: str, **answers: object) -> Path:
    """Render the template as it stands at git `ref` (a tag, or HEAD)."""
    run_copy(
        str(template),
        destination,
        data={**BASE_ANSWERS, **answers},
        vcs_ref=ref,
        defaults=True,
        unsafe=True,
        quiet=True,
    )
    return destination


def commit_all(project: Path, message: str = "Start from copier-fullstack") -> None:
    """Stage and commit everything, starting the repository first if there is none."""
    if not (project / ".git").exists():
        git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", message)


def new_project(template: Path, destination: Path, ref: str, **answers: object) -> Path:
    """A rendered project in its own git repository, committed as its first commit."""
    project = render_at(template, destination, ref, **answers)
    commit_all(project)
    return project


def tree(root: Path) -> set[str]:
    return {
        str(path.relative_to(root))
        for path in root.rglob("*")
        if path.is_file() and ".git" not in path.relative_to(root).parts
    }


def differing_files(left: Path, right: Path) -> set[str]:
    """Files present in only one tree or different in content (the answers file included)."""
    left_files, right_files = tree(left), tree(right)
    common = sorted(left_files & right_files)
    _, mismatch, errors = filecmp.cmpfiles(left, right, common, shallow=False)
    return (left_files ^ right_files) | set(mismatch) | set(errors)


def changed_paths(project: Path) -> set[str]:
    """Paths `git status` reports as changed, added, deleted or unmerged."""
    lines = git(project, "status", "--porcelain", "--untracked-files=all").splitlines()
    return {line[3:] for line in lines}


def engine_run(
    engine: str, *args: str, check: bool = True, timeout: int = 300
) -> subprocess.CompletedProcess[str]:
    """One container-engine command (docker or podman), failing with its output when it fails."""
    result = subprocess.run([engine, *args], capture_output=True, text=True, timeout=timeout)
    if check:
        assert result.returncode == 0, f"{engine} {' '.join(args)}:\n{result.stdout}{result.stderr}"
    return result


def fetch(
    url: str, method: str = "GET", payload: dict[str, Any] | None = None, **headers: str
) -> tuple[int, Any, bytes]:
    """One HTTP exchange over a new connection: (status, headers, body), whatever the status."""
    data = json.dumps(payload).encode() if payload is not None else None
    if data is not None:
        headers["Content-Type"] = "application/json"
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def wait_until(probe: Callable[[], Any], what: str, timeout: float = 120) -> Any:
    """Poll `probe` until it returns something truthy (refused connections count as not yet);
    fail naming `what` after `timeout` s."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if answer := probe():
                return answer
        except OSError:
            pass
        time.sleep(0.5)
    raise AssertionError(f"{what} within {timeout}s")
