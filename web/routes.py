"""The routes and middleware ``serve.py`` hands to ``st.App``: add yours to these lists."""

from __future__ import annotations

from starlette.middleware import Middleware
from starlette.routing import Route

from web import answers, headers, sign_in, sockets, survey, voting

ROUTES: list[Route] = [
    Route("/api/answers/{source}", answers.receive, methods=["POST"]),
    Route("/s/{slug}", survey.page, methods=["GET", "POST"]),
    Route("/join-vote", voting.join_vote),  # a participant's signed voter cookie, then the vote page
    Route("/sign-in/claim", sign_in.claim),  # a built-in account's session cookie, after the password
]

# Runs before Streamlit's own middleware, in this order.
MIDDLEWARE: list[Middleware] = [*headers.MIDDLEWARE, *sockets.MIDDLEWARE]
