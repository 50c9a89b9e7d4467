"""HTTP routes, one module per area, each found by `discover_routers` (no list to edit here)."""

from fastapi import APIRouter

from app.discovery import import_modules

# Where the JSON API lives; every API router's prefix starts with it, and nothing else does.
API_PREFIX = "/api"


def discover_routers(root: str = "app") -> list[APIRouter]:
    """Every public `APIRouter` defined at the top of a `routes` module (each one once)."""
    routers: dict[int, APIRouter] = {}  # by identity: routers without routes compare equal
    for module in import_modules("routes", root):
        for name, value in vars(module).items():
            if isinstance(value, APIRouter) and not name.startswith("_"):
                routers.setdefault(id(value), value)
    return list(routers.values())
