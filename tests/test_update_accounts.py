"""Updating to the accounts release (issue 10): the largest change a project pulls in.

A throwaway release pair: v0.2.0 is the template as it was just before accounts arrived (taken from
this repository's history), v0.3.0 the working tree. The project made at v0.2.0 has its own model
and migration and an edited items router, like a real one. After the update its migrations have two
heads. The test follows the steps the update prints, exactly: they merge the heads, keep the team's
rows (its items get the migration's legacy owner) and end in a green project committed through its
own hooks.
"""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import TEMPLATE_ROOT
from tests.support import (
    FULL_SUITE_PYTHON,
    clean_env,
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
MERGE_COMMAND = "just db_migrate"
ITEMS_EDIT = ('"""Items, newest first', '"""Our items (edited by the team), newest first')
LEGACY_OWNER = "legacy-owner@example.invalid"
OLD_ITEM_ID = "0193a1b2-0000-7000-8000-00000000a001"
OLD_TAG_ID = "0193a1b2-0000-7000-8000-00000000b001"


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
def test_following_the_printed_steps_reaches_a_green_committed_project_with_the_data_kept(
    updated_project: Path, tmp_path: Path
):
    project = copy_of(updated_project, tmp_path)
    try:
        setup = just(project, "setup")  # the release before accounts: services, migrations, hooks
        assert setup.returncode == 0, "just setup failed before the update"
        run_sql(
            project,
            "INSERT INTO items (id, title, description, done) VALUES"
            f" ('{OLD_ITEM_ID}', 'from before accounts', '', false);"
            f" INSERT INTO tags (id, name) VALUES ('{OLD_TAG_ID}', 'ours')",
        )
        commit_all(project, "Lock the dependencies")  # as a team would (uv.lock is theirs)

        updated = just(project, "template_update", "--defaults", "--vcs-ref", ACCOUNTS)
        assert updated.returncode == 0, "just template_update failed"
        steps = printed_steps(updated.stdout + updated.stderr)
        assert steps[0] == "just template_conflicts"
        assert steps[-1].startswith("git add -A && git commit")

        for step in steps:
            if step == "just template_conflicts":
                listed = just(project, "template_conflicts")
                assert listed.returncode != 0
                # The area layout moved the edited router, and the edit with it.
                assert "app/items/routes.py" in listed.stdout
                resolve_as_the_changelog_says(project)
                # The team's own uv.lock met the shipped one: the recipe names the one command.
                [relock] = [
                    line.strip() for line in listed.stdout.splitlines() if "uv lock" in line
                ]
                assert relock == "git checkout --theirs -- uv.lock && uv lock && git add uv.lock"
                relocked = subprocess.run(["bash", "-c", relock], cwd=project, env=clean_env())
                assert relocked.returncode == 0
                assert just(project, "template_conflicts").stdout.strip() == (
                    "template_conflicts: none"
                )
                continue
            result = subprocess.run(
                ["bash", "-c", step], cwd=project, env=clean_env(), capture_output=True, text=True
            )
            print(result.stdout[-20000:], result.stderr[-20000:])
            assert result.returncode == 0, f"the printed step `{step}` failed"

        assert len(migration_heads(project)) == 1
        assert just(project, "db_heads").returncode == 0
        assert git(project, "status", "--porcelain", "--untracked-files=all") == ""
        assert "Update from the template" in git(project, "log", "-1", "--format=%s")
        owners = run_sql(
            project,
            "SELECT i.id, u.email, u.is_active FROM items i JOIN users u ON u.id = i.owner_id",
        )
        assert owners.split() == [f"{OLD_ITEM_ID}|{LEGACY_OWNER}|f"]
        assert run_sql(project, "SELECT id, name FROM tags").split() == [f"{OLD_TAG_ID}|ours"]
    finally:
        destroy_services(project)
        just(project, "down")  # if the update did not happen, services_destroy is not there yet
        data = project / "tmp/services/postgres"
        if data.is_symlink():
            shutil.rmtree(data.resolve(), ignore_errors=True)


def printed_steps(output: str) -> list[str]:
    """The commands copier's closing message lists, in order, without their comments."""
    _, found, after = output.partition("was updated. Next, in this order:\n")
    assert found, "the update printed no next steps"
    steps = []
    for line in after.splitlines():
        if not line.startswith("  "):
            break
        steps.append(line.split("  #")[0].strip())
    return steps


def resolve_as_the_changelog_says(project: Path) -> None:
    """Keep the template's side of each conflict in code (and `git add` it, as the recipe says),
    then move the team's tag model to typed ids. The template's app/models/__init__.py finds
    every model module by name, so the team's registration line is not needed any more."""
    for conflicted in unmerged_paths(project) - {"uv.lock"}:
        keep_template_side(project / conflicted)
        git(project, "add", conflicted)
    (project / "app/models/tag.py").write_text(TAG_MODEL)  # the CHANGELOG's typed ids step


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
