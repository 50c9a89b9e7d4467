"""The project's guides name only commands, paths, modules and links that exist: AGENTS.md
for coding assistants, and the README with the docs/ pages behind it."""

import ast
import json
import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from copier import run_copy

from tests.conftest import TEMPLATE_ROOT

GUIDE = "AGENTS.md"
# The files other assistants read: each points at AGENTS.md instead of repeating it.
POINTERS = ["CLAUDE.md", ".github/copilot-instructions.md", ".cursor/rules/agents.mdc"]
# `just name …` inside a code span; `just --list` and other flags are not recipes.
JUST_COMMAND = re.compile(r"`just ([a-z][a-z0-9_]*)")
# A code span that is a path in the project: `app/errors.py`, `web/app/client/`, `env/`.
PROJECT_PATH = re.compile(
    r"`((?:app|web|tests|migrations|env|just|scripts|docs)/[\w./-]*|[\w-]+\.md)`"
)

# A dotted name in a code span: a module (`app.jobs.mail`) or a name in one (`app.db.get_engine`).
DOTTED_NAME = re.compile(r"`(app(?:\.\w+)+)`")

# The README is the front door; the detail lives in docs/, one page per topic.
README = "README.md"
README_MAX_LINES = 200
# Answers that change what the README and the docs/ pages say (each boolean both ways).
DOCS_ANSWER_SETS = {
    "defaults": {},
    "everything-on": {"use_1password": True, "product_analytics": True, "github_owner": "acme"},
    "browser-tracking-off": {"error_tracking_in_browser": False, "python_version": "3.13"},
}
# A Markdown link's target: `[text](target)`.
MARKDOWN_LINK = re.compile(r"\]\(([^)\s]+)\)")


