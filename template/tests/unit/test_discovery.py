"""Adding a model or a router is dropping a file: discovery finds both shapes of module."""

import importlib
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import APIRouter
from sqlmodel import SQLModel

from app.discovery import import_modules
from app.routes import discover_routers

WIDGET_MODEL = """
from sqlmodel import Field, SQLModel

class Widget(SQLModel, table=True):
    __tablename__ = "discovery_test_widgets"
    id: int | None = Field(default=None, primary_key=True)
"""
ORDER_MODEL = WIDGET_MODEL.replace("Widget", "Order").replace("widgets", "orders")
WIDGETS_ROUTES = """
from fastapi import APIRouter

widgets_router = APIRouter(prefix="/api/widgets")
_helper_router = APIRouter()  # private: not included
"""
ORDERS_ROUTES = WIDGETS_ROUTES.replace("widgets", "orders")


@pytest.fixture
def project(tmp_path: Path) -> Iterator[str]:
    """A package shaped like `app/`, with one file of each kind dropped into it."""
    root = tmp_path / "dropped"
    files = {
        "__init__.py": "",
        "models/__init__.py": "",
        "models/widget.py": WIDGET_MODEL,
        "routes/__init__.py": "",
        "routes/widgets.py": WIDGETS_ROUTES,
        "shop/__init__.py": "",  # an area package, like app/accounts/
        "shop/models.py": ORDER_MODEL,
        "shop/routes.py": ORDERS_ROUTES,
        "mail/__init__.py": "raise RuntimeError('a package without models or routes stays out')",
    }
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    sys.path.insert(0, str(tmp_path))
    importlib.invalidate_caches()
    yield "dropped"
    sys.path.remove(str(tmp_path))
    for name in [module for module in sys.modules if module.split(".")[0] == "dropped"]:
        del sys.modules[name]
    for table in ("discovery_test_widgets", "discovery_test_orders"):
        if table in SQLModel.metadata.tables:
            SQLModel.metadata.remove(SQLModel.metadata.tables[table])


def test_a_dropped_model_file_registers_its_table(project: str) -> None:
    import_modules("models", project)

    assert {"discovery_test_widgets", "discovery_test_orders"} <= set(SQLModel.metadata.tables)


def test_a_dropped_routes_file_is_included(project: str) -> None:
    routers = discover_routers(project)

    assert [router.prefix for router in routers] == ["/api/widgets", "/api/orders"]
    assert all(isinstance(router, APIRouter) for router in routers)


def test_the_app_registers_every_table_of_the_template() -> None:
    import app.models  # noqa: F401  # what migrations/env.py imports

    assert "items" in SQLModel.metadata.tables
