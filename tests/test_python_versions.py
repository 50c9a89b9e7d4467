"""Every Python version the template offers runs the generated project's backend suite (models,
routes, Alembic migrations, the Celery worker tests): natively when uv finds that interpreter here,
otherwise in a container made from Debian's root file system (tests/base_images.py), with the
project's Postgres and Redis on the host (`--network host`).

The version tests/test_generated_project.py runs natively with every suite is left out here.
"""

import subprocess

import pytest

from tests.base_images import backend_suite_image, container_engine, run_in_container
from tests.conftest import Render
from tests.support import (
    CONTAINER_PYTHONS,
    FULL_SUITE_PYTHON,
    OFFERED_PYTHONS,
    clean_env,
    destroy_services,
    free_port_block,
    host_has_python,
)

pytestmark = pytest.mark.slow

VERSIONS = [version for version in OFFERED_PYTHONS if version != FULL_SUITE_PYTHON]
# The backend suite as `just test` runs it (services up, test database, pytest), without what is
# not Python's: the browser suite and the tests that drive the web toolchain (Node, pnpm).
BACKEND_SUITE = """
uv run --no-project python -c 'import platform; print("Python", platform.python_version())'
source scripts/env.sh test
uv run app ensure-database
uv run pytest -m "not browser and not web_toolchain" -p no:cacheprovider -q --durations=10
"""
# One test calls `just secret`.
JUST_IN_CONTAINER = "UV_TOOL_BIN_DIR=/usr/local/bin uv tool install --quiet rust-just\n"


@pytest.fixture(scope="module")
def container_image() -> tuple[str, str] | None:
    """The engine and the image for the versions uv does not find here (built once per run)."""
    if not CONTAINER_PYTHONS:
        return None
    engine = container_engine()
    assert engine, f"{CONTAINER_PYTHONS} need a container engine here: install Podman (.ci/run)"
    return engine, backend_suite_image(engine, CONTAINER_PYTHONS)


@pytest.mark.parametrize("version", VERSIONS)
def test_backend_suite_passes_on_every_offered_python(
    render: Render, version: str, container_image: tuple[str, str] | None
):
    project = render(python_version=version, port_base=free_port_block())
    services = "source scripts/env.sh && scripts/services.sh up"
    try:
        up = subprocess.run(["bash", "-c", services], cwd=project, env=clean_env())
        assert up.returncode == 0, "the project's services did not start"
        if host_has_python(version):
            suite = subprocess.run(
                ["bash", "-euo", "pipefail", "-c", BACKEND_SUITE],
                cwd=project,
                env=clean_env(),
                capture_output=True,
                text=True,
                timeout=1800,
            )
        else:
            assert container_image
            engine, image = container_image
            suite = run_in_container(engine, image, project, JUST_IN_CONTAINER + BACKEND_SUITE)
        print(suite.stdout[-20000:], suite.stderr[-20000:])
        assert suite.returncode == 0, f"the backend suite failed on Python {version}"
        assert f"Python {version}." in suite.stdout
        assert " passed" in suite.stdout
        assert " failed" not in suite.stdout
    finally:
        destroy_services(project)
