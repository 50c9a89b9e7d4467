"""Add by dropping a file: tables and each area's modules are found by name, never listed.

Every table lives in a module of `app/models/`, the shared floor. Everything else of a feature lives
in its area package `app/<area>/`, in modules named by what they hold: `routes.py` (routers),
`tasks.py` (jobs), `emails.py` (email contexts) and `cli.py` (commands). The floor reaches an area
only through these functions, by module name, so it never imports one. No FastAPI here: the worker
imports this module to find its tasks.
"""

import importlib
import pkgutil
from pathlib import Path
from types import ModuleType


def table_modules(root: str = "app") -> list[ModuleType]:
    """Import every module of `app/models/`: importing one registers its tables."""
    package = importlib.import_module(f"{root}.models")
    return [
        importlib.import_module(f"{package.__name__}.{module.name}")
        for module in pkgutil.iter_modules(package.__path__)
    ]


def area_module_names(kind: str, root: str = "app") -> list[str]:
    """`app.<area>.<kind>` for every package of `app/` that has a `<kind>.py`, by area name.

    Found on disk without importing anything: an area without such a module is left alone.
    """
    root_path = Path(importlib.import_module(root).__path__[0])
    return [
        f"{root}.{package.name}.{kind}"
        for package in sorted(root_path.iterdir())
        if (package / "__init__.py").is_file() and (package / f"{kind}.py").is_file()
    ]


def area_modules(kind: str, root: str = "app") -> list[ModuleType]:
    """Import every area's `<kind>.py` (see `area_module_names`)."""
    return [importlib.import_module(name) for name in area_module_names(kind, root)]
