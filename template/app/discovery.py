"""Add by dropping a file: tables and routers are found by module name, never listed in a registry.

Tables live in `app/models/*.py` or in an area package's `app/<area>/models.py`; routers in
`app/routes/*.py` or `app/<area>/routes.py` (an area such as `app/accounts/`). Importing a models
module registers its tables; `app.routes.discover_routers` includes every public module-level
`APIRouter` of a routes module in the app, as it is (its prefix starts with `API_PREFIX` unless it
serves probes like `/livez`). No FastAPI here: the worker imports this module for its tables.
"""

import importlib
import pkgutil
from pathlib import Path
from types import ModuleType


def import_modules(kind: str, root: str = "app") -> list[ModuleType]:
    """Import every module of `app/<kind>/` and every area's `app/<area>/<kind>.py`.

    Areas are looked for on disk, so a package without such a module (jobs, mail) is not imported.
    """
    names: list[str] = []
    root_path = Path(importlib.import_module(root).__path__[0])
    packages = sorted(path for path in root_path.iterdir() if (path / "__init__.py").is_file())
    for package in packages:
        if package.name == kind:
            names.append(f"{root}.{kind}")
            names += [
                f"{root}.{kind}.{module.name}" for module in pkgutil.iter_modules([str(package)])
            ]
        elif (package / f"{kind}.py").is_file():
            names.append(f"{root}.{package.name}.{kind}")
    return [importlib.import_module(name) for name in names]
