"""FastAPI application factory: settings, logging, middleware, routers, the web app."""

from asgi_correlation_id import CorrelationIdMiddleware
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.routing import APIRoute

from app.errors import install_error_handlers
from app.frontend import install_frontend
from app.logging import configure_logging
from app.middleware import RequestLoggingMiddleware, SecurityHeadersMiddleware
from app.observability import init_error_tracking
from app.routes import api_router
from app.routes.health import health_router
from app.settings import get_settings


def operation_id(route: APIRoute) -> str:
    """Stable OpenAPI operation ids (`items-list_items`) that become the client's function names."""
    return f"{route.tags[0]}-{route.name}" if route.tags else route.name


def create_app() -> FastAPI:
    settings = get_settings()
    configure_logging(settings)
    init_error_tracking(settings, "web")
    app = FastAPI(
        title=settings.project_name,
        generate_unique_id_function=operation_id,
        docs_url=None if settings.is_production else "/api/docs",
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    install_error_handlers(app)
    app.include_router(health_router)
    app.include_router(api_router)
    install_frontend(app, settings)

    # Added last runs first: the request id exists before logging, headers wrap everything.
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["*"],
            allow_headers=["*"],
            expose_headers=["X-Request-ID"],
        )
    app.add_middleware(SecurityHeadersMiddleware, hsts=settings.is_production)
    app.add_middleware(RequestLoggingMiddleware)
    app.add_middleware(CorrelationIdMiddleware, header_name="X-Request-ID")
    return app
