"""Before updating to v0.3.0: move a project's own modules from the old places into area packages.

Run by `copier update` (copier.yml, `_migrations`) in the project, with the new template's clone as
the first argument and the release the project comes from as the second. v0.3.0 gives each feature
area a package (`app/<area>/routes.py`, `tasks.py`, `emails.py`, `cli.py`); the template moves its
own modules, and this script moves the project's: a router `app/routes/tags.py` becomes
`app/tags/routes.py`, a task module `app/jobs/tasks/tags.py` becomes `app/tags/tasks.py`, an email
context the project added to `app/mail/contexts.py` goes to the `emails.py` of the area that sends
it, and imports of moved modules in the project's own files follow. A module the template shipped
and the project edited moves to the template's new place, so the update merges the edit there
(or shows both sides) rather than deleting it; unedited ones are left to the update. Nothing is
deleted: a name that is taken stops the update. The changes are staged, as copier merges what the
project's index holds.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

TEMPLATE_ROUTES = {"__init__", "client_config", "health", "items"}
TEMPLATE_TASKS = {"__init__", "accounts", "audit", "items", "mail"}
TEMPLATE_CONTEXTS = {
    "EmailContext": "app.mail.contexts",
    "ItemReminder": "app.items.emails",
    "VerifyEmail": "app.accounts.emails",
    "ResetPassword": "app.accounts.emails",
    "PasswordChanged": "app.accounts.emails",
}
# Template modules that moved, old dotted name -> new (imports of them in the project's files).
MOVED_MODULES = {
    "app.routes.items": "app.items.routes",
    "app.routes.health": "app.health.routes",
    "app.routes.client_config": "app.client_config.routes",
    "app.jobs.tasks.items": "app.items.tasks",
    "app.jobs.tasks.accounts": "app.accounts.tasks",
    "app.jobs.tasks.audit": "app.audit.tasks",
    "app.jobs.tasks.mail": "app.jobs.mail",
    "app.accounts.admin": "app.accounts.cli",
    "app.accounts.csrf": "app.csrf",
    "app.admin.impersonation": "app.accounts.impersonation",
    "app.seed": "app.items.seed",
}
# Names that left a module that stays, module -> {name: new module}.
MOVED_NAMES = {
    "app.admin.dependencies": {
        "forbidden": "app.accounts.dependencies",
        "not_impersonating": "app.accounts.dependencies",
    },
    "app.mail.contexts": dict(TEMPLATE_CONTEXTS),
}
# Where the project's own Python files are that may import a moved module.
FOLDERS = ("app", "tests", "migrations", "scripts")
TAKEN = {"accounts", "admin", "audit", "client_config", "health", "items", "jobs", "mail"}
TAKEN |= {"models", "routes", "csrf", "cli", "discovery"}


def fail(message: str) -> None:
    print(f"area packages: {message}; nothing was changed", file=sys.stderr)
    sys.exit(1)


def shipped_files(template: Path, release: str) -> set[str]:
    """The project paths of the `.py` files the release the project comes from rendered."""
    listing = subprocess.run(
        ["git", "-C", str(template), "ls-tree", "-r", "--name-only", release, "template/"],
        capture_output=True,
        text=True,
        check=False,
    )
    if listing.returncode:
        fail(f"cannot list the files of {release}: {listing.stderr.strip()}")
    paths = (
        name.removeprefix("template/").removesuffix(".jinja") for name in listing.stdout.split()
    )
    return {path for path in paths if path.endswith(".py")}


def planned_moves(project: Path) -> dict[Path, Path]:
    """The project's own routes and task modules, and where each goes."""
    moves: dict[Path, Path] = {}
    for folder, shipped, kind in (
        ("app/routes", TEMPLATE_ROUTES, "routes"),
        ("app/jobs/tasks", TEMPLATE_TASKS, "tasks"),
    ):
        for source in sorted((project / folder).glob("*.py")):
            if source.stem not in shipped:
                moves[source] = project / "app" / source.stem / f"{kind}.py"
    for source, target in moves.items():
        area = target.parent.name
        if area in TAKEN or target.exists() or (project / "app" / f"{area}.py").exists():
            fail(
                f"{source.relative_to(project)} would become {target.relative_to(project)}, which"
                " is taken: move it into an area package of your own, then update again"
            )
    return moves


def path_of(module: str) -> str:
    return module.replace(".", "/") + ".py"


def move_edited_template_files(project: Path, template: Path, release: str) -> list[str]:
    """Template modules the project edited go where the new release has them, so the update
    merges the edit there (or shows both sides) instead of deleting the file with the edit."""
    moved = []
    for old, new in MOVED_MODULES.items():
        source, target = project / path_of(old), project / path_of(new)
        if not source.is_file() or target.exists():
            continue
        shipped = subprocess.run(
            ["git", "-C", str(template), "show", f"{release}:template/{path_of(old)}"],
            capture_output=True,
            text=True,
            check=False,
        )
        if shipped.returncode == 0 and shipped.stdout == source.read_text():
            continue  # unedited: the update moves it
        target.parent.mkdir(exist_ok=True)
        source.rename(target)
        moved.append(path_of(new))
        print(f"area packages: moved your edited {path_of(old)} to {path_of(new)}")
    return moved


def dotted(path: Path, project: Path) -> str:
    return ".".join(path.relative_to(project).with_suffix("").parts)


