"""Updates: a project made from one template release takes the next without losing any work.

Releases are built here, in a throwaway clone of the template: v0.1.0 is the working tree as it
stands, v0.2.0 adds a recipe, a route, a file, a pyproject setting and changes one env line. The
tests never depend on tags existing in this repository.
"""

import re
import shutil
import subprocess
import tomllib
from pathlib import Path
from typing import NamedTuple

import pytest
import yaml
from copier import run_update

from tests.support import (
    FULL_SUITE_PYTHON,
    changed_paths,
    commit_all,
    destroy_services,
    differing_files,
    free_port_block,
    git,
    just,
    new_project,
    render_at,
    tree,
)

FIRST_RELEASE = "v0.1.0"
NEXT_RELEASE = "v0.2.0"
CONFLICT_MARKER = re.compile(r"^(<{7}|>{7})( |$)", re.MULTILINE)

# What v0.2.0 changes, as (template path, text to find, text that replaces it). An empty "find"
# appends; None creates the file.
NEXT_RELEASE_CHANGES: list[tuple[str, str | None, str]] = [
    (
        "template/Justfile",
        "",
        "\n# Print the project's version from pyproject.toml\n"
        "version:\n    @grep -m1 '^version' pyproject.toml\n",
    ),
    (
        "template/app/health/routes.py",
        "",
        '\n\n@health_router.get("/startupz", response_model=Health)\n'
        "async def startupz() -> Health:\n"
        '    """Startup probe: the process finished starting."""\n'
        '    return Health(status="ok")\n',
    ),
    (
        "template/pyproject.toml.jinja",
        "[tool.pytest.ini_options]\n",
        "[tool.pytest.ini_options]\nxfail_strict = true\n",
    ),
    ("template/env/dev.sh", "export LOG_LEVEL=INFO\n", "export LOG_LEVEL=DEBUG\n"),
    (
        "template/docs/operations.md.jinja",
        None,
        "# Operating {{ project_name }}\n\n"
        "Probes: `/livez`, `/readyz`, `/startupz`.\n"
        "{% if use_1password %}\nSecrets are `op://` references resolved by the 1Password CLI.\n"
        "{% else %}\nSecrets are plain environment variables in `env/*.local.sh`.\n{% endif %}",
    ),
]


def release_next(template_repo: Path) -> None:
    """Apply NEXT_RELEASE_CHANGES, failing loudly if the template no longer has the text."""
    for relative, find, replacement in NEXT_RELEASE_CHANGES:
        path = template_repo / relative
        if find is None:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(replacement)
            continue
        text = path.read_text()
        assert find in text, f"{relative} no longer contains {find!r}: update this test's release"
        path.write_text(text.replace(find, replacement, 1) if find else text + replacement)
    git(template_repo, "add", "-A")
    git(template_repo, "commit", "-q", "-m", "Release v0.2.0")
    git(template_repo, "tag", NEXT_RELEASE)


