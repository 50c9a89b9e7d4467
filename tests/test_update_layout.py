"""Updating to area packages (issue 30): a project's own modules move with the template's.

A throwaway release pair: v0.2.1 is the template as it was just before the area layout (taken from
this repository's history), v0.3.0 the working tree. The project made at v0.2.1 has its own router
in app/routes/, task module in app/jobs/tasks/, email context in app/mail/contexts.py and a test
that imports all three, as a team's would. copier.yml's migration moves them into `app/tags/`
before the update, so the update itself merges without a conflict.
"""

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
from tests.test_update import copy_of, edit, files_with_conflict_markers, unmerged_paths, update

BEFORE, AREAS = "v0.2.1", "v0.3.0"
MIGRATION_SCRIPT = "updates/area_packages.py"
OLD_ROUTES = "template/app/routes/__init__.py"  # gone in the area layout

TAGS_ROUTES = '''"""The team's tags: a digest by email."""

from fastapi import APIRouter, status

from app.accounts.dependencies import CurrentUser
from app.jobs.tasks.mail import send_email
from app.mail.contexts import TagDigest
from app.routes import API_PREFIX

tags_router = APIRouter(prefix=f"{API_PREFIX}/tags", tags=["tags"])


@tags_router.post("/digest", status_code=status.HTTP_202_ACCEPTED)
async def send_digest(user: CurrentUser) -> str:
    return send_email(user.email, TagDigest(tags=["home", "work"]))
'''
TAGS_TASKS = '''"""The team's tag jobs."""

from pydantic import BaseModel

from app.jobs.task import job


class CountTags(BaseModel):
    tags: list[str]


@job("tags.count_tags", CountTags)
def count_tags(payload: CountTags) -> int:
    return len(set(payload.tags))
'''
TAG_DIGEST = """

class TagDigest(EmailContext):
    template = "tag_digest"
    tags: list[str]
"""
TAGS_TEST = '''"""The team's tags: discovered, their task runs, their email fits its template."""

from app.jobs import celery_app
from app.jobs.tasks.mail import EmailPayload
from app.jobs.tasks.tags import count_tags
from app.mail.contexts import TagDigest
from app.routes import discover_routers
from app.routes.tags import tags_router


def test_the_tags_router_is_discovered() -> None:
    assert tags_router in discover_routers()


def test_the_tags_task_is_registered_and_runs() -> None:
    celery_app.loader.import_default_modules()
    assert "tags.count_tags" in celery_app.tasks
    assert count_tags(tags=["home", "home", "work"]) == 2


def test_the_digest_email_is_known() -> None:
    context = TagDigest(tags=["home"]).model_dump(mode="json")
    payload = EmailPayload(to="team@example.com", template="tag_digest", context=context)
    assert payload.template == "tag_digest"
'''
DIGEST_TEMPLATE = {
    "subject.txt": "Your tags\n",
    "body.txt": "{% for tag in tags %}{{ tag }}\n{% endfor %}",
    "body.html": "<ul>{% for tag in tags %}<li>{{ tag }}</li>{% endfor %}</ul>\n",
}


@pytest.fixture(scope="module")
def layout_releases(template_snapshot: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """v0.2.1: the commit before the area layout came (HEAD while uncommitted); v0.3.0: now."""
    gone = git(
        TEMPLATE_ROOT, "log", "--no-renames", "--diff-filter=D", "--format=%H", "--", OLD_ROUTES
    )
    before = f"{gone.split()[-1]}^" if gone.split() else "HEAD"
    repo = tmp_path_factory.mktemp("layout-releases") / "template"
    git(repo.parent, "clone", "-q", "--no-checkout", str(TEMPLATE_ROOT), str(repo))
    git(repo, "checkout", "-q", "-b", "releases", before)
    assert (repo / "template/app/routes/__init__.py").is_file(), "v0.2.1 has the area layout"
    git(repo, "tag", BEFORE)
    git(repo, "rm", "-rq", ".")
    shutil.copytree(
        template_snapshot, repo, ignore=shutil.ignore_patterns(".git"), dirs_exist_ok=True
    )
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "Release with area packages")
    git(repo, "tag", AREAS)
    return repo


