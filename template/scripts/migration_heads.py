"""Print the head revisions of migrations/versions, one per line.

Read from the files' text with `ast` instead of `alembic heads`, which imports every migration and
so needs the project's environment, which the update that brought new migrations may have changed.
"""

import ast
import sys
from pathlib import Path

VERSIONS = Path(__file__).resolve().parent.parent / "migrations" / "versions"


def _assigned(path: Path) -> dict[str, object]:
    """The module-level `revision` and `down_revision` values of one migration file."""
    values: dict[str, object] = {}
    for node in ast.parse(path.read_text(), filename=str(path)).body:
        if isinstance(node, ast.AnnAssign) and node.value is not None:
            target, value = node.target, node.value
        elif isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
        else:
            continue
        if isinstance(target, ast.Name) and target.id in {"revision", "down_revision"}:
            values[target.id] = ast.literal_eval(value)
    return values


def heads() -> list[str]:
    """Revisions no other revision names as its parent."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in sorted(VERSIONS.glob("*.py")):
        values = _assigned(path)
        revisions.add(str(values["revision"]))
        down = values.get("down_revision")
        if isinstance(down, str):
            parents.add(down)
        elif isinstance(down, tuple | list):
            parents.update(str(parent) for parent in down)
    return sorted(revisions - parents)


if __name__ == "__main__":
    try:
        print("\n".join(heads()))
    except (SyntaxError, KeyError) as error:
        sys.exit(f"migration_heads: cannot read migrations/versions ({error}); fix that file first")
