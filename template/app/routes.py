"""The JSON API's prefix, and the routers of every area's `routes.py` (no list to edit here),
closed by default: each needs a logged-in user unless it is a `PublicRouter`."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Depends, FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.dependencies.utils import get_flat_params
from fastapi.routing import APIRoute

from app.csrf import SAFE_METHODS
from app.db import get_session
from app.discovery import area_modules
from app.errors import error_responses

# Where the JSON API lives; every API router's prefix starts with it, and nothing else does.
API_PREFIX = "/api"


class PublicRouter(APIRouter):
    """A router whose operations answer without a logged-in user, said where it is defined.

    Every other router needs one; tests/routes/test_public_operations.py lists what is open, so a
    new public operation shows up in review. A route of a public router may still ask for a user.
    """


@dataclass(frozen=True)
class LoginRequired:
    """The check that makes an operation need a logged-in user, given to every router that is not
    a `PublicRouter`. The accounts area defines the one instance, in its `routes.py`."""

    dependency: Callable[..., Any]


def _area_routes_values(root: str) -> list[object]:
    return [
        value
        for module in area_modules("routes", root)
        for name, value in vars(module).items()
        if not name.startswith("_")
    ]


def discover_routers(root: str = "app") -> list[APIRouter]:
    """Every public `APIRouter` defined at the top of an area's `routes.py` (each one once)."""
    routers: dict[int, APIRouter] = {}  # by identity: routers without routes compare equal
    for value in _area_routes_values(root):
        if isinstance(value, APIRouter):
            routers.setdefault(id(value), value)
    return list(routers.values())


def discover_login_required(root: str = "app") -> LoginRequired:
    """The one `LoginRequired` of the areas' `routes.py`; none or two stop the app at start."""
    found = {id(value): value for value in _area_routes_values(root)}  # imported ones count once
    checks = [value for value in found.values() if isinstance(value, LoginRequired)]
    if len(checks) != 1:
        raise RuntimeError(
            f"the areas' routes.py define {len(checks)} LoginRequired checks, and exactly one "
            "must say what a logged-in user is (app/accounts/routes.py defines it)"
        )
    return checks[0]


def include_routers(app: FastAPI, root: str = "app") -> None:
    """Include every discovered router: a `PublicRouter` as it is, any other behind the login
    check (its operations answer 401 to a caller without a live session). Each operation's
    OpenAPI entry names the errors it can answer (`document_errors`)."""
    login_required = discover_login_required(root)
    for router in discover_routers(root):
        public = isinstance(router, PublicRouter)
        for route in router.routes:
            if isinstance(route, APIRoute):
                document_errors(route, needs_login=not public)
        dependencies = [] if public else [Depends(login_required.dependency)]
        app.include_router(router, dependencies=dependencies)


def _calls(dependant: Dependant, dependency: Callable[..., Any]) -> bool:
    return dependant.call is dependency or any(
        _calls(sub_dependant, dependency) for sub_dependant in dependant.dependencies
    )


def document_errors(route: APIRoute, *, needs_login: bool) -> None:
    """Add to the operation's OpenAPI responses the errors the floor answers for it, from what it
    is: 401 behind the login check, 403 from the CSRF check (unsafe methods), 400, 413 and 422
    for a body, 422 for parameters, 503 when it uses the database. The errors its own code raises
    (404, 409, 429…) it declares itself; every operation may answer 500 (app/server.py)."""
    statuses = set()
    if needs_login:
        statuses.add(401)
    if set(route.methods or ()) - SAFE_METHODS:
        statuses.add(403)
    if route.body_field is not None:
        statuses |= {400, 413, 422}  # 400: a body that cannot be parsed at all
    if get_flat_params(route.dependant):
        statuses.add(422)
    if needs_login or _calls(route.dependant, get_session):
        statuses.add(503)
    declared = {int(status) for status in route.responses}
    route.responses.update(error_responses(*sorted(statuses - declared)))