def move_contexts(
    project: Path, template: Path, release: str, moves: dict[Path, Path]
) -> dict[str, str]:
    """Move the project's own email contexts out of app/mail/contexts.py; {class: new module}."""
    contexts = project / "app/mail/contexts.py"
    if not contexts.is_file():
        return {}
    source = contexts.read_text()
    tree = ast.parse(source)
    own = [
        node
        for node in tree.body
        if isinstance(node, ast.ClassDef) and node.name not in TEMPLATE_CONTEXTS
    ]
    if not own:
        return {}
    imports = [node for node in tree.body if isinstance(node, (ast.Import, ast.ImportFrom))]
    new_homes: dict[str, str] = {}
    by_area: dict[Path, list[ast.ClassDef]] = {}
    for node in own:
        users = [
            target
            for source_path, target in moves.items()
            if re.search(rf"\b{node.name}\b", source_path.read_text())
        ]
        template_name = next(
            (
                statement.value.value
                for statement in node.body
                if isinstance(statement, ast.Assign) and isinstance(statement.value, ast.Constant)
            ),
            node.name.lower(),
        )
        area = users[0].parent if users else project / "app" / str(template_name)
        if not users and (area.name in TAKEN or area.exists()):
            fail(f"the email context {node.name} has no area: move it by hand")
        by_area.setdefault(area, []).append(node)
        new_homes[node.name] = f"app.{area.name}.emails"
    for area, nodes in by_area.items():
        target = area / "emails.py"
        if target.exists():
            fail(f"{target.relative_to(project)} exists: move {nodes[0].name} by hand")
        body = "\n\n\n".join(ast.get_source_segment(source, node) or "" for node in nodes)
        needed = [
            segment for node in imports if (segment := used_import(source, node, body)) is not None
        ]
        header = (
            f'"""The {area.name} area\'s email contexts (moved from app/mail/contexts.py)."""\n\n'
        )
        target.parent.mkdir(exist_ok=True)
        target.write_text(
            header
            + "\n".join([*needed, "from app.mail.contexts import EmailContext"])
            + "\n\n\n"
            + body
            + "\n"
        )
    shipped = subprocess.run(
        ["git", "-C", str(template), "show", f"{release}:template/app/mail/contexts.py"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    if all(
        ast.get_source_segment(source, node) in shipped
        for node in tree.body
        if isinstance(node, ast.ClassDef) and node.name in TEMPLATE_CONTEXTS
    ):
        contexts.write_text(shipped)  # the template's own classes unchanged: the update applies
    return new_homes


def used_import(source: str, node: ast.Import | ast.ImportFrom, body: str) -> str | None:
    """The import statement with only the names `body` uses, or None."""
    if isinstance(node, ast.ImportFrom) and node.module == "app.mail.contexts":
        return None
    names = [
        alias
        for alias in node.names
        if re.search(rf"\b{(alias.asname or alias.name).split('.')[0]}\b", body)
    ]
    if not names:
        return None
    listed = ", ".join(
        alias.name + (f" as {alias.asname}" if alias.asname else "") for alias in names
    )
    if isinstance(node, ast.ImportFrom):
        return f"from {node.module} import {listed}"
    return f"import {listed}"


def rewrite_imports(path: Path, modules: dict[str, str], names: dict[str, dict[str, str]]) -> None:
    """Point `from old import …` statements at the modules' new homes (line by line)."""
    source = path.read_text()
    lines = source.splitlines(keepends=True)
    changed = False
    try:
        tree = ast.parse(source)
    except SyntaxError:  # newer Python than this python3 reads: leave it, and say so
        print(f"area packages: could not read {path}; check its imports by hand", file=sys.stderr)
        return
    for node in sorted(ast.walk(tree), key=lambda n: -getattr(n, "lineno", 0)):
        if not isinstance(node, ast.ImportFrom) or node.level or node.module is None:
            continue
        homes: dict[str, list[str]] = {}
        for alias in node.names:
            module = modules.get(node.module) or names.get(node.module, {}).get(
                alias.name, node.module
            )
            homes.setdefault(module, []).append(
                alias.name + (f" as {alias.asname}" if alias.asname else "")
            )
        if list(homes) == [node.module]:
            continue
        indent = lines[node.lineno - 1][: node.col_offset]
        statements = "".join(
            f"{indent}from {module} import {', '.join(aliases)}\n"
            for module, aliases in homes.items()
        )
        lines[node.lineno - 1 : node.end_lineno] = [statements]
        changed = True
    if changed:
        path.write_text("".join(lines))


def main(project: Path, template: Path, release: str) -> None:
    if not (project / "app/routes/__init__.py").is_file():
        return  # already in the area layout
    shipped = shipped_files(template, release)
    moves = planned_moves(project)
    contexts = move_contexts(project, template, release, moves)
    edited = move_edited_template_files(project, template, release)
    for source, target in moves.items():
        target.parent.mkdir(exist_ok=True)
        init = target.parent / "__init__.py"
        if not init.exists():
            init.write_text(f'"""The {target.parent.name} area: its routes, tasks and emails."""\n')
        source.rename(target)
        print(
            f"area packages: moved {source.relative_to(project)} to {target.relative_to(project)}"
        )
    modules = dict(MOVED_MODULES)
    modules.update(
        {dotted(source, project): dotted(target, project) for source, target in moves.items()}
    )
    names = {module: dict(homes) for module, homes in MOVED_NAMES.items()}
    names["app.mail.contexts"].update(contexts)
    for folder in FOLDERS:
        for path in sorted((project / folder).rglob("*.py")):
            relative = str(path.relative_to(project))
            if (relative not in shipped or relative in edited) and ".venv" not in path.parts:
                rewrite_imports(path, modules, names)
    # Copier reads the project's index, not its files: stage what moved (the tree was clean).
    folders = [folder for folder in FOLDERS if (project / folder).is_dir()]
    subprocess.run(["git", "add", "-A", "--", *folders], cwd=project, check=True)


if __name__ == "__main__":
    main(Path.cwd(), Path(sys.argv[1]), sys.argv[2])
