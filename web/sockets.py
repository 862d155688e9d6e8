"""A browser tab that leaves mid-message is a normal goodbye, not a server error.

When a tab closes or navigates while Streamlit is sending to it, Starlette marks the
socket closed; Streamlit's read loop then meets ``WebSocketDisconnected`` (a
``RuntimeError``), takes it for a text frame, tries to close the socket a second time
and lets the second error reach the server log as "Exception in ASGI application".
Streamlit's own ``finally`` has already ended the session by then, so nothing is lost:
this middleware only keeps that race out of the operator's log, where it would bury
real errors. Any other exception, and every HTTP request, passes through untouched.
"""

from __future__ import annotations

import logging

from starlette.middleware import Middleware
from starlette.types import ASGIApp, Receive, Scope, Send
from starlette.websockets import WebSocketDisconnected

_LOG = logging.getLogger(__name__)


class QuietSocketGoodbye:
    """Pure ASGI middleware: swallow ``WebSocketDisconnected`` raised after the client left."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "websocket":
            await self.app(scope, receive, send)
            return
        try:
            await self.app(scope, receive, send)
        except WebSocketDisconnected as goodbye:
            _LOG.debug("socket %s closed by the client mid-message: %s", scope.get("path"), goodbye)


MIDDLEWARE: list[Middleware] = [Middleware(QuietSocketGoodbye)]
