"""Every Python version the template offers runs the generated project's backend suite (models,
routes, alembic migrations, the Celery worker tests): natively when the host has that interpreter,
otherwise inside a `python:X.Y-slim` container (a Debian stand-in where registries are out of
reach, tests/base_images.py) with the project's services on the host (`--network host`).

The version `tests/test_generated_project.py` runs natively with the whole suite is skipped here.
"""

import subprocess

import pytest

from tests.base_images import container_engine, run_in_python_image
from tests.conftest import FULL_SUITE_PYTHON, OFFERED_PYTHONS, Render, host_has_python
from tests.support import clean_env, destroy_services, free_port_block

pytestmark = pytest.mark.slow

# The backend suite, as `just test` runs it before the web and browser suites, after naming the
# interpreter it runs on.
BACKEND_SUITE = (
    "uv run python -c 'import platform; print(\"Python\", platform.python_version())'"
    " && source scripts/env.sh && uv run app ensure-database"
    " && source scripts/env.sh test && uv run app ensure-database"
    ' && uv run pytest -m "not integration" -p no:cacheprovider -q'
)


@pytest.mark.parametrize("version", [v for v in OFFERED_PYTHONS if v != FULL_SUITE_PYTHON])
def test_backend_suite_passes_on_every_offered_python(render: Render, version: str):
    project = render(python_version=version, port_base=free_port_block())
    services = "source scripts/env.sh && scripts/services.sh up"
    up = subprocess.run(["bash", "-c", services], cwd=project, env=clean_env())
    try:
        assert up.returncode == 0, "the project's services did not start"
        if host_has_python(version):
            suite = subprocess.run(
                ["bash", "-c", BACKEND_SUITE],
                cwd=project,
                env=clean_env(),
                capture_output=True,
                text=True,
                timeout=1800,
            )
        else:
            engine = container_engine()
            assert engine, "no container engine answers: install Docker or Podman (see .ci/run)"
            suite = run_in_python_image(engine, project, version, BACKEND_SUITE)
        print(suite.stdout[-20000:], suite.stderr[-20000:])
        assert suite.returncode == 0, f"the backend suite failed on Python {version}"
        assert f"Python {version}." in suite.stdout
        assert " passed" in suite.stdout
        assert " failed" not in suite.stdout
    finally:
        destroy_services(project)
