"""Imports run one way: areas build on the floor, never the reverse, and areas form no circle.

The floor is `app/`'s own modules and its `models/`, `jobs/` and `mail/` packages; every other
package of `app/` is an area. Read from the source (imports inside functions count too), so a
module that is never imported by a test is checked as well.
"""

import ast
from collections.abc import Iterator
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import pytest

import app

APP_ROOT = Path(app.__path__[0])
FLOOR_PACKAGES = {"models", "jobs", "mail"}


def areas() -> set[str]:
    return {
        path.name
        for path in APP_ROOT.iterdir()
        if (path / "__init__.py").is_file() and path.name not in FLOOR_PACKAGES
    }


def part_of(module: str) -> str:
    """`accounts` for `app.accounts.routes`, `floor` for `app.db` or `app.jobs.task`."""
    top = module.split(".")[1] if module.count(".") else ""
    return top if top in areas() else "floor"


def imports() -> Iterator[tuple[str, str]]:
    """(importing module, imported app module) for every import of an app module in app/."""
    for path in sorted(APP_ROOT.rglob("*.py")):
        relative = path.relative_to(APP_ROOT.parent).with_suffix("")
        module = ".".join(relative.parts).removesuffix(".__init__")
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [f"{node.module}.{alias.name}" for alias in node.names]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            yield from ((module, name) for name in names if name.split(".")[0] == "app")


def test_the_floor_never_imports_an_area() -> None:
    """The floor finds areas by module name only (`app.discovery`), so adding one edits nothing."""
    upward = [
        f"{source} imports {target}"
        for source, target in imports()
        if part_of(source) == "floor" and part_of(target) != "floor"
    ]
    assert upward == []


def test_mail_knows_nothing_of_jobs() -> None:
    """Rendering and delivery stand alone; queueing email is the jobs package's `send_email`."""
    assert [
        f"{source} imports {target}"
        for source, target in imports()
        if source.startswith("app.mail") and target.startswith("app.jobs")
    ] == []


def test_areas_import_each_other_one_way_only() -> None:
    """A circle between areas means neither can be read, tested or removed alone."""
    graph: dict[str, set[str]] = {area: set() for area in areas()}
    for source, target in imports():
        if part_of(source) != "floor" and part_of(target) not in {"floor", part_of(source)}:
            graph[part_of(source)].add(part_of(target))
    try:
        TopologicalSorter(graph).prepare()
    except CycleError as error:
        pytest.fail(f"areas import each other in a circle: {' -> '.join(error.args[1])}")
