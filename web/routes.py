"""The routes and middleware ``serve.py`` hands to ``st.App``: add yours to these lists."""

from __future__ import annotations

from starlette.middleware import Middleware
from starlette.routing import Route

from web import answers, headers, sockets, survey, voting

ROUTES: list[Route] = [
    Route("/api/answers/{source}", answers.receive, methods=["POST"]),
    Route("/s/{slug}", survey.page, methods=["GET", "POST"]),
    Route("/join-vote", voting.join_vote),  # a participant's signed voter cookie, then the vote page
]

# Runs before Streamlit's own middleware, in this order.
MIDDLEWARE: list[Middleware] = [*headers.MIDDLEWARE, *sockets.MIDDLEWARE]
