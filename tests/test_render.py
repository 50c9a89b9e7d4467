"""Rendering: every answer set gives a complete, lint-clean project with no template residue."""

import re
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.conftest import Render
from tests.support import OFFERED_PYTHONS, render_at

ANSWER_SETS = {
    "defaults": {},
    "python313-custom-ports": {"python_version": "3.13", "port_base": 31000},
    "1password-owner-python315": {
        "use_1password": True,
        "github_owner": "acme-corp",
        "python_version": "3.15",
    },
}

EXPECTED_FILES = [
    ".copier-answers.yml",
    ".dockerignore",
    ".envrc",
    ".github/workflows/ci.yml",
    ".gitignore",
    ".python-version",
    "Dockerfile",
    "Justfile",
    "README.md",
    "alembic.ini",
    "app/server.py",
    "app/settings.py",
    "app/db.py",
    "app/models/item.py",
    "app/items/routes.py",
    "app/jobs/celery_app.py",
    "app/jobs/schedule.py",
    "app/mail/contexts.py",
    "app/accounts/routes.py",
    "app/models/account.py",
    "migrations/versions/0002_accounts.py",
    "app/mail/templates/item_reminder/body.html",
    "just/jobs.just",
    "docker-compose.yml",
    "env/all.sh",
    "env/production.sh",
    "migrations/env.py",
    "mise.toml",
    "lefthook.yml",
    "pyproject.toml",
    "tests/conftest.py",
    "tests/factories.py",
]

ANSWER_NAMES = "|".join(
    [
        *["project_name", "project_slug", "description", "author_", "python_version"],
        *[
            "port_base",
            "use_1password",
            "github_owner",
            "error_tracking_in_browser",
            "product_analytics",
        ],
        "_copier",
    ]
)
LEFTOVER_JINJA = re.compile(r"\{%|\{\{-?\s*(" + ANSWER_NAMES + r")")
# The generated project's own Jinja templates (email bodies), rendered by the app, not by copier.
APP_TEMPLATES = "app/mail/templates"


@pytest.fixture(params=list(ANSWER_SETS), ids=list(ANSWER_SETS))
def project(request: pytest.FixtureRequest, render: Render) -> Path:
    return render(**ANSWER_SETS[request.param])


def project_files(project: Path) -> list[Path]:
    return [path for path in project.rglob("*") if path.is_file() and ".git" not in path.parts]


def test_expected_files_are_rendered(project: Path):
    missing = [name for name in EXPECTED_FILES if not (project / name).is_file()]

    assert missing == []


def test_no_template_residue(project: Path):
    files = project_files(project)

    assert [path for path in files if path.suffix == ".jinja"] == []
    leftovers = [
        str(path.relative_to(project))
        for path in files
        if not path.relative_to(project).as_posix().startswith(APP_TEMPLATES)
        and b"\0" not in (content := path.read_bytes())  # images are copied as they are
        and LEFTOVER_JINJA.search(content.decode(errors="ignore"))
    ]
    assert leftovers == []


def test_ruff_is_clean(project: Path):
    for command in (["ruff", "check", "."], ["ruff", "format", "--check", "."]):
        result = subprocess.run(command, cwd=project, capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr


# A recipe's first line (column 0): its name, then parameters and dependencies after the colon;
# `name := value` is an assignment, and these keywords start settings and includes, not recipes.
RECIPE_HEADER = re.compile(r"^@?(?P<name>[A-Za-z_][\w-]*)\b[^:\n]*:(?!=)")
NOT_RECIPES = ("set ", "alias ", "import ", "mod ", "export ")


def recipe_doc_comments(justfile: str) -> dict[str, list[str]]:
    """Each recipe's doc comment: the comment lines right above it, attribute lines between."""
    lines = justfile.splitlines()
    comments: dict[str, list[str]] = {}
    for number, line in enumerate(lines):
        header = RECIPE_HEADER.match(line)
        if header is None or line.startswith(NOT_RECIPES):
            continue
        above = number - 1
        while above >= 0 and lines[above].startswith("["):
            above -= 1
        comment: list[str] = []
        while above >= 0 and lines[above].startswith("#"):
            comment.insert(0, lines[above])
            above -= 1
        comments[header["name"]] = comment
    return comments


def listed_recipes(directory: Path) -> list[str]:
    """`just --list` in `directory`, one line per recipe: name, parameters, `# doc`."""
    listing = subprocess.run(
        ["just", "--list", "--unsorted"], cwd=directory, capture_output=True, text=True, check=True
    ).stdout
    return [line.strip() for line in listing.splitlines()[1:] if line.strip()]


def recipes_whose_doc_is_not_one_line(directory: Path, justfiles: list[Path]) -> dict:
    """`just --list` shows only the last line of a doc comment: each must say it in one line.

    Every listed recipe must be found in `justfiles`, so that a recipe the parser misses fails
    here instead of passing unchecked."""
    comments: dict[str, list[str]] = {}
    for justfile in justfiles:
        comments |= recipe_doc_comments(justfile.read_text())
    listed = {line.split()[0] for line in listed_recipes(directory)}
    assert listed <= comments.keys(), f"recipes the parser missed: {listed - comments.keys()}"
    return {name: comments[name] for name in sorted(listed) if len(comments[name]) != 1}


def test_justfile_parses_and_documents_every_recipe(project: Path):
    recipes = listed_recipes(project)

    assert len(recipes) > 10
    assert [line for line in recipes if "#" not in line] == []
    justfiles = [project / "Justfile", *sorted((project / "just").glob("*.just"))]
    assert recipes_whose_doc_is_not_one_line(project, justfiles) == {}


def test_template_recipes_are_documented_in_one_line():
    """The template repository's own Justfile, as `just --list` shows it to template developers."""
    root = Path(__file__).resolve().parent.parent

    assert recipes_whose_doc_is_not_one_line(root, [root / "Justfile"]) == {}


def test_answers_are_recorded_for_updates(project: Path):
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())

    assert answers["_src_path"]
    assert {"project_slug", "port_base", "use_1password"} <= answers.keys()


def test_every_port_derives_from_port_base(render: Render):
    project = render(port_base=31000)

    env = (project / "env/all.sh").read_text()

    for name, port in {
        "API_PORT": 31000,
        "WEB_PORT": 31001,
        "POSTGRES_PORT": 31002,
        "REDIS_PORT": 31003,
        "MAILPIT_SMTP_PORT": 31004,
        "MAILPIT_WEB_PORT": 31005,
    }.items():
        assert f"export {name}={port}\n" in env


def test_default_port_base_is_derived_from_the_slug(
    render: Render, template_snapshot: Path, tmp_path: Path
):
    def port_base(project: Path) -> int:
        return yaml.safe_load((project / ".copier-answers.yml").read_text())["port_base"]

    first = port_base(render("one", project_slug="shop"))
    # A second render of its own: `render` would hand out a copy of the first one.
    again = port_base(render_at(template_snapshot, tmp_path / "two", "HEAD", project_slug="shop"))
    other = port_base(render("three", project_slug="blog"))

    assert first == again
    assert first != other
    assert first >= 20000
    assert first + 9 < 32768  # where Linux starts handing ports to outgoing connections


def test_project_slug_defaults_from_the_name(render: Render):
    project = render(project_name="My Shop 2!")

    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())

    assert answers["project_slug"] == "my-shop-2"


@pytest.mark.parametrize("version", OFFERED_PYTHONS)
def test_python_version_file_pins_the_answer_for_uv(render: Render, version: str):
    project = render(python_version=version)

    assert (project / ".python-version").read_text() == f"{version}\n"
