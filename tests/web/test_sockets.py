"""A tab that leaves mid-message: Streamlit's teardown race stays out of the server log."""

from __future__ import annotations

import pytest
from starlette.applications import Starlette
from starlette.routing import WebSocketRoute
from starlette.testclient import TestClient
from starlette.websockets import WebSocketDisconnected

from web.routes import MIDDLEWARE
from web.sockets import QuietSocketGoodbye


async def streamlit_like_teardown(websocket):
    """What Streamlit's read loop does when a send already found the client gone."""
    await websocket.accept()
    await websocket.close()  # Starlette marks the socket closed, as after a failed send
    try:
        await websocket.receive_bytes()
    except RuntimeError:
        await websocket.close()  # the second close raises WebSocketDisconnected


async def broken(websocket):
    await websocket.accept()
    raise ValueError("a real bug")


ROUTES = [WebSocketRoute("/race", streamlit_like_teardown), WebSocketRoute("/bug", broken)]


def test_without_the_middleware_the_race_reaches_the_server():
    client = TestClient(Starlette(routes=ROUTES))
    with pytest.raises(WebSocketDisconnected):
        with client.websocket_connect("/race") as socket:
            socket.receive()


def test_the_race_is_a_quiet_goodbye():
    client = TestClient(Starlette(routes=ROUTES, middleware=MIDDLEWARE))
    with client.websocket_connect("/race") as socket:
        assert socket.receive()["type"] == "websocket.close"


def test_real_errors_still_surface():
    client = TestClient(Starlette(routes=ROUTES, middleware=MIDDLEWARE))
    with pytest.raises(ValueError, match="a real bug"):
        with client.websocket_connect("/bug") as socket:
            socket.receive()


def test_the_server_carries_it():
    assert any(entry.cls is QuietSocketGoodbye for entry in MIDDLEWARE)
