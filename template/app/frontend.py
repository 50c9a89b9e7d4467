"""Serves the built web app: hashed assets by ServeStatic, other paths through the SPA fallback."""

import os
from dataclasses import dataclass
from pathlib import Path

import structlog
from fastapi import FastAPI, HTTPException, status
from servestatic import ServeStaticASGI
from starlette.middleware import Middleware
from starlette.routing import BaseRoute, Match
from starlette.types import Receive, Scope, Send

from app.routes import API_PREFIX
from app.settings import Settings

logger = structlog.get_logger(__name__)

ASSETS_PATH = "/assets"


class BundleMissingError(RuntimeError):
    """Raised at start in production when the web bundle has not been built."""


@dataclass(frozen=True)
class WebBundle:
    """A built web app (`pnpm build`): `index.html` and content-hashed files under `assets/`."""

    directory: Path

    @property
    def index_html(self) -> str:
        return (self.directory / "index.html").read_text()

    def assets_middleware(self) -> Middleware:
        """`/assets/*`: precompressed variants by Accept-Encoding (with `Vary`), cached forever.

        Every name there carries a content hash (Vite), so every file is immutable.
        """
        return Middleware(
            ServeStaticASGI,
            root=self.directory / ASSETS_PATH.strip("/"),
            prefix=ASSETS_PATH,
            immutable_file_test=lambda path, url: True,
            allow_all_origins=False,
        )


def find_web_bundle(settings: Settings) -> WebBundle | None:
    """`settings.web_dist_dir` when built; when it is not, fail in production and explain in dev."""
    bundle = Path(settings.web_dist_dir)
    index = bundle / "index.html"
    if index.is_file():
        return WebBundle(bundle)
    message = (
        f"The web bundle is missing ({index} not found). Build it with `just web_build`"
        " (or set WEB_DIST_DIR)."
    )
    if settings.is_production:
        raise BundleMissingError(message)
    logger.info(
        "web_bundle_missing",
        hint="`just dev` serves the app with Vite on $WEB_PORT; `just web_build` builds it",
        path=str(index),
    )
    return None


class NotFoundUnder(BaseRoute):
    """Unknown paths under a prefix (`/api`, `/assets`) answer with the JSON 404, never the SPA.

    It matches only *partially*, so a real route that knows the path but not the method still
    answers 405 first, and it runs before FastAPI's low-priority frontend routes.
    """

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        path = scope.get("path", "")
        if scope["type"] == "http" and (path == self.prefix or path.startswith(self.prefix + "/")):
            return Match.PARTIAL, {}
        return Match.NONE, {}

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        raise HTTPException(status.HTTP_404_NOT_FOUND)


def install_frontend(app: FastAPI, bundle: WebBundle | None) -> None:
    """The JSON 404 for unknown API and asset paths, then the SPA: files, else `index.html`."""
    app.router.routes.extend([NotFoundUnder(API_PREFIX), NotFoundUnder(ASSETS_PATH)])
    if bundle is not None:
        app.frontend("/", directory=os.fspath(bundle.directory), fallback="index.html")