@pytest.fixture(scope="module")
def template_releases(template_snapshot: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A clone of the template with two release tags: v0.1.0 (as is) and v0.2.0 (changed)."""
    repo = tmp_path_factory.mktemp("releases") / "template"
    git(repo.parent, "clone", "-q", str(template_snapshot), str(repo))
    git(repo, "tag", FIRST_RELEASE)
    release_next(repo)
    return repo


def update(project: Path, **options: object) -> None:
    """`copier update` with the flags `just template_update` passes (plus non-interactive ones)."""
    flags: dict[str, object] = {"conflict": "inline", "skip_answered": True, **options}
    run_update(project, defaults=True, overwrite=True, unsafe=True, quiet=True, **flags)


def answers_without_commit(project: Path) -> dict[str, object]:
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    answers.pop("_commit")
    return answers


def unmerged_paths(project: Path) -> set[str]:
    return set(git(project, "diff", "--name-only", "--diff-filter=U").split())


def files_with_conflict_markers(project: Path) -> set[str]:
    return {
        name
        for name in tree(project)
        if CONFLICT_MARKER.search((project / name).read_text(errors="ignore"))
    }


# 1 + 4: an untouched project ----------------------------------------------------------------


def test_unmodified_project_updates_to_a_fresh_render_of_the_new_release(
    template_releases: Path, tmp_path: Path
):
    project = new_project(template_releases, tmp_path / "project", FIRST_RELEASE)

    update(project)

    fresh = render_at(template_releases, tmp_path / "fresh", NEXT_RELEASE)
    assert unmerged_paths(project) == set()
    assert files_with_conflict_markers(project) == set()
    assert list(project.rglob("*.rej")) == []
    assert differing_files(project, fresh) - {".copier-answers.yml"} == set()
    assert answers_without_commit(project) == answers_without_commit(fresh)
    assert yaml.safe_load((project / ".copier-answers.yml").read_text())["_commit"] == NEXT_RELEASE


def test_updating_again_without_a_template_change_changes_nothing(
    template_releases: Path, tmp_path: Path
):
    project = new_project(template_releases, tmp_path / "project", FIRST_RELEASE)
    update(project)
    commit_all(project, "Update to v0.2.0")

    update(project)

    assert git(project, "status", "--porcelain", "--untracked-files=all") == ""


# 2: an edited project -------------------------------------------------------------------------

# The team's new files, as they would write them: tests/fixtures/team_project/ mirrors the project.
TEAM_PROJECT = Path(__file__).parent / "fixtures/team_project"


def team_file(relative: str) -> str:
    """The text of one of the team's files (`relative` to the project root)."""
    return (TEAM_PROJECT / relative).read_text()


TAG_MODEL = team_file("app/models/tag.py")
TAG_MIGRATION = team_file("migrations/versions/0002_create_tags.py")
TAG_ROUTES = team_file("app/routes/tags.py")
TAG_ROUTE_TEST = team_file("tests/routes/test_tags.py")
TAGS_PAGE = team_file("web/app/routes/_authenticated.tags.tsx")
TAGS_PAGE_TEST = team_file("tests/integration/test_tags_in_browser.py")

README_LINE = "Our team's notes: deploys happen on Tuesdays.\n"
USER_LOG_LEVEL = "export LOG_LEVEL=WARNING\n"
DELETED_BY_USER = "tests/unit/test_typeid.py"


def edit(project: Path, relative: str, find: str, replacement: str) -> None:
    path = project / relative
    text = path.read_text()
    assert find in text, f"{relative} lacks {find!r}"
    path.write_text(text.replace(find, replacement, 1))


def migration_heads(project: Path) -> list[str]:
    """The project's Alembic heads, read by its own `scripts/migration_heads.py`."""
    result = subprocess.run(
        ["python3", "scripts/migration_heads.py"], cwd=project, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def tag_migration(down_revision: str) -> str:
    """The tags migration, following `down_revision` as `alembic revision` would."""
    return TAG_MIGRATION.replace('"0001"', f'"{down_revision}"').replace(
        "Revises: 0001", f"Revises: {down_revision}"
    )


def make_typical_edits(project: Path) -> dict[str, str]:
    """A developer's first week: model + migration, route, page, README text, dependency, a
    deletion.

    The model, the router and the page are new files only: discovery (and the web app's file
    routes) find them, no registry is edited.
    """
    [head] = migration_heads(project)
    created = {
        "app/models/tag.py": TAG_MODEL,
        "migrations/versions/0002_create_tags.py": tag_migration(head),
        "app/tags/__init__.py": '"""Tags that label items."""\n',
        "app/tags/routes.py": TAG_ROUTES,
        "tests/routes/test_tags.py": TAG_ROUTE_TEST,
        "web/app/routes/_authenticated.tags.tsx": TAGS_PAGE,
        "tests/integration/test_tags_in_browser.py": TAGS_PAGE_TEST,
    }
    for relative, text in created.items():
        (project / relative).parent.mkdir(exist_ok=True)
        (project / relative).write_text(text)
    edit(project, "README.md", "## Quick start\n", README_LINE + "\n## Quick start\n")
    edit(
        project,
        "pyproject.toml",
        '    "typer>=0.16",\n',
        '    "typer>=0.16",\n    "typing-extensions>=4.12",\n',
    )
    edit(project, "env/dev.sh", "export LOG_LEVEL=INFO\n", USER_LOG_LEVEL)
    (project / DELETED_BY_USER).unlink()
    subprocess.run(["ruff", "check", "--fix", "--no-cache", "-q", "app"], cwd=project, check=True)
    return created


class EditedProject(NamedTuple):
    path: Path
    created: dict[str, str]  # files the developer added, with their text
    touched: set[str]  # every path the developer added, changed or deleted


@pytest.fixture(scope="module")
def edited_project(
    template_releases: Path, tmp_path_factory: pytest.TempPathFactory
) -> EditedProject:
    """A project rendered at v0.1.0, edited and committed, then updated to v0.2.0."""
    workspace = tmp_path_factory.mktemp("edited")
    project = new_project(
        template_releases,
        workspace / "project",
        FIRST_RELEASE,
        port_base=free_port_block(),
        python_version=FULL_SUITE_PYTHON,  # its slow test runs the updated project here
    )
    created = make_typical_edits(project)
    touched = changed_paths(project)
    commit_all(project, "Tags, a dependency, team notes")
    update(project)
    return EditedProject(project, created, touched)


def test_update_keeps_every_edit_and_brings_every_template_change(
    edited_project: EditedProject, template_releases: Path, tmp_path: Path
):
    project, created, touched = edited_project

    for relative, text in created.items():
        assert (project / relative).read_text() == text
    assert not touched & {"app/models/__init__.py", "app/routes.py", "web/app/routes.ts"}
    assert README_LINE in (project / "README.md").read_text()
    assert not (project / DELETED_BY_USER).exists()
    pyproject = (project / "pyproject.toml").read_text()
    assert '"typing-extensions>=4.12"' in pyproject
    # and from the template:
    assert "xfail_strict = true" in pyproject
    assert "\nversion:\n" in (project / "Justfile").read_text()
    assert '"/startupz"' in (project / "app/health/routes.py").read_text()
    assert (project / "docs/operations.md").read_text().startswith("# Operating Demo App")
    # and nothing else: the project is a fresh render of v0.2.0 plus the developer's changes
    answers = {
        key: value for key, value in answers_without_commit(project).items() if key[0] != "_"
    }
    fresh = render_at(template_releases, tmp_path / "fresh", NEXT_RELEASE, **answers)
    assert differing_files(project, fresh) == touched


def test_update_conflicts_only_where_both_sides_changed_the_same_line(
    edited_project: EditedProject,
):
    project = edited_project.path

    assert unmerged_paths(project) == {"env/dev.sh"}
    assert files_with_conflict_markers(project) == {"env/dev.sh"}
    conflicted = (project / "env/dev.sh").read_text()
    assert USER_LOG_LEVEL in conflicted
    assert "export LOG_LEVEL=DEBUG\n" in conflicted
    assert list(project.rglob("*.rej")) == []


def test_template_conflicts_recipe_fails_until_the_conflict_is_resolved(
    edited_project: EditedProject, tmp_path: Path
):
    project = copy_of(edited_project.path, tmp_path)

    before = just(project, "template_conflicts")
    assert before.returncode != 0
    assert "env/dev.sh" in before.stdout

    resolve_keeping_ours(project / "env/dev.sh")
    git(project, "add", "env/dev.sh")
    after = just(project, "template_conflicts")
    assert after.returncode == 0, after.stdout + after.stderr

    (project / "app/server.py.rej").write_text("@@ -1 +1 @@\n-old\n+new\n")
    rejected = just(project, "template_conflicts")
    (project / "app/server.py.rej").unlink()
    assert rejected.returncode != 0
    assert "app/server.py.rej" in rejected.stdout

    # The generated API client in conflict is regenerated by a later step, not merged: the recipe
    # names the generator and leaves it to that step.
    client = project / "web/app/client/types.gen.ts"
    client.write_text("<<<<<<< before updating\nours\n=======\ntheirs\n>>>>>>> after updating\n")
    generated = just(project, "template_conflicts")
    assert generated.returncode == 0, generated.stdout + generated.stderr
    assert "Conflict markers" not in generated.stdout
    assert "just web_generate rewrites them (after just setup):\n  web/app/client/types.gen.ts" in (
        generated.stdout
    )


@pytest.mark.slow
def test_updated_project_passes_lint_and_its_own_tests(
    edited_project: EditedProject, tmp_path: Path
):
    project = copy_of(edited_project.path, tmp_path)
    resolve_keeping_ours(project / "env/dev.sh")
    try:
        for command in (["ruff", "check", "."], ["ruff", "format", "--check", "."]):
            lint = subprocess.run(command, cwd=project, capture_output=True, text=True)
            assert lint.returncode == 0, lint.stdout + lint.stderr
        # Both sides changed the API (the template's /startupz, the developer's /api/tags): the
        # typed web client is a generated artefact, regenerated rather than merged.
        generate = just(project, "web_generate")
        assert generate.returncode == 0, generate.stdout + generate.stderr
        # The developer's tests and the template's probes; the whole suite of an updated project
        # runs in tests/test_update_accounts.py (one full run for the update tests, for CI time).
        backend = just(
            project,
            "backend_test",
            "-n",
            "0",
            "-v",
            "-p",
            "no:cacheprovider",
            "tests/routes/test_tags.py",
            "tests/routes/test_health.py",
        )
        assert backend.returncode == 0, "the updated project's API tests failed"
        assert re.search(
            r"test_tags\.py::test_list_tag_names_is_empty_at_first PASSED", backend.stdout
        )
        assert re.search(r"test_health\.py::test_livez\w* PASSED", backend.stdout)
        browser = just(
            project,
            "browser_test",
            "-p",
            "no:cacheprovider",
            "tests/integration/test_tags_in_browser.py",
        )
        assert browser.returncode == 0, "the developer's page test failed"
        assert re.search(r"test_tags_in_browser\.py \.", browser.stdout), "the page was not tested"
    finally:
        destroy_services(project)


def copy_of(project: Path, parent: Path) -> Path:
    """A copy of a project (git repository included) that a test may change freely."""
    return Path(shutil.copytree(project, parent / project.name, symlinks=True))


def resolve_keeping_ours(path: Path) -> None:
    """Resolve inline conflicts by keeping the project's side ("before updating")."""
    kept: list[str] = []
    side = None
    for line in path.read_text().splitlines(keepends=True):
        if line.startswith("<<<<<<< "):
            side = "ours"
        elif line.startswith("=======") and side == "ours":
            side = "theirs"
        elif line.startswith(">>>>>>> "):
            side = None
        elif side != "theirs":
            kept.append(line)
    path.write_text("".join(kept))


# 3: changing an answer ------------------------------------------------------------------------


def test_changing_an_answer_changes_exactly_the_files_that_depend_on_it(
    template_releases: Path, tmp_path: Path
):
    project = new_project(template_releases, tmp_path / "project", NEXT_RELEASE)
    without = render_at(template_releases, tmp_path / "without", NEXT_RELEASE)
    with_1password = render_at(
        template_releases, tmp_path / "with", NEXT_RELEASE, use_1password=True
    )
    dependent_files = differing_files(without, with_1password)
    assert dependent_files - {".copier-answers.yml"}, "nothing depends on use_1password"

    owned_by_the_project = set(
        yaml.safe_load((template_releases / "copier.yml").read_text())["_skip_if_exists"]
    )

    update(project, data={"use_1password": True})

    assert changed_paths(project) == dependent_files - owned_by_the_project
    assert differing_files(project, with_1password) == owned_by_the_project & dependent_files
    assert unmerged_paths(project) == set()


# Migrations -----------------------------------------------------------------------------------

MIGRATION_RELEASE = "v0.3.0"
RENAME_DESCRIPTION = (
    "import pathlib, re; answers = pathlib.Path('.copier-answers.yml'); "
    "answers.write_text(re.sub(r'(?m)^description:', 'project_description:', answers.read_text()))"
)


@pytest.fixture
def template_with_answer_rename(template_releases: Path, tmp_path: Path) -> Path:
    """v0.3.0 renames the answer `description` to `project_description`, with a migration."""
    repo = tmp_path / "template-renamed"
    git(tmp_path, "clone", "-q", str(template_releases), str(repo))
    config = repo / "copier.yml"
    text = config.read_text()
    assert "\ndescription:\n" in text
    config.write_text(
        text.replace("\ndescription:\n", "\nproject_description:\n")
        + f"\n_migrations:\n  - version: {MIGRATION_RELEASE}\n"
        + "    when: \"{{ _stage == 'before' }}\"\n"
        + f"    command: [python3, -c, {RENAME_DESCRIPTION!r}]\n"
    )
    for path in (repo / "template").rglob("*.jinja"):
        path.write_text(path.read_text().replace("{{ description }}", "{{ project_description }}"))
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "Rename the answer description to project_description")
    git(repo, "tag", MIGRATION_RELEASE)
    return repo


@pytest.mark.parametrize("skip_answered", [False, True], ids=["asked-again", "skip-answered"])
def test_migration_renames_an_answer_before_update(
    template_with_answer_rename: Path, tmp_path: Path, skip_answered: bool
):
    project = new_project(
        template_with_answer_rename, tmp_path / "project", NEXT_RELEASE, description="Sells hats."
    )

    update(project, skip_answered=skip_answered)

    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert answers["_commit"] == MIGRATION_RELEASE
    assert "description" not in answers
    assert answers["project_description"] == "Sells hats."
    assert 'description = "Sells hats."' in (project / "pyproject.toml").read_text()
    assert unmerged_paths(project) == set()


# The generated project's recipes ---------------------------------------------------------------


@pytest.fixture
def template_with_new_python_default(template_snapshot: Path, tmp_path: Path) -> Path:
    """v0.1.0 defaults to Python 3.13; v0.2.0, the template as it stands, to 3.14."""
    repo = tmp_path / "template-python"
    git(tmp_path, "clone", "-q", str(template_snapshot), str(repo))
    config = repo / "copier.yml"
    current = config.read_text()
    assert '\n  default: "3.14"\n' in current, "the default is no longer 3.14: update this test"
    config.write_text(current.replace('\n  default: "3.14"\n', '\n  default: "3.13"\n', 1))
    commit_all(repo, "Default to Python 3.13")
    git(repo, "tag", FIRST_RELEASE)
    config.write_text(current)
    commit_all(repo, "Default to Python 3.14")
    git(repo, "tag", NEXT_RELEASE)
    return repo


def python_pins(project: Path) -> set[str]:
    """The Python version each file that pins one names (`requires-python` is the oldest the
    template supports, the same for every answer, so that one uv.lock fits them all)."""
    pyproject = tomllib.loads((project / "pyproject.toml").read_text())
    dockerfile = (project / "Dockerfile").read_text()
    return {
        tomllib.loads((project / "mise.toml").read_text())["tools"]["python"],
        (project / ".python-version").read_text().strip(),
        re.search(r"^ARG PYTHON_VERSION=(\S+)$", dockerfile, re.MULTILINE)[1],
        pyproject["tool"]["mypy"]["python_version"],
        "3." + pyproject["tool"]["ruff"]["target-version"].removeprefix("py3"),
    }


def test_update_to_a_new_python_default_keeps_the_projects_python(
    template_with_new_python_default: Path, tmp_path: Path
):
    project = new_project(template_with_new_python_default, tmp_path / "project", FIRST_RELEASE)

    update(project)

    assert answers_without_commit(project)["python_version"] == "3.13"
    assert python_pins(project) == {"3.13"}
    assert unmerged_paths(project) == set()


def test_update_moves_to_another_python_as_the_changelog_says(
    template_with_new_python_default: Path, tmp_path: Path
):
    project = new_project(template_with_new_python_default, tmp_path / "project", FIRST_RELEASE)
    changelog = (template_with_new_python_default / "CHANGELOG.md").read_text()
    assert "just template_update --data python_version=3.14" in changelog

    update(project, data={"python_version": "3.14"})

    assert answers_without_commit(project)["python_version"] == "3.14"
    assert python_pins(project) == {"3.14"}
    assert unmerged_paths(project) == set()


def test_template_recipes_check_update_and_say_what_to_rerun(
    template_releases: Path, tmp_path: Path
):
    project = new_project(template_releases, tmp_path / "project", FIRST_RELEASE)

    check = just(project, "template_check")
    assert check.returncode == 0, check.stderr
    assert "template 0.2.0 is out (this project is on 0.1.0)" in check.stdout

    (project / "notes.txt").write_text("work in progress\n")
    refused = just(project, "template_update", "--defaults")
    assert refused.returncode != 0
    assert "commit or stash your changes first" in refused.stderr
    assert (project / "notes.txt").read_text() == "work in progress\n"
    assert changed_paths(project) == {"notes.txt"}
    (project / "notes.txt").unlink()

    updated = just(project, "template_update", "--defaults")
    assert updated.returncode == 0, updated.stderr
    assert "uv lock && uv sync" in updated.stdout  # pyproject.toml changed
    assert "just down && just up" in updated.stdout  # env/dev.sh changed
    assert "just db_migrate" not in updated.stdout  # no migration changed
    assert "template_conflicts: none" in updated.stdout
    assert yaml.safe_load((project / ".copier-answers.yml").read_text())["_commit"] == NEXT_RELEASE
    commit_all(project, "Update to v0.2.0")

    again = just(project, "template_check")
    assert "up to date with the newest template release (0.2.0)" in again.stdout
