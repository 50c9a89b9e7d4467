"""Adding a table, a router or a task is dropping a file: discovery finds it by module name."""

import importlib
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi import APIRouter, FastAPI
from sqlmodel import SQLModel

from app.discovery import area_module_names, table_modules
from app.routes import discover_routers, include_routers

WIDGET_MODEL = """
from sqlmodel import Field, SQLModel

class Widget(SQLModel, table=True):
    __tablename__ = "discovery_test_widgets"
    id: int | None = Field(default=None, primary_key=True)
"""
WIDGETS_ROUTES = """
from fastapi import APIRouter

widgets_router = APIRouter(prefix="/api/widgets")
_helper_router = APIRouter()  # private: not included


@widgets_router.get("")
async def list_widgets() -> list[str]:
    return ["sprocket"]
"""
ORDERS_ROUTES = WIDGETS_ROUTES.replace("widgets", "orders")
# Like app/accounts/routes.py: the one login check, and a router that opts out of it.
GATE_ROUTES = """
from fastapi import Header, HTTPException

from app.routes import LoginRequired, PublicRouter


async def signed_in(x_user: str | None = Header(default=None)) -> str:
    if x_user is None:
        raise HTTPException(401)
    return x_user


login_required = LoginRequired(signed_in)
lobby_router = PublicRouter(prefix="/api/lobby")


@lobby_router.get("")
async def lobby() -> str:
    return "welcome"
"""


@pytest.fixture
def project(tmp_path: Path) -> Iterator[str]:
    """A package shaped like `app/`, with one file of each kind dropped into it."""
    root = tmp_path / "dropped"
    files = {
        "__init__.py": "",
        "models/__init__.py": "",
        "models/widget.py": WIDGET_MODEL,
        "shop/__init__.py": "",  # an area package, like app/accounts/
        "gate/__init__.py": "",
        "gate/routes.py": GATE_ROUTES,
        "shop/routes.py": ORDERS_ROUTES,
        "shop/tasks.py": "",
        "widgets/__init__.py": "",
        "widgets/routes.py": WIDGETS_ROUTES,
        "mail/__init__.py": "raise RuntimeError('a package without that module stays out')",
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
    if "discovery_test_widgets" in SQLModel.metadata.tables:
        SQLModel.metadata.remove(SQLModel.metadata.tables["discovery_test_widgets"])


def test_a_dropped_model_file_registers_its_table(project: str) -> None:
    table_modules(project)

    assert "discovery_test_widgets" in SQLModel.metadata.tables


def test_an_areas_routes_file_is_included(project: str) -> None:
    routers = discover_routers(project)

    assert [router.prefix for router in routers] == ["/api/lobby", "/api/orders", "/api/widgets"]
    assert all(isinstance(router, APIRouter) for router in routers)


async def test_a_dropped_router_needs_a_logged_in_user_unless_it_says_it_is_public(
    project: str,
) -> None:
    app = FastAPI()
    include_routers(app, project)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://testserver"
    ) as client:
        assert (await client.get("/api/widgets")).status_code == 401
        assert (await client.get("/api/widgets", headers={"x-user": "ada"})).json() == ["sprocket"]
        assert (await client.get("/api/lobby")).json() == "welcome"


def test_an_areas_modules_are_found_by_name(project: str) -> None:
    assert area_module_names("tasks", project) == [f"{project}.shop.tasks"]
    assert area_module_names("cli", project) == []


def test_the_app_registers_every_table_of_the_template() -> None:
    import app.models  # noqa: F401  # what migrations/env.py imports

    assert "items" in SQLModel.metadata.tables
