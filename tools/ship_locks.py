"""Copy a render's locks into the template (`just deps_upgrade`): uv.lock with the project's own
name templated again, and the web app's pnpm lockfile and package.json as they are."""

import shutil
import sys
from pathlib import Path

TEMPLATE = Path(__file__).resolve().parent.parent / "template"
# The one line of uv.lock that differs between answer sets: the project's own package.
ROOT_PACKAGE = '[[package]]\nname = "{name}"\nversion = "0.1.0"\nsource = {{ editable = "." }}\n'
SLUG_ANSWER = "{{ project_slug }}"


def ship_locks(render: Path, template: Path = TEMPLATE, slug: str = "demo-app") -> None:
    lock = (render / "uv.lock").read_text()
    root = ROOT_PACKAGE.format(name=slug)
    if lock.count(root) != 1:
        raise SystemExit(f"ship_locks: {render}/uv.lock has no single entry for {slug} 0.1.0")
    templated = lock.replace(root, ROOT_PACKAGE.format(name=SLUG_ANSWER))
    (template / "uv.lock.jinja").write_text(templated)
    for name in ("pnpm-lock.yaml", "package.json"):
        shutil.copyfile(render / "web" / name, template / "web" / name)


if __name__ == "__main__":
    ship_locks(Path(sys.argv[1]))
