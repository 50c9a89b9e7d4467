"""The developer lifecycle a render ships: CI workflows, Dockerfile, git hooks, pinned tools.

Every answer set is checked with the real linters the generated project's own CI would run:
actionlint and zizmor (workflows), hadolint (Dockerfile), `lefthook validate` (hooks).
"""

import os
import re
import shutil
import subprocess
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import TEMPLATE_ROOT, Render
from tests.support import FULL_SUITE_PYTHON, OFFERED_PYTHONS, commit_all
from tests.test_render import ANSWER_SETS
from tools.ship_locks import ship_locks


@pytest.fixture(params=list(ANSWER_SETS), ids=list(ANSWER_SETS))
def project(request: pytest.FixtureRequest, render: Render) -> Path:
    """A render committed to a fresh git repository, as a user's first commit leaves it."""
    project = render(**ANSWER_SETS[request.param])
    commit_all(project)
    return project


def run(project: Path, *command: str, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    kwargs.setdefault(
        "env",
        {key: value for key, value in os.environ.items() if not key.startswith("VIRTUAL_ENV")},
    )
    return subprocess.run(
        command, cwd=project, capture_output=True, text=True, timeout=120, **kwargs
    )


def workflows(project: Path) -> list[Path]:
    return sorted((project / ".github/workflows").glob("*.yml"))


def test_workflows_pass_actionlint(project: Path):
    result = run(project, "actionlint", "-no-color", *map(str, workflows(project)))

    assert result.returncode == 0, result.stdout + result.stderr


def test_workflows_pass_zizmor(project: Path):
    result = run(project, "zizmor", "--offline", "--no-progress", ".")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings to report" in result.stdout


def test_ci_workflow_keeps_github_expressions_and_least_privilege(project: Path):
    ci = yaml.safe_load((project / ".github/workflows/ci.yml").read_text())

    assert ci["permissions"] == {}
    assert set(ci["jobs"]) == {"lint", "test", "image"}
    assert {job: spec["permissions"] for job, spec in ci["jobs"].items()} == {
        "lint": {"contents": "read"},
        "test": {"contents": "read"},
        "image": {"contents": "read", "packages": "write"},
    }
    image_steps = ci["jobs"]["image"]["steps"]
    metadata = next(step for step in image_steps if "metadata-action" in step.get("uses", ""))
    assert metadata["with"]["images"] == "ghcr.io/${{ github.repository }}"
    uses = [step.get("uses", "") for job in ci["jobs"].values() for step in job["steps"]]
    assert sum("jdx/mise-action" in action for action in uses) == 2
    runs = [step.get("run", "") for job in ci["jobs"].values() for step in job["steps"]]
    assert runs.count("just test") == 1, "each suite runs once: `just test` runs them all"
    assert not any("browser_test" in run for run in runs)


def test_secrets_workflow_exists_only_with_1password(project: Path):
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    secrets_workflow = project / ".github/workflows/secrets.yml"

    assert secrets_workflow.exists() == answers["use_1password"]
    if answers["use_1password"]:
        steps = yaml.safe_load(secrets_workflow.read_text())["jobs"]["check"]["steps"]
        check = next(step for step in steps if step.get("run") == "just secrets_check")
        assert check["env"] == {
            "OP_SERVICE_ACCOUNT_TOKEN": "${{ secrets.OP_SERVICE_ACCOUNT_TOKEN }}"
        }


def test_dockerfile_passes_hadolint(project: Path):
    result = run(project, "hadolint", "--no-color", "Dockerfile")

    assert result.returncode == 0, result.stdout + result.stderr


def test_dockerfile_builds_with_the_versions_pinned_in_mise_toml(project: Path):
    tools = tomllib.loads((project / "mise.toml").read_text())["tools"]
    arguments = dict(
        re.findall(r"^ARG (\w+)=(\S+)$", (project / "Dockerfile").read_text(), re.MULTILINE)
    )

    assert arguments == {
        "PYTHON_VERSION": tools["python"],
        "NODE_VERSION": tools["node"],
        "PNPM_VERSION": tools["pnpm"],
        "UV_VERSION": tools["uv"],
    }
    assert {"python", "uv", "node", "pnpm", "just", "direnv", "lefthook"} <= tools.keys()


def test_python_version_is_the_answer_everywhere(project: Path):
    version = yaml.safe_load((project / ".copier-answers.yml").read_text())["python_version"]
    pyproject = tomllib.loads((project / "pyproject.toml").read_text())
    ci = yaml.safe_load((project / ".github/workflows/ci.yml").read_text())

    assert tomllib.loads((project / "mise.toml").read_text())["tools"]["python"] == version
    assert (project / ".python-version").read_text().strip() == version
    assert f"\nARG PYTHON_VERSION={version}\n" in (project / "Dockerfile").read_text()
    # requires-python is the oldest Python the template supports, so one uv.lock fits every answer.
    oldest = min(OFFERED_PYTHONS, key=lambda offered: tuple(map(int, offered.split("."))))
    assert pyproject["project"]["requires-python"] == f">={oldest}"
    assert pyproject["tool"]["ruff"]["target-version"] == f"py{version.replace('.', '')}"
    assert pyproject["tool"]["mypy"]["python_version"] == version
    # CI's Python is the runner's real interpreter of .python-version's version (checked above),
    # set up before anything runs uv or just; mise leaves Python alone.
    assert ci["env"]["MISE_DISABLE_TOOLS"] == "python"
    for job in ci["jobs"].values():
        steps = job["steps"]
        runs_python = any(
            "uv " in step.get("run", "") or "just" in step.get("run", "") for step in steps
        )
        if not runs_python:
            continue
        [setup] = [step for step in steps if "actions/setup-python" in step.get("uses", "")]
        assert setup["with"] == {"python-version-file": ".python-version"}
        assert steps.index(setup) < min(index for index, step in enumerate(steps) if "run" in step)


def test_dockerfile_runs_as_non_root_with_a_livez_healthcheck(project: Path):
    dockerfile = (project / "Dockerfile").read_text()
    runtime = dockerfile.split(" AS runtime", 1)[1]

    assert re.search(r"^USER 10001:10001$", runtime, re.MULTILINE)
    assert "/livez" in runtime.split("HEALTHCHECK", 1)[1]
    assert 'ENTRYPOINT ["scripts/run.sh"]' in runtime
    assert "uv sync --locked --no-dev" in dockerfile


def test_dockerignore_keeps_secrets_and_local_state_out(project: Path):
    ignored = (project / ".dockerignore").read_text().splitlines()

    for pattern in (".git", ".venv", "env/*.local.sh", ".env", "tmp", "web/node_modules"):
        assert pattern in ignored


def test_lefthook_config_is_valid(project: Path):
    result = run(project, "lefthook", "validate")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "All good" in result.stdout + result.stderr


def test_shell_scripts_parse(project: Path):
    scripts = [*project.glob("scripts/*.sh"), *project.glob("env/*.sh"), project / ".envrc"]

    for script in scripts:
        result = run(project, "bash", "-n", str(script))
        assert result.returncode == 0, f"{script.name}: {result.stderr}"


def test_build_names_the_missing_lockfile_and_how_to_make_it(render: Render):
    project = render()
    (project / "uv.lock").unlink()

    result = run(project, "just", "build")

    assert result.returncode != 0
    assert "uv.lock is missing" in result.stderr
    assert "Restore it (git checkout uv.lock) or run `uv lock`, commit it" in result.stderr


def test_build_says_plainly_when_no_container_engine_answers(render: Render, tmp_path: Path):
    project = render()
    engines = tmp_path / "engines"
    engines.mkdir()
    for engine in ("docker", "podman"):  # installed, but no daemon or runtime answers
        (engines / engine).write_text("#!/bin/sh\nexit 1\n")
        (engines / engine).chmod(0o755)
    env = {key: value for key, value in os.environ.items() if not key.startswith("VIRTUAL_ENV")}

    result = run(project, "just", "build", env={**env, "PATH": f"{engines}:{env['PATH']}"})

    assert result.returncode != 0
    assert "no container engine answers" in result.stderr


def test_tools_are_installed_by_mise_when_it_is_present(render: Render, tmp_path: Path):
    project = render()
    calls = tmp_path / "mise-calls"
    fake_bin = tmp_path / "bin"
    fake_bin.mkdir()
    (fake_bin / "mise").write_text(f'#!/bin/sh\necho "$@" >> "{calls}"\n')
    (fake_bin / "mise").chmod(0o755)

    result = run(
        project,
        "scripts/tools.sh",
        env={**os.environ, "PATH": f"{fake_bin}{os.pathsep}{os.environ['PATH']}"},
    )

    assert result.returncode == 0, result.stderr
    assert calls.read_text().splitlines() == ["install"]


def test_tools_without_mise_names_every_tool_it_cannot_install(render: Render, tmp_path: Path):
    project = render()
    bare_bin = tmp_path / "bin"
    bare_bin.mkdir()
    for tool in ("bash", "sed", "dirname"):
        (bare_bin / tool).symlink_to(shutil.which(tool))

    result = run(project, "scripts/tools.sh", env={"PATH": str(bare_bin), "HOME": str(tmp_path)})

    assert result.returncode != 0
    for named in (
        "uv (",
        "just (PyPI: pip install rust-just)",
        "lefthook (PyPI",
        "node 24",
        "pnpm",
    ):
        assert named in result.stderr
    assert "direnv: not installed (optional" in result.stderr


def test_tools_fail_clearly_when_the_pinned_python_is_missing(render: Render):
    project = render()
    mise = project / "mise.toml"
    mise.write_text(re.sub(r'(?m)^python = ".*"$', 'python = "3.99"', mise.read_text()))

    result = run(project, "scripts/tools.sh")

    assert result.returncode != 0
    assert "python 3.99, not found (python3 on PATH: 3." in result.stderr


def test_tools_accept_the_pinned_python(render: Render):
    project = render(python_version="3.13")  # the one offered Python every supported host has

    result = run(project, "scripts/tools.sh")

    assert "(mise.toml pins python 3.13)" in result.stderr, result.stderr
    assert "not found" not in result.stderr


@pytest.mark.parametrize(
    "answers",
    [*ANSWER_SETS.values(), {"project_name": "Zebra Crossing Shop"}],
    ids=[*ANSWER_SETS, "another-name"],
)
def test_shipped_uv_lock_is_current_for_every_answer_set(render: Render, answers: dict[str, Any]):
    assert FULL_SUITE_PYTHON, "no offered Python on this machine to run uv with"
    """The lock is what CI tested: `uv sync --locked` (setup, CI, the image) refuses a stale one."""
    project = render(**answers)
    env = {key: value for key, value in os.environ.items() if not key.startswith("VIRTUAL_ENV")}

    # uv resolves for every supported Python at once; any interpreter here will do.
    result = run(project, "uv", "lock", "--check", "--python", FULL_SUITE_PYTHON, env=env)

    assert result.returncode == 0, result.stderr


def test_ci_and_the_image_install_exactly_the_lock(project: Path):
    ci = (project / ".github/workflows/ci.yml").read_text()
    dockerfile = (project / "Dockerfile").read_text()

    assert "uv sync --locked" in ci
    assert "uv sync --frozen" not in ci + dockerfile
    assert "uv sync --locked --no-dev" in dockerfile


@pytest.fixture
def direnv_env(tmp_path: Path) -> dict[str, str]:
    """An environment where direnv keeps its allow-list under tmp_path, not in the real home."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("VIRTUAL_ENV", "PROJECT_ENV", "APP_ENV", "DIRENV"))
    }
    return {
        **env,
        "HOME": str(tmp_path),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
    }


def test_direnv_loads_the_same_layers_as_the_recipes(render: Render, direnv_env: dict[str, str]):
    project = render(port_base=31000)
    run(project, "direnv", "allow", ".", env=direnv_env)

    result = run(
        project,
        *["direnv", "exec", ".", "bash", "-c", 'echo "$APP_ENV $API_PORT $DATABASE_URL"'],
        env=direnv_env,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "dev 31000 postgresql://app:app@127.0.0.1:31002/demo_app"


def test_direnv_fails_loudly_when_a_reference_cannot_be_resolved(
    render: Render, direnv_env: dict[str, str]
):
    project = render(use_1password=True)
    with (project / "env/dev.sh").open("a") as dev:
        dev.write('export STRIPE_KEY="op://${OP_VAULT}/dev/stripe-key"\n')
    run(project, "direnv", "allow", ".", env=direnv_env)

    result = run(project, "direnv", "exec", ".", "true", env=direnv_env)

    assert result.returncode != 0
    assert "STRIPE_KEY are 1Password references, but the 1Password CLI `op` is missing" in (
        result.stderr
    )


def test_deps_upgrade_ships_a_renders_locks_back_unchanged(render: Render, tmp_path: Path):
    """`just deps_upgrade` writes a render's locks into the template: a render of the shipped locks
    goes back byte for byte, so the template's lock is the one the render was tested with."""
    project = render()
    shipped = tmp_path / "template"
    (shipped / "web").mkdir(parents=True)

    ship_locks(project, shipped)

    for name in ("uv.lock.jinja", "web/pnpm-lock.yaml", "web/package.json"):
        assert (shipped / name).read_text() == (TEMPLATE_ROOT / "template" / name).read_text()


def test_the_templates_own_workflows_pass_actionlint_and_zizmor():
    """The template repository's CI and drift workflows meet the bar its renders meet."""
    lint = run(TEMPLATE_ROOT, "actionlint", "-no-color", *map(str, workflows(TEMPLATE_ROOT)))
    audit = run(TEMPLATE_ROOT, "zizmor", "--offline", "--no-progress", ".github")

    assert lint.returncode == 0, lint.stdout + lint.stderr
    assert audit.returncode == 0, audit.stdout + audit.stderr
    assert "No findings to report" in audit.stdout
