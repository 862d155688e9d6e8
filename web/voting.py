"""``/join-vote``: gives a participant's browser its anonymous vote identity and opens the vote.

The identity is a random id the server signs (:mod:`cxlib.access.voters`) and keeps in an
HttpOnly cookie, so a refresh keeps the same voter and editing the link makes no new one.
"""

from __future__ import annotations

from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import RedirectResponse

from cxlib.access import voters
from web.common import store as _store

PASSED_ON = ("wb", "token", "lang")  # what the vote page needs from the link; nothing else


def join_vote(request: Request) -> RedirectResponse:
    """Set the voter cookie (unless a valid one is there) and go on to the vote page."""
    query = {k: request.query_params[k][:100] for k in PASSED_ON if request.query_params.get(k)}
    # Relative, so it works under a base URL path too: /prefix/join-vote → /prefix/vote.
    response = RedirectResponse("vote?" + urlencode(query), status_code=303)
    if voters.read(_store(), request.cookies.get(voters.COOKIE)) is None:
        response.set_cookie(voters.COOKIE, voters.issue(_store()), max_age=voters.COOKIE_MAX_AGE,
                            httponly=True, samesite="lax", path="/")
    return response
