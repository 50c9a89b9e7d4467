"""Serves the built web app: immutable hashed assets, a revalidated index.html, SPA fallback."""

import base64
import hashlib
import mimetypes
import os
import stat
from html.parser import HTMLParser
from pathlib import Path

import structlog
from fastapi import FastAPI, HTTPException, status
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.responses import FileResponse, Response
from starlette.routing import BaseRoute, Match
from starlette.staticfiles import NotModifiedResponse, StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.middleware import SECURITY_HEADERS
from app.observability import browser_connect_sources
from app.settings import Settings

logger = structlog.get_logger(__name__)

ASSETS_PATH = "/assets"
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
ENCODINGS = (("br", ".br"), ("gzip", ".gz"))


class BundleMissingError(RuntimeError):
    """Raised at start in production when the web bundle has not been built."""


class PrecompressedAssets(StaticFiles):
    """Content-hashed files, cached for a year; clients that accept it get the `.br`/`.gz` copy."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        request_headers = Headers(scope=scope)
        accepted = {
            part.split(";")[0].strip()
            for part in request_headers.get("accept-encoding", "").split(",")
        }
        for encoding, suffix in ENCODINGS:
            if encoding not in accepted:
                continue
            full_path, stat_result = await run_in_threadpool(self.lookup_path, path + suffix)
            if stat_result is not None and stat.S_ISREG(stat_result.st_mode):
                media_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
                response: Response = FileResponse(
                    full_path,
                    stat_result=stat_result,
                    media_type=media_type,
                    headers={"content-encoding": encoding},
                )
                if self.is_not_modified(response.headers, request_headers):
                    response = NotModifiedResponse(response.headers)
                break
        else:
            response = await super().get_response(path, scope)
        response.headers["cache-control"] = IMMUTABLE
        response.headers["vary"] = "Accept-Encoding"
        return response


class _InlineScripts(HTMLParser):
    """Collects the text of every `<script>` without a `src` in an HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[str] = []
        self._inside: bool = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._inside = tag == "script" and "src" not in dict(attrs)
        if self._inside:
            self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._inside = False

    def handle_data(self, data: str) -> None:
        if self._inside:
            self.scripts[-1] += data


def page_content_security_policy(index_html: str, connect_sources: list[str]) -> str:
    """The app's policy plus the sha256 of each inline script React Router writes into the page,
    and the outside origins the page may send to (error tracking)."""
    parser = _InlineScripts()
    parser.feed(index_html)
    hashes = " ".join(
        f"'sha256-{base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()}'"
        for script in parser.scripts
    )
    policy = dict(SECURITY_HEADERS)[b"content-security-policy"].decode()
    policy = f"{policy}; script-src 'self' {hashes}".rstrip()
    return f"{policy}; connect-src 'self' {' '.join(connect_sources)}".rstrip()


class PageHeadersMiddleware:
    """Non-hashed files (above all the SPA's HTML) are revalidated on every visit, and the page's
    policy allows exactly the inline scripts of the built index.html."""

    def __init__(self, app: ASGIApp, *, content_security_policy: str) -> None:
        self.app = app
        self.content_security_policy = content_security_policy.encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        if not path or path.startswith(("/api/", ASSETS_PATH + "/")) or path == "/api":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = Headers(raw=message.get("headers", []))
                extra: list[tuple[bytes, bytes]] = []
                if "cache-control" not in headers:
                    extra.append((b"cache-control", REVALIDATE.encode()))
                # Also on 304s: a browser replaces the cached page's headers with theirs.
                extra.append((b"content-security-policy", self.content_security_policy))
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, send_with_headers)


class UnknownApiPath(BaseRoute):
    """Unknown `/api/...` paths answer with the JSON 404, never with the SPA's HTML.

    It matches only *partially*, so a real route that knows the path but not the method still
    answers 405 first, and it runs before FastAPI's low-priority frontend routes.
    """

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        path = scope.get("path", "")
        if scope["type"] == "http" and (path == "/api" or path.startswith("/api/")):
            return Match.PARTIAL, {}
        return Match.NONE, {}

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        raise HTTPException(status.HTTP_404_NOT_FOUND)


def install_frontend(app: FastAPI, settings: Settings) -> None:
    """Serve `settings.web_dist_dir`; when it is missing, fail in production and explain in dev."""
    app.router.routes.append(UnknownApiPath())
    bundle = Path(settings.web_dist_dir)
    index = bundle / "index.html"
    if not index.is_file():
        message = (
            f"The web bundle is missing ({index} not found). Build it with `just build_web`"
            " (or set WEB_DIST_DIR)."
        )
        if settings.is_production:
            raise BundleMissingError(message)
        logger.info(
            "web_bundle_missing",
            hint="`just dev` serves the app with Vite on $WEB_PORT; `just build_web` builds it",
            path=str(index),
        )
        return
    if (bundle / ASSETS_PATH.strip("/")).is_dir():
        app.mount(ASSETS_PATH, PrecompressedAssets(directory=bundle / "assets"), name="assets")
    app.frontend("/", directory=os.fspath(bundle), fallback="index.html")
    app.add_middleware(
        PageHeadersMiddleware,
        content_security_policy=page_content_security_policy(
            index.read_text(), browser_connect_sources(settings)
        ),
    )
