"""Git hooks of a render (lefthook): what pre-commit blocks and what post-merge says to rerun."""

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import Render
from tests.support import FULL_SUITE_PYTHON, clean_env, commit_all, git


def run(project: Path, *command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command, cwd=project, env=clean_env(), capture_output=True, text=True, timeout=120
    )


def lefthook_pre_commit(project: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["lefthook", "run", "pre-commit", "--no-tty"],
        cwd=project,
        capture_output=True,
        text=True,
    )


def test_pre_commit_hook_rejects_conflict_markers_and_rej_files(render: Render):
    assert shutil.which("lefthook"), "lefthook is missing: pip install lefthook"
    project = render(python_version=FULL_SUITE_PYTHON)  # the whole hook runs uv here
    commit_all(project)
    readme = project / "README.md"
    readme.write_text(readme.read_text() + "One more line.\n")
    git(project, "add", "README.md")
    assert lefthook_pre_commit(project).returncode == 0

    (project / "app/server.py.rej").write_text("@@ -1 +1 @@\n-old\n+new\n")
    rejected = lefthook_pre_commit(project)
    assert rejected.returncode != 0
    assert "app/server.py.rej" in rejected.stdout + rejected.stderr
    (project / "app/server.py.rej").unlink()

    readme.write_text(readme.read_text() + "<<<<<<< before updating\nmine\n=======\n")
    git(project, "add", "README.md")
    marked = lefthook_pre_commit(project)
    assert marked.returncode != 0
    assert "Resolve the conflict markers" in marked.stdout + marked.stderr


def test_pre_commit_rejects_copier_rejects_and_conflict_markers(render: Render):
    project = render()
    commit_all(project)
    (project / "app/settings.py.rej").write_text("@@ -1 +1 @@\n-old\n+new\n")
    (project / "notes.md").write_text("<<<<<<< before\nmine\n=======\ntheirs\n>>>>>>> after\n")
    git(project, "add", "-A")

    rejects = run(project, "lefthook", "run", "pre-commit", "--job", "no rejected hunks")
    markers = run(project, "lefthook", "run", "pre-commit", "--job", "no conflict markers")

    assert rejects.returncode != 0
    assert "app/settings.py.rej" in rejects.stdout + rejects.stderr
    assert markers.returncode != 0
    assert "notes.md:1:<<<<<<< before" in markers.stdout + markers.stderr


def test_post_merge_warns_when_migrations_or_lockfiles_change(render: Render):
    project = render()
    commit_all(project)
    git(project, "checkout", "-q", "-b", "feature")
    (project / "migrations/versions/0002_add_tags.py").write_text('"""Add tags."""\n')
    (project / "uv.lock").write_text("version = 1\n")
    commit_all(project, "Add tags")
    git(project, "checkout", "-q", "main")
    git(project, "merge", "-q", "--no-ff", "--no-edit", "feature")

    result = run(project, "lefthook", "run", "post-merge")

    assert result.returncode == 0, result.stdout + result.stderr
    output = result.stdout + result.stderr
    assert "run `just db_migrate`" in output
    assert "never merged by hand): run `uv lock && uv sync`" in output
    assert "web dependencies changed" not in output


# A merge revision as `just db_migrate` writes one after an update: Alembic's random hex ids.
MERGE_REVISION = '''"""merge 0002 0003_admin_audit

Revision ID: 9c4e1f7a2b3d
Revises: 0002, 0003_admin_audit
Create Date: 2026-12-07 21:40:00.000000
"""

revision: str = "9c4e1f7a2b3d"
down_revision: str | None = ("5f8d2a6c9e1b", "0003_admin_audit")
'''


@pytest.mark.slow
@pytest.mark.parametrize("use_1password", [True, False], ids=["1password", "local-files"])
def test_pre_commit_secrets_scan_passes_the_render_and_blocks_a_staged_secret(
    render: Render, use_1password: bool
):
    project = render(use_1password=use_1password, python_version=FULL_SUITE_PYTHON)  # runs uv
    # What an update commits besides the render: a migration merge revision.
    (project / "migrations/versions/20261207_9c4e1f7a2b3d_merge.py").write_text(MERGE_REVISION)
    commit_all(project)

    whole_render = run(
        project, "lefthook", "run", "pre-commit", "--job", "secrets scan", "--all-files"
    )
    (project / "app/leak.py").write_text('AWS_ACCESS_KEY_ID = "AKIAZ7QJ4XNWT2PLM3RH"\n')
    git(project, "add", "app/leak.py")
    staged_leak = run(project, "lefthook", "run", "pre-commit", "--job", "secrets scan")

    assert whole_render.returncode == 0, whole_render.stdout + whole_render.stderr
    assert staged_leak.returncode != 0
    assert "Potential secrets about to be committed" in staged_leak.stdout + staged_leak.stderr
    assert "app/leak.py" in staged_leak.stdout + staged_leak.stderr
