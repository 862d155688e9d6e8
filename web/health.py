"""``GET /healthz``: for a load balancer in front of several app servers: 200 ``ok`` when
this server process can reach its database, else 503 (take it out of rotation).
Streamlit's own ``/_stcore/health`` says only that the process runs."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse

from web.common import store


async def check(request: Request) -> PlainTextResponse:
    healthy = await run_in_threadpool(lambda: store().ping())
    return PlainTextResponse("ok" if healthy else "database unavailable", status_code=200 if healthy else 503,
                             headers={"Cache-Control": "no-store"})
