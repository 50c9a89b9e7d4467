"""HTTP routes, one module per area, collected into the API router here."""

from fastapi import APIRouter, Depends

from app.accounts.csrf import require_same_origin
from app.accounts.routes import account_router, auth_router
from app.admin.routes import admin_router, impersonation_router
from app.errors import ErrorResponse
from app.routes.items import items_router

# Every unsafe request under /api passes the CSRF check before any route code runs.
api_router = APIRouter(
    prefix="/api",
    dependencies=[Depends(require_same_origin)],
    responses={
        404: {"model": ErrorResponse, "description": "Not found"},
        422: {"model": ErrorResponse, "description": "Invalid input, with one entry per field"},
        503: {"model": ErrorResponse, "description": "A dependency is down; see Retry-After"},
    },
)
api_router.include_router(auth_router)
api_router.include_router(account_router)
api_router.include_router(items_router)
api_router.include_router(admin_router)
api_router.include_router(impersonation_router)
