"""Updating to the accounts release (issue 10): the largest change a project pulls in.

A throwaway release pair: v0.2.0 is the template as it was just before accounts arrived (taken from
this repository's history), v0.3.0 the working tree. The project made at v0.2.0 has its own model
and migration and an edited items router, like a real one. After the update its migrations have two
heads; the command `just db_heads` prints merges them, and the items it had get the migration's
legacy owner.
"""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import TEMPLATE_ROOT
from tests.support import (
    FULL_SUITE_PYTHON,
    commit_all,
    destroy_services,
    free_port_block,
    git,
    just,
    new_project,
)
from tests.test_update import (
    TAG_MIGRATION,
    TAG_MODEL,
    copy_of,
    edit,
    migration_heads,
    unmerged_paths,
    update,
)

BEFORE, ACCOUNTS = "v0.2.0", "v0.3.0"
ACCOUNTS_MIGRATION = "template/migrations/versions/0002_accounts.py"
MERGE_COMMAND = "uv run alembic merge heads -m 'merge template and project migrations'"
ITEMS_EDIT = ('"""Items, newest first', '"""Our items (edited by the team), newest first')
LEGACY_OWNER = "legacy-owner@example.invalid"


@pytest.fixture(scope="module")
def accounts_releases(template_snapshot: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    added = git(TEMPLATE_ROOT, "log", "--diff-filter=A", "--format=%H", "--", ACCOUNTS_MIGRATION)
    assert added.split(), "git history does not show when accounts arrived (a shallow clone?)"
    repo = tmp_path_factory.mktemp("accounts-releases") / "template"
    git(repo.parent, "clone", "-q", "--no-checkout", str(TEMPLATE_ROOT), str(repo))
    git(repo, "checkout", "-q", "-b", "releases", f"{added.split()[-1]}^")
    git(repo, "tag", BEFORE)
    git(repo, "rm", "-rq", ".")
    ignore = shutil.ignore_patterns(".git")
    shutil.copytree(template_snapshot, repo, ignore=ignore, dirs_exist_ok=True)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "Release with accounts")
    git(repo, "tag", ACCOUNTS)
    return repo


# The team's model as the release before accounts declared ids and text columns; the CHANGELOG
# tells how to move it to the typed form (TAG_MODEL) after updating.
PRE_ACCOUNTS_TAG_MODEL = (
    TAG_MODEL.replace(
        'TagId = Annotated[TypeID[str], typeid_of("tag")]', 'TagId = typeid_of("tag")'
    )
    .replace("name: Annotated[str, text(max_length=50)]", "name: str = Field(max_length=50)")
    .replace("from sqlmodel import SQLModel", "from sqlmodel import Field, SQLModel")
    .replace("from app.models.types import text\n", "")
)


def make_pre_accounts_edits(project: Path) -> None:
    """The team's own table and migration (after the template's last one), an edited router."""
    (project / "app/models/tag.py").write_text(PRE_ACCOUNTS_TAG_MODEL)
    (project / "migrations/versions/0002_create_tags.py").write_text(TAG_MIGRATION)
    edit(
        project,
        "app/models/__init__.py",
        "from app.models.item import",
        "from app.models.tag import Tag\nfrom app.models.item import",
    )
    edit(project, "app/routes/items.py", *ITEMS_EDIT)


