"""Security headers, checked on a small Starlette app that carries the middleware."""

from __future__ import annotations

import re

from starlette.applications import Starlette
from starlette.responses import PlainTextResponse, StreamingResponse
from starlette.routing import Route, WebSocketRoute
from starlette.testclient import TestClient

from web.headers import MIDDLEWARE


async def page(request):
    return PlainTextResponse("ok")


async def framed(request):
    # A route that sets its own policy keeps it.
    return PlainTextResponse("ok", headers={"X-Frame-Options": "DENY"})


async def streamed(request):
    async def chunks():
        yield b"a"
        yield b"b"
    return StreamingResponse(chunks())


async def socket(websocket):
    await websocket.accept()
    await websocket.send_text("hi")
    await websocket.close()


APP = Starlette(routes=[Route("/", page), Route("/framed", framed), Route("/stream", streamed),
                        WebSocketRoute("/ws", socket)], middleware=MIDDLEWARE)


def policy(response) -> dict[str, str]:
    return {part.split()[0]: part.split(" ", 1)[1] if " " in part else ""
            for part in (p.strip() for p in response.headers["content-security-policy"].split(";"))}


def test_every_response_forbids_framing_by_other_sites():
    client = TestClient(APP, base_url="http://127.0.0.1:8501")
    for path in ("/", "/stream", "/missing"):
        response = client.get(path)
        assert response.headers["x-frame-options"] == "SAMEORIGIN", path
        assert policy(response)["frame-ancestors"] == "'self'", path
        assert response.headers["x-content-type-options"] == "nosniff"
    assert client.get("/stream").text == "ab"
    assert client.get("/framed").headers["x-frame-options"] == "DENY"


def test_policy_allows_only_the_apps_own_origin():
    response = TestClient(APP, base_url="http://127.0.0.1:8501").get("/")
    rules = policy(response)
    assert rules["default-src"] == "'self'" and rules["object-src"] == "'none'"
    for directive, sources in rules.items():
        for source in sources.split():
            allowed = (source in ("'self'", "'none'", "'unsafe-inline'", "'wasm-unsafe-eval'", "data:", "blob:")
                       or re.fullmatch(r"'sha256-[A-Za-z0-9+/=]+'", source)
                       or source in ("ws://127.0.0.1:8501", "wss://127.0.0.1:8501"))
            assert allowed, (directive, source)
    assert "'unsafe-inline'" not in rules["script-src"] and "'unsafe-eval'" not in rules["script-src"]
    assert "ws://127.0.0.1:8501" in rules["connect-src"]


def test_a_forged_host_cannot_widen_the_policy():
    response = TestClient(APP).get("/", headers={"Host": "evil.example; script-src *"})
    assert "evil" not in response.headers["content-security-policy"]


def test_websockets_pass_through():
    with TestClient(APP).websocket_connect("/ws") as ws:
        assert ws.receive_text() == "hi"
