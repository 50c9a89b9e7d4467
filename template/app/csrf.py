"""Cross-site request forgery: unsafe requests must come from this site's own pages.

Chosen over a double-submit token because browsers already say where a request comes from
(`Sec-Fetch-Site`, else `Origin`) and neither can be forged by another site's page; the SPA
needs no token plumbing, and a cross-site form POST is refused before any route code runs.
"""

from urllib.parse import urlsplit

from fastapi import Request, status

from app.errors import ApiError
from app.settings import get_settings

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
# `none`: typed into the address bar or a bookmark; `same-site` (a sibling subdomain) is refused.
TRUSTED_FETCH_SITES = frozenset({"same-origin", "none"})


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


async def require_same_origin(request: Request) -> None:
    """A router dependency: refuse unsafe methods unless the browser says they are same-origin.

    `async` although it awaits nothing: FastAPI runs a plain `def` dependency in its threadpool,
    a thread hand-off on every request that cost more than the check itself (README, Performance).
    """
    if request.method in SAFE_METHODS:
        return
    fetch_site = request.headers.get("sec-fetch-site")
    if fetch_site is not None:
        if fetch_site in TRUSTED_FETCH_SITES:
            return
    else:
        origin = request.headers.get("origin")
        own = {_origin(str(request.base_url)), _origin(get_settings().public_url)}
        if origin is not None and origin.lower() in own:
            return
    raise ApiError(
        status.HTTP_403_FORBIDDEN,
        "csrf_failed",
        "Cross-site request refused: send it from this site's pages (Origin or Sec-Fetch-Site).",
    )