@pytest.fixture(scope="module")
def updated_project(accounts_releases: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Made at the release before accounts, edited and committed; not yet updated."""
    project = new_project(
        accounts_releases,
        tmp_path_factory.mktemp("before-accounts") / "project",
        BEFORE,
        port_base=free_port_block(),
        python_version=FULL_SUITE_PYTHON,  # its slow test runs the project here
    )
    make_pre_accounts_edits(project)
    commit_all(project, "Tags, and our wording in the items router")
    return project


def keep_template_side(path: Path) -> None:
    """Resolve inline conflicts by taking the template's side ("after updating")."""
    text = path.read_text()
    resolved = re.sub(
        r"^<{7} .*?\n.*?^={7}\n(.*?)^>{7} .*?\n", r"\1", text, flags=re.DOTALL | re.MULTILINE
    )
    path.write_text(resolved)


def test_accounts_update_leaves_two_heads_and_says_how_to_merge_them(
    accounts_releases: Path, updated_project: Path, tmp_path: Path
):
    project = copy_of(updated_project, tmp_path)
    # The release's newest migration: 0002_accounts, or one that later follows it.
    [template_head] = migration_heads(accounts_releases / "template")

    update(project, vcs_ref=ACCOUNTS)

    assert sorted(migration_heads(project)) == sorted(["0002", template_head])
    heads = just(project, "db_heads")
    assert heads.returncode != 0
    assert MERGE_COMMAND in heads.stderr
    # The team's migration and model stay; the edited router conflicts with the template's
    # rewrite (ownership on every route), so the developer sees both sides.
    assert (project / "migrations/versions/0002_create_tags.py").read_text() == TAG_MIGRATION
    # (The area layout moved it to app/items/routes.py; the migration takes the edit along.)
    assert "app/items/routes.py" in unmerged_paths(project)
    items = (project / "app/items/routes.py").read_text()
    assert ITEMS_EDIT[1] in items
    assert "CurrentUser" in items


@pytest.mark.slow
def test_after_the_merge_command_one_head_remains_and_old_items_get_the_legacy_owner(
    updated_project: Path, tmp_path: Path
):
    project = copy_of(updated_project, tmp_path)
    try:
        assert subprocess.run(["uv", "sync", "-q"], cwd=project).returncode == 0
        for recipe in ("up", "db_migrate"):
            result = just(project, recipe)
            assert result.returncode == 0, f"just {recipe} failed"
        run_sql(
            project,
            "INSERT INTO items (id, title, description, done) VALUES"
            " (gen_random_uuid(), 'from before accounts', '', false)",
        )

        commit_all(project, "Lock the dependencies")  # as a team would (uv.lock is theirs)
        update(project, vcs_ref=ACCOUNTS)
        for conflicted in unmerged_paths(project):
            keep_template_side(project / conflicted)
        (project / "app/models/tag.py").write_text(TAG_MODEL)  # the CHANGELOG's typed ids step
        if "from app.models.tag import" not in (project / "app/models/__init__.py").read_text():
            edit(
                project,
                "app/models/__init__.py",
                '"""\n',
                '"""\n\nimport app.models.tag  # noqa: F401\n',
            )
        sync = subprocess.run("uv lock -q && uv sync -q", shell=True, cwd=project)
        assert sync.returncode == 0
        merge = subprocess.run(
            ["bash", "-c", f"source scripts/env.sh && {MERGE_COMMAND} && just db_migrate"],
            cwd=project,
            capture_output=True,
            text=True,
        )
        assert merge.returncode == 0, merge.stdout + merge.stderr

        assert len(migration_heads(project)) == 1
        assert just(project, "db_heads").returncode == 0
        owners = run_sql(
            project,
            "SELECT i.title, u.email, u.is_active FROM items i JOIN users u ON u.id = i.owner_id",
        )
        assert owners.strip() == f"from before accounts|{LEGACY_OWNER}|f"
    finally:
        destroy_services(project)
        just(project, "down")  # if the update did not happen, services_destroy is not there yet
        data = project / "tmp/services/postgres"
        if data.is_symlink():
            shutil.rmtree(data.resolve(), ignore_errors=True)


def run_sql(project: Path, statement: str) -> str:
    """Run one statement on the project's development database; rows as `a|b|c` lines."""
    script = (
        'source scripts/env.sh && uv run python -c "import os, sys, psycopg;'
        " c = psycopg.connect(os.environ['DATABASE_URL'], autocommit=True);"
        " cur = c.execute(sys.argv[1]);"
        " print('\\n'.join('|'.join('t' if v is True else 'f' if v is False else str(v)"
        ' for v in row) for row in (cur.fetchall() if cur.description else [])))" "$0"'
    )
    result = subprocess.run(
        ["bash", "-c", script, statement], cwd=project, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return result.stdout
