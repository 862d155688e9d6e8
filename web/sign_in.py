"""``GET /sign-in/claim``: the browser's half of a built-in account's sign-in.

Streamlit cannot set a cookie from a page. So once the sign-in form on the page has
checked the password, the page loads this address as a one-pixel image with a one-time
code (valid two minutes, spent on first use); the answer carries the session token in an
HttpOnly cookie, and a refresh of any page then finds the person signed in
(:mod:`cxlib.access.sessions`). A request from another site gets nothing.
"""

from __future__ import annotations

import base64

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from cxlib.access import sessions
from web.common import store

PIXEL = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")  # 1×1 transparent GIF


async def claim(request: Request) -> Response:
    headers = {"Cache-Control": "no-store"}
    if request.headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
        return Response(status_code=403, headers=headers)
    token = await run_in_threadpool(sessions.claim, store(), request.query_params.get("code"))
    response = Response(PIXEL, media_type="image/gif", headers=headers)
    if token is not None:
        response.set_cookie(sessions.COOKIE, token, httponly=True, samesite="strict", path="/",
                            secure=request.url.scheme == "https" or request.headers.get("x-forwarded-proto") == "https")
    return response
