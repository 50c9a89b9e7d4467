"""FastAPI application factory: settings, logging, the HTTP layer, routers, the web app."""

from fastapi import Depends, FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.routing import APIRoute
from starlette.middleware import Middleware

from app.csrf import require_same_origin
from app.errors import error_responses, install_error_handlers
from app.frontend import find_web_bundle, install_frontend
from app.logging import configure_logging
from app.middleware import HttpLayer
from app.observability import browser_connect_sources, init_error_tracking
from app.routes import API_PREFIX, include_routers
from app.security_headers import SecurityHeaders, page_policy
from app.settings import Settings, get_settings

SWAGGER_UI_FILES = "https://cdn.jsdelivr.net"


def operation_id(route: APIRoute) -> str:
    """Stable OpenAPI operation ids (`items-list_items`) that become the client's function names."""
    return f"{route.tags[0]}-{route.name}" if route.tags else route.name


def create_app() -> FastAPI:
    settings = get_settings()
    configure_logging(settings)
    init_error_tracking(settings, "web")
    bundle = find_web_bundle(settings)
    security_headers = SecurityHeaders(
        hsts=settings.is_production,
        index_html=bundle.index_html if bundle else None,
        connect_to=browser_connect_sources(settings),
    )
    middleware = [  # outermost first: every response, assets and errors included, passes HttpLayer
        Middleware(
            HttpLayer,
            security_headers=security_headers,
            max_body_bytes=settings.request_max_body_bytes,
            allowed_hosts=settings.answered_hosts,
        ),
        *cors_middleware(settings),
        *([bundle.assets_middleware()] if bundle else []),
    ]
    docs = settings.serves_api_docs
    app = FastAPI(
        title=settings.project_name,
        generate_unique_id_function=operation_id,
        openapi_url=f"{API_PREFIX}/openapi.json" if docs else None,
        docs_url=None,
        redoc_url=None,
        # Any operation may fail unexpectedly; the rest each operation lists (app/routes.py).
        responses=error_responses(500),
        middleware=middleware,
        # Traces go to Sentry (app/observability.py): FastAPI's native OpenTelemetry would be a
        # second way, and looking for its providers costs every request a little CPU.
        telemetry={"tracing": False, "metrics": False, "logs": False},
        # Every unsafe request passes the CSRF check before any route code runs.
        dependencies=[Depends(require_same_origin)],
    )
    install_error_handlers(app)
    if docs:
        add_api_docs(app)
    include_routers(app)
    install_frontend(app, bundle)
    return app


def add_api_docs(app: FastAPI) -> None:
    """Swagger UI at `/api/docs`, under a page policy that lets it load its files from jsDelivr."""
    assert app.openapi_url is not None
    page = get_swagger_ui_html(
        openapi_url=app.openapi_url, title=f"{app.title} API", swagger_favicon_url="data:,"
    )
    html = bytes(page.body).decode()
    policy = page_policy(html, also_from=SWAGGER_UI_FILES)

    @app.get(f"{API_PREFIX}/docs", include_in_schema=False)
    async def api_docs() -> HTMLResponse:
        return HTMLResponse(html, headers={"content-security-policy": policy})


def cors_middleware(settings: Settings) -> list[Middleware]:
    """Closed unless `CORS_ORIGINS` names the origins a browser may call the API from."""
    if not settings.cors_origins:
        return []
    return [
        Middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["*"],
            allow_headers=["*"],
            expose_headers=["X-Request-ID"],
        )
    ]
