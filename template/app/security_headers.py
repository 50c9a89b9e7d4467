"""One response-headers policy, decided by what a response is (its content type), not by route.

HTML pages get the page's Content-Security-Policy (its inline scripts allowed by hash); every
other response gets a policy that allows nothing. A header a response sets itself is kept.
"""

import base64
import hashlib
from collections.abc import Sequence
from html.parser import HTMLParser

BROWSER_HARDENING = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]
HSTS = (b"strict-transport-security", b"max-age=63072000; includeSubDomains")
# JSON, files and errors are never documents that run code.
RESOURCE_POLICY = b"default-src 'none'; frame-ancestors 'none'"
# Responses that say nothing about caching are revalidated (the SPA's index.html above all).
DEFAULT_CACHE_CONTROL = (b"cache-control", b"no-cache")
# JSON is the API's answer, often someone's own data: no cache, shared or not, keeps a copy
# (ASVS 8.2.1), so a browser's back button or a proxy never shows it to the next person.
JSON_CACHE_CONTROL = (b"cache-control", b"no-store")


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


def page_policy(html: str | None, *, also_from: str = "", connect_to: Sequence[str] = ()) -> str:
    """A page's policy: its own files (and `also_from`), exactly the inline scripts it has, and
    the outside origins its scripts may send to (`connect_to`: error tracking, analytics)."""
    parser = _InlineScripts()
    parser.feed(html or "")
    hashes = " ".join(
        f"'sha256-{base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()}'"
        for script in parser.scripts
    )
    sources = f"'self' {also_from}".strip()
    connect = f"; connect-src 'self' {' '.join(connect_to)}" if connect_to else ""
    return (
        f"default-src 'self'; img-src {sources} data:; style-src {sources} 'unsafe-inline'; "
        f"frame-ancestors 'none'; base-uri 'self'; form-action 'self'; "
        f"script-src {sources} {hashes}".rstrip()
        + connect
    )


class SecurityHeaders:
    """Which headers a response gets, from its status and content type."""

    def __init__(
        self, *, hsts: bool, index_html: str | None, connect_to: Sequence[str] = ()
    ) -> None:
        self.common = [*BROWSER_HARDENING, HSTS] if hsts else BROWSER_HARDENING
        self.page_policy = page_policy(index_html, connect_to=connect_to).encode()

    def missing_from(
        self, status: int, headers: list[tuple[bytes, bytes]]
    ) -> list[tuple[bytes, bytes]]:
        present = {name.lower(): value for name, value in headers}
        content_type = present.get(b"content-type", b"")
        # A 304 has no content type but replaces a cached page's headers: it keeps the page's.
        is_page = content_type.startswith(b"text/html") or status == 304
        policy = self.page_policy if is_page else RESOURCE_POLICY
        is_json = content_type.startswith(b"application/json")
        cache_control = JSON_CACHE_CONTROL if is_json else DEFAULT_CACHE_CONTROL
        wanted = [*self.common, (b"content-security-policy", policy), cache_control]
        return [header for header in wanted if header[0] not in present]
