"""HTTP routes, one module per area, collected into the API router here."""

from fastapi import APIRouter

from app.errors import ErrorResponse
from app.routes.client_config import client_config_router
from app.routes.items import items_router

api_router = APIRouter(
    prefix="/api",
    responses={
        404: {"model": ErrorResponse, "description": "Not found"},
        422: {"model": ErrorResponse, "description": "Invalid input, with one entry per field"},
        503: {"model": ErrorResponse, "description": "A dependency is down; see Retry-After"},
    },
)
api_router.include_router(items_router)
api_router.include_router(client_config_router)