@pytest.fixture(scope="module")
def project(template_snapshot: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("agents") / "project"
    run_copy(
        str(template_snapshot),
        target,
        data={"project_name": "Demo App"},
        defaults=True,
        unsafe=True,
        quiet=True,
    )
    return target


def recipes_and_aliases(project: Path) -> set[str]:
    """Every name `just NAME` accepts in the project: recipes (`just --summary`) and aliases."""
    summary = subprocess.run(
        ["just", "--summary"], cwd=project, check=True, capture_output=True, text=True
    ).stdout.split()
    dump = subprocess.run(
        ["just", "--dump", "--dump-format", "json"],
        cwd=project,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return {*summary, *json.loads(dump)["aliases"]}


def missing_recipes(project: Path, text: str) -> set[str]:
    """The `just NAME` commands of a text that the project's Justfile does not accept."""
    return set(JUST_COMMAND.findall(text)) - recipes_and_aliases(project)


def test_every_just_command_in_the_guide_exists(project: Path):
    guide = (project / GUIDE).read_text()

    assert {"setup", "test", "lint"} <= set(JUST_COMMAND.findall(guide))
    missing = missing_recipes(project, guide)
    assert missing == set(), f"{GUIDE} names recipes the Justfile lacks: {sorted(missing)}"


def test_every_path_in_the_guide_exists(project: Path):
    paths = set(PROJECT_PATH.findall((project / GUIDE).read_text()))

    missing = sorted(path for path in paths if not (project / path).exists())

    assert "app/errors.py" in paths
    assert missing == [], f"{GUIDE} names paths the project lacks: {missing}"


def defines(module: Path, name: str) -> bool:
    """Whether a module binds `name` at its top level (a def, class, assignment or import)."""
    for node in ast.parse(module.read_text()).body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound = {node.name}
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            bound = {target.id for target in targets if isinstance(target, ast.Name)}
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            bound = {(alias.asname or alias.name).split(".")[0] for alias in node.names}
        else:
            continue
        if name in bound:
            return True
    return False


def dotted_name_exists(project: Path, dotted: str) -> bool:
    """`app.a.b` is a module of the project, or `app.a` is one that defines `b`."""
    parts = dotted.split(".")
    for split in (len(parts), len(parts) - 1):
        folder = project.joinpath(*parts[:split])
        module = folder / "__init__.py" if folder.is_dir() else folder.with_suffix(".py")
        if module.is_file():
            return split == len(parts) or defines(module, parts[-1])
    return False


def test_every_dotted_name_in_the_guide_exists(project: Path):
    names = set(DOTTED_NAME.findall((project / GUIDE).read_text()))

    missing = sorted(name for name in names if not dotted_name_exists(project, name))

    assert names, f"{GUIDE} names no module: the check would prove nothing"
    assert missing == [], f"{GUIDE} names modules or names the project lacks: {missing}"


@pytest.mark.parametrize("pointer", POINTERS)
def test_assistant_files_point_to_the_guide(project: Path, pointer: str):
    text = (project / pointer).read_text()

    assert "AGENTS.md" in text
    assert len(text.splitlines()) <= 8, f"{pointer} should point to {GUIDE}, not repeat it"
    assert set(JUST_COMMAND.findall(text)) <= recipes_and_aliases(project)


@pytest.fixture(params=list(DOCS_ANSWER_SETS), ids=list(DOCS_ANSWER_SETS))
def documented(
    request: pytest.FixtureRequest, pristine_renders: Callable[[dict[str, object]], Path]
) -> Path:
    """A render of one answer set, only read: the session's render itself, not a copy."""
    return pristine_renders({"project_name": "Demo App", **DOCS_ANSWER_SETS[request.param]})


def doc_pages(project: Path) -> list[Path]:
    return [project / README, *sorted((project / "docs").glob("*.md"))]


def heading_anchors(page: Path) -> set[str]:
    """The anchors GitHub gives a page's headings: lowercase, punctuation dropped, spaces to -."""
    headings = re.findall(r"^#+ (.+)$", page.read_text(), flags=re.MULTILINE)
    return {re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-") for heading in headings}


def broken_link(project: Path, page: Path, target: str) -> bool:
    """Whether a link of a page names a file the project lacks, or a heading its page lacks."""
    path, _, anchor = target.partition("#")
    linked = (page.parent / path if path else page).resolve()
    if not linked.is_relative_to(project.resolve()) or not linked.exists():
        return True
    return bool(anchor) and linked.suffix == ".md" and anchor not in heading_anchors(linked)


def broken_links(project: Path, page: Path) -> list[str]:
    """The page's links to files of the project (web addresses aside) that do not resolve."""
    return [
        target
        for target in MARKDOWN_LINK.findall(page.read_text())
        if not re.match(r"[a-z]+:", target) and broken_link(project, page, target)
    ]


def test_the_readme_is_a_front_door(documented: Path):
    lines = (documented / README).read_text().splitlines()

    assert len(lines) <= README_MAX_LINES, (
        f"{README} has {len(lines)} lines; move detail to a docs/ page"
    )
    assert "## Quick start" in lines


def test_the_readme_links_every_docs_page(documented: Path):
    readme = (documented / README).read_text()
    pages = {page.name for page in (documented / "docs").glob("*.md")}

    linked = {Path(target).name for target in MARKDOWN_LINK.findall(readme)}

    assert pages, "the project has no docs/ pages"
    assert pages - linked == set(), f"{README} does not link these docs/ pages"


def test_every_link_in_the_readme_and_docs_resolves(documented: Path):
    broken = {
        page.relative_to(documented).as_posix(): links
        for page in doc_pages(documented)
        if (links := broken_links(documented, page))
    }

    assert broken == {}, f"links to files or headings the project lacks: {broken}"


def test_every_just_command_in_the_readme_and_docs_exists(documented: Path):
    missing = {
        page.relative_to(documented).as_posix(): sorted(names)
        for page in doc_pages(documented)
        if (names := missing_recipes(documented, page.read_text()))
    }

    assert missing == {}, f"pages name recipes the Justfile lacks: {missing}"


def test_the_template_readme_is_a_front_door_too():
    readme = TEMPLATE_ROOT / README
    broken = {
        page.relative_to(TEMPLATE_ROOT).as_posix(): links
        for page in [readme, *sorted((TEMPLATE_ROOT / "docs").glob("*.md"))]
        if (links := broken_links(TEMPLATE_ROOT, page))
    }

    assert len(readme.read_text().splitlines()) <= README_MAX_LINES
    assert broken == {}, f"links to files or headings the repository lacks: {broken}"
