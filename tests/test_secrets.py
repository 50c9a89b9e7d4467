"""1Password secrets in a rendered project: one `op inject` per load, recipes, clear failures.

A fake `op` on PATH (tests/fakes/op.py) records its calls and answers from a fixture vault; a
fake `gh` records what would be stored as a GitHub Actions secret.
"""

import stat
import subprocess
from pathlib import Path

import pytest

from tests.conftest import FakeTools, Render

SHOW_PRODUCTION = 'source scripts/env.sh production && printf "%s\\n" "$SECRET_KEY" "$DATABASE_URL"'


@pytest.fixture
def project(render: Render) -> Path:
    return render(use_1password=True)


def bash(project: Path, script: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def just(project: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["just", *args], cwd=project, env=env, capture_output=True, text=True, timeout=60
    )


def test_production_layer_resolves_every_reference_with_one_op_inject(
    project: Path, fake_tools: FakeTools
):
    result = bash(project, SHOW_PRODUCTION, fake_tools.env())

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "resolved-production-secret-key-0123456789",
        "postgresql://prod:pw@db.internal:5432/app",
    ]
    commands = [call["argv"][0] for call in fake_tools.op_calls() if "argv" in call]
    assert commands == ["whoami", "inject"]


def test_resolved_secrets_are_written_0600_outside_the_project_and_removed(
    project: Path, fake_tools: FakeTools
):
    bash(project, SHOW_PRODUCTION, fake_tools.env())

    [written] = [call for call in fake_tools.op_calls() if "wrote" in call]
    assert written["mode"] == stat.S_IRUSR | stat.S_IWUSR
    assert not Path(written["wrote"]).is_relative_to(project)
    assert not Path(written["wrote"]).exists()
    assert not Path(written["wrote"]).parent.exists()


def test_layers_without_references_never_call_op(project: Path, fake_tools: FakeTools):
    for layer in ("dev", "test"):
        result = bash(project, f"source scripts/env.sh {layer}", fake_tools.env(with_op=False))

        assert result.returncode == 0, result.stderr
    assert fake_tools.op_calls() == []


def test_missing_op_names_the_install_and_the_fake_mode(project: Path, fake_tools: FakeTools):
    result = bash(project, SHOW_PRODUCTION, fake_tools.env(with_op=False))

    assert result.returncode != 0
    assert "`op` is missing" in result.stderr
    assert "OP_DISABLED=1" in result.stderr
    assert result.stdout == ""


def test_signed_out_op_says_how_to_sign_in(project: Path, fake_tools: FakeTools):
    result = bash(project, SHOW_PRODUCTION, fake_tools.env(signed_in=False))

    assert result.returncode != 0
    assert "not signed in" in result.stderr
    assert "op signin" in result.stderr
    assert [call["argv"][0] for call in fake_tools.op_calls()] == ["whoami"]


def test_unresolvable_reference_fails_loudly_and_leaves_nothing(
    project: Path, fake_tools: FakeTools
):
    del fake_tools.vault["op://demo-app/production/redis-url"]

    result = bash(project, SHOW_PRODUCTION, fake_tools.env())

    assert result.returncode != 0
    assert "could not resolve" in result.stderr
    assert "op://demo-app/production/redis-url" in result.stderr
    assert not [call for call in fake_tools.op_calls() if "wrote" in call]


def test_op_disabled_gives_labelled_fake_values_without_op(project: Path, fake_tools: FakeTools):
    env = fake_tools.env(with_op=False, OP_DISABLED="1")

    result = bash(project, SHOW_PRODUCTION, env)

    assert result.returncode == 0, result.stderr
    secret_key, database_url = result.stdout.splitlines()
    assert secret_key == "fake-secret_key-from-op-disabled-not-a-secret"
    assert database_url.startswith("fake-")
    assert "OP_DISABLED=1" in result.stderr


def test_secrets_check_names_what_resolved_and_never_prints_values(
    project: Path, fake_tools: FakeTools
):
    result = just(project, "secrets_check", env=fake_tools.env())

    assert result.returncode == 0, result.stderr
    assert "production: DATABASE_URL REDIS_URL SECRET_KEY resolved" in result.stdout
    assert "dev: no references resolved" in result.stdout
    assert "resolved-production-secret-key" not in result.stdout + result.stderr


def test_secrets_check_fails_when_a_reference_does_not_resolve(
    project: Path, fake_tools: FakeTools
):
    del fake_tools.vault["op://demo-app/production/secret-key"]

    result = just(project, "secrets_check", env=fake_tools.env())

    assert result.returncode != 0
    assert "unresolved references in: production" in result.stderr


def test_secrets_check_refuses_fake_mode(project: Path, fake_tools: FakeTools):
    result = just(project, "secrets_check", env=fake_tools.env(OP_DISABLED="1"))

    assert result.returncode != 0
    assert "OP_DISABLED=1" in result.stderr


def test_secrets_export_prints_the_resolved_layer_as_an_env_file(
    project: Path, fake_tools: FakeTools
):
    result = just(project, "secrets_export", "production", env=fake_tools.env())

    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "SECRET_KEY=resolved-production-secret-key-0123456789" in lines
    assert "DATABASE_URL=postgresql://prod:pw@db.internal:5432/app" in lines
    assert "ENVIRONMENT=production" in lines
    assert "op://" not in result.stdout
    assert all("=" in line for line in lines)


def test_service_token_is_read_only_and_piped_into_a_github_actions_secret(
    project: Path, fake_tools: FakeTools
):
    result = bash(
        project, "just secrets_service_token | just secrets_ci acme-corp/demo-app", fake_tools.env()
    )

    assert result.returncode == 0, result.stderr
    assert {
        "argv": [
            *["service-account", "create", "demo-app-ci"],
            *["--vault", "demo-app:read_items", "--expires-in", "90d", "--raw"],
        ]
    } in fake_tools.op_calls()
    assert fake_tools.gh_calls() == [
        {
            "argv": ["secret", "set", "OP_SERVICE_ACCOUNT_TOKEN", "--repo", "acme-corp/demo-app"],
            "stdin": "ops_fake_token_for_demo-app-ci",
        }
    ]
    assert "ops_fake_token" not in result.stdout + result.stderr


def test_secrets_ci_without_a_token_says_how_to_get_one(project: Path, fake_tools: FakeTools):
    result = bash(project, "just secrets_ci < /dev/null", fake_tools.env())

    assert result.returncode != 0
    assert "just secrets_service_token | just secrets_ci" in result.stderr
    assert fake_tools.gh_calls() == []


def test_without_1password_nothing_mentions_it(render: Render):
    project = render()

    mentions = [
        str(path.relative_to(project))
        for path in project.rglob("*")
        if path.is_file()
        and path.name != ".copier-answers.yml"
        and b"\0" not in (content := path.read_bytes())  # images: bytes that can spell OP_
        and any(word in content.decode(errors="ignore") for word in ("1Password", "op://", "OP_"))
    ]

    assert mentions == []
    assert (project / "env/production.local.sh.example").is_file()
    assert not (project / "just/secrets.just").exists()
    assert (
        "secrets_"
        not in subprocess.run(
            ["just", "--list"], cwd=project, capture_output=True, text=True, check=True
        ).stdout
    )
