"""The production image's recipe, run natively: no container engine answers on this machine and
base images cannot be pulled, so these tests run the Dockerfile's steps in a copy of the project
filtered by its .dockerignore, then start the image's command and probe it like HEALTHCHECK does.
"""

import fnmatch
import json
import os
import re
import shutil
import subprocess
import urllib.request
from pathlib import Path

import pytest
from mirakuru import HTTPExecutor

from tests.conftest import Render
from tests.support import free_port_block

pytestmark = pytest.mark.slow


def clean_env(**extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("VIRTUAL_ENV")}
    return {**env, **extra}


def run(cwd: Path, *command: str, env: dict[str, str] | None = None) -> None:
    result = subprocess.run(
        command, cwd=cwd, env=env or clean_env(), capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, f"{' '.join(command)}:\n{result.stdout}\n{result.stderr}"


def build_context(project: Path, destination: Path) -> Path:
    """Copy the project as `docker build` would see it: without what .dockerignore names."""
    patterns = [
        line.strip()
        for line in (project / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]

    def ignored(directory: str, names: list[str]) -> set[str]:
        relative = Path(directory).relative_to(project)
        return {
            name
            for name in names
            for pattern in patterns
            if fnmatch.fnmatch(str(relative / name), pattern.removeprefix("**/"))
            or (pattern.startswith("**/") and fnmatch.fnmatch(name, pattern[3:]))
        }

    shutil.copytree(project, destination, ignore=ignored)
    return destination


def healthcheck_command(dockerfile: str) -> list[str]:
    match = re.search(r"^HEALTHCHECK (?:.*\\\n)*?\s*CMD (\[.*\])$", dockerfile, re.MULTILINE)
    assert match, "Dockerfile has no exec-form HEALTHCHECK"
    return json.loads(match.group(1))


def get_as_browser(url: str) -> bytes:
    """GET `url` as a browser would (the SPA fallback answers only requests that accept HTML)."""
    request = urllib.request.Request(url, headers={"Accept": "text/html,*/*;q=0.8"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.read()


def test_image_build_steps_run_natively_and_serve_the_app(render: Render, tmp_path: Path):
    """The Dockerfile's recipe without an engine: web stage, locked install, the image command."""
    project = render()
    run(project, "uv", "lock")  # a project commits uv.lock after its first `just setup`
    context = build_context(project, tmp_path / "context")
    assert not (context / "env/dev.local.sh").exists()
    venv = context / ".venv"

    run(context / "web", "pnpm", "install", "--frozen-lockfile")
    run(context / "web", "pnpm", "build")
    run(
        context,
        *["uv", "sync", "--frozen", "--no-dev", "--compile-bytecode"],
        env=clean_env(UV_PROJECT_ENVIRONMENT=str(venv), UV_PYTHON_DOWNLOADS="never"),
    )

    assert (context / "web/build/client/index.html").is_file()
    assert (venv / "bin/uvicorn").exists()
    assert not (venv / "bin/pytest").exists(), "dev dependencies must stay out of the image"
    assert list(venv.glob("lib/python*/site-packages/fastapi/__pycache__/*.pyc"))

    port = free_port_block()
    env = clean_env(
        PATH=f"{venv / 'bin'}{os.pathsep}{os.environ['PATH']}",
        ENVIRONMENT="production",
        HOST="127.0.0.1",
        PORT=str(port),
        WEB_CONCURRENCY="1",
        DATABASE_URL=f"postgresql://app:app@127.0.0.1:{port + 2}/app",
        REDIS_URL=f"redis://127.0.0.1:{port + 3}/0",
        SECRET_KEY="image-smoke-test-secret-key-0123456789",
    )
    server = HTTPExecutor(
        ["scripts/run.sh", "web"],
        url=f"http://127.0.0.1:{port}/livez",
        method="GET",
        cwd=str(context),
        envvars=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        timeout=60,
    )
    with server:
        body = get_as_browser(f"http://127.0.0.1:{port}/livez")
        assert json.loads(body)["status"] == "ok"
        page = get_as_browser(f"http://127.0.0.1:{port}/items/new")
        assert page == (context / "web/build/client/index.html").read_bytes()  # SPA fallback

        probe = healthcheck_command((project / "Dockerfile").read_text())
        healthcheck = subprocess.run(probe, env=env, capture_output=True, text=True, timeout=30)
        assert healthcheck.returncode == 0, healthcheck.stderr
