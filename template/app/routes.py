"""The JSON API's prefix, and the routers of every area's `routes.py` (no list to edit here)."""

from fastapi import APIRouter

from app.discovery import area_modules

# Where the JSON API lives; every API router's prefix starts with it, and nothing else does.
API_PREFIX = "/api"


def discover_routers(root: str = "app") -> list[APIRouter]:
    """Every public `APIRouter` defined at the top of an area's `routes.py` (each one once)."""
    routers: dict[int, APIRouter] = {}  # by identity: routers without routes compare equal
    for module in area_modules("routes", root):
        for name, value in vars(module).items():
            if isinstance(value, APIRouter) and not name.startswith("_"):
                routers.setdefault(id(value), value)
    return list(routers.values())
