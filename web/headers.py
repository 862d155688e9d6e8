"""Security headers on every HTTP response: no framing by other sites, and a content
security policy that lets the page load and connect to nothing but the app itself.

Wire it into the entry point as ``st.App("app.py", middleware=MIDDLEWARE)``. A pure ASGI
middleware (not ``BaseHTTPMiddleware``), so streamed responses and the WebSocket pass
through untouched.

What Streamlit's own frontend needs, and why each source is allowed:

- ``script-src 'self'`` plus the hash of each inline ``<script>`` in Streamlit's
  ``index.html`` (one line setting ``window.prerenderReady``), computed from the
  installed Streamlit so an upgrade cannot silently break the page, and
  ``'wasm-unsafe-eval'``: the frontend compiles WebAssembly (it may not ``eval`` script);
- ``style-src 'self' 'unsafe-inline'``: the frontend styles itself with injected
  ``<style>`` elements and ``style=`` attributes (emotion), as do our ``st.html`` styles;
- ``img-src``/``font-src`` ``data:`` and ``blob:``: icons, chart images and the report
  preview's embedded fonts arrive as data and blob URLs;
- ``connect-src 'self'`` and the same host over ``ws:``/``wss:``: the app's WebSocket;
- ``worker-src 'self' blob:``: grids and charts start workers from blob URLs;
- ``frame-src 'self'``, ``frame-ancestors 'self'`` and ``X-Frame-Options: SAMEORIGIN``:
  components may frame the app's own pages; no other site may frame the app
  (clickjacking).
"""

from __future__ import annotations

import base64
import hashlib
import re
from functools import cache
from pathlib import Path

from starlette.datastructures import MutableHeaders
from starlette.middleware import Middleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

_INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.S | re.I)


@cache
def inline_script_hashes() -> tuple[str, ...]:
    """CSP hash sources (``'sha256-…'``) of the inline scripts in Streamlit's index.html."""
    import streamlit

    page = (Path(streamlit.__file__).parent / "static" / "index.html").read_text(encoding="utf-8")
    return tuple(
        "'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'"
        for body in _INLINE_SCRIPT.findall(page)
    )


def content_security_policy(host: str | None) -> str:
    """The policy for a page served as ``host`` (the request's Host header)."""
    sockets = f" ws://{host} wss://{host}" if host and re.fullmatch(r"[\w.\-:\[\]]+", host) else ""
    return "; ".join((
        "default-src 'self'",
        "script-src 'self' 'wasm-unsafe-eval' " + " ".join(inline_script_hashes()),
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "media-src 'self' data: blob:",
        "connect-src 'self'" + sockets,
        "worker-src 'self' blob:",
        "frame-src 'self'",
        "frame-ancestors 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ))


FIXED_HEADERS = {
    "X-Frame-Options": "SAMEORIGIN",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


class SecurityHeaders:
    """Adds the content security policy and :data:`FIXED_HEADERS` to every HTTP
    response that does not set them itself."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        host = dict(scope.get("headers") or []).get(b"host", b"").decode("latin-1") or None

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in {**FIXED_HEADERS,
                                    "Content-Security-Policy": content_security_policy(host)}.items():
                    if name not in headers:
                        headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)


MIDDLEWARE: list[Middleware] = [Middleware(SecurityHeaders)]