@pytest.fixture(scope="module")
def team_project(layout_releases: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Made at v0.2.1 with the team's router, task, email and test, committed; not yet updated."""
    project = new_project(
        layout_releases,
        tmp_path_factory.mktemp("before-areas") / "project",
        BEFORE,
        port_base=free_port_block(),
        python_version=FULL_SUITE_PYTHON,  # its slow test runs the project here
    )
    (project / "app/routes/tags.py").write_text(TAGS_ROUTES)
    (project / "app/jobs/tasks/tags.py").write_text(TAGS_TASKS)
    edit(project, "app/mail/contexts.py", "\n\nCONTEXTS", TAG_DIGEST + "\n\nCONTEXTS")
    edit(project, "app/mail/contexts.py", "PasswordChanged)", "PasswordChanged, TagDigest)")
    for name, text in DIGEST_TEMPLATE.items():
        (project / "app/mail/templates/tag_digest").mkdir(exist_ok=True)
        (project / "app/mail/templates/tag_digest" / name).write_text(text)
    (project / "tests/unit/test_tags.py").write_text(TAGS_TEST)
    commit_all(project, "Tags: a router, a task, an email")
    return project


def test_the_update_moves_the_teams_modules_into_an_area(
    layout_releases: Path, team_project: Path, tmp_path: Path
):
    project = copy_of(team_project, tmp_path)

    update(project, vcs_ref=AREAS)

    assert unmerged_paths(project) == set()
    assert files_with_conflict_markers(project) == set()
    assert (project / "app/tags/routes.py").read_text() == TAGS_ROUTES.replace(
        "from app.jobs.tasks.mail import", "from app.jobs.mail import"
    ).replace("from app.mail.contexts import TagDigest", "from app.tags.emails import TagDigest")
    assert (project / "app/tags/tasks.py").read_text() == TAGS_TASKS
    assert "class TagDigest(EmailContext):" in (project / "app/tags/emails.py").read_text()
    assert (project / "app/mail/contexts.py").read_text() == (
        layout_releases / "template/app/mail/contexts.py"
    ).read_text()
    assert not (project / "app/routes").exists() or not list((project / "app/routes").rglob("*.py"))
    assert not (project / "app/jobs/tasks").exists() or not list(
        (project / "app/jobs/tasks").rglob("*.py")
    )
    test = (project / "tests/unit/test_tags.py").read_text()
    assert "from app.tags.routes import tags_router" in test
    assert "from app.tags.tasks import count_tags" in test
    assert "from app.tags.emails import TagDigest" in test
    assert "from app.jobs.mail import EmailPayload" in test


def test_an_update_already_in_the_area_layout_moves_nothing(team_project: Path, tmp_path: Path):
    project = copy_of(team_project, tmp_path)
    update(project, vcs_ref=AREAS)
    commit_all(project, "Update to area packages")
    script = TEMPLATE_ROOT / MIGRATION_SCRIPT

    again = subprocess.run(
        ["python3", str(script), str(TEMPLATE_ROOT), "HEAD"], cwd=project, check=False
    )

    assert again.returncode == 0
    assert git(project, "status", "--porcelain") == ""


@pytest.mark.slow
def test_after_the_update_the_teams_code_is_discovered_and_its_tests_pass(
    team_project: Path, tmp_path: Path
):
    project = copy_of(team_project, tmp_path)
    try:
        update(project, vcs_ref=AREAS)
        assert subprocess.run(["uv", "sync", "-q"], cwd=project).returncode == 0
        # The CHANGELOG's step after updating: `just fix` (its Python half; web/ is untouched),
        # which sorts the imports the update rewrote; then the checks `just lint` runs.
        checks = subprocess.run(
            "uv run ruff format -q . && uv run ruff check -q --fix . && uv run mypy",
            shell=True,
            cwd=project,
            check=False,
        )
        assert checks.returncode == 0
        result = just(project, "backend_test", "-n", "0", "tests/unit", "tests/jobs/test_tasks.py")
        assert result.returncode == 0
        assert "test_tags.py" in result.stdout
    finally:
        destroy_services(project)
