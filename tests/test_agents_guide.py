"""The guide for coding assistants (AGENTS.md) names only commands, paths and modules that exist."""

import ast
import json
import re
import subprocess
from pathlib import Path

import pytest
from copier import run_copy

GUIDE = "AGENTS.md"
# The files other assistants read: each points at AGENTS.md instead of repeating it.
POINTERS = ["CLAUDE.md", ".github/copilot-instructions.md", ".cursor/rules/agents.mdc"]
# `just name …` inside a code span; `just --list` and other flags are not recipes.
JUST_COMMAND = re.compile(r"`just ([a-z][a-z0-9_]*)")
# A code span that is a path in the project: `app/errors.py`, `web/app/client/`, `env/`.
PROJECT_PATH = re.compile(r"`((?:app|web|tests|migrations|env|just|scripts)/[\w./-]*|[\w-]+\.md)`")
# A dotted name in a code span: a module (`app.jobs.mail`) or a name in one (`app.db.get_engine`).
DOTTED_NAME = re.compile(r"`(app(?:\.\w+)+)`")


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


def test_every_just_command_in_the_guide_exists(project: Path):
    guide = (project / GUIDE).read_text()
    named = set(JUST_COMMAND.findall(guide))

    missing = named - recipes_and_aliases(project)

    assert {"setup", "test", "lint"} <= named
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
