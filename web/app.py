"""The server: the Streamlit app (``app.py``) with the routes of ``web/``, started with
``streamlit run web/app.py`` (``make run`` does). It refuses to start on a network address
without a sign-in method, unless open mode is set (see :mod:`cxlib.access.config`).
"""

from __future__ import annotations

import sys
from contextlib import asynccontextmanager
from pathlib import Path

import streamlit as st
from starlette.routing import Route

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # `streamlit run web/app.py` puts web/ on the path, not the project
    sys.path.insert(0, str(ROOT))

from cxlib.access.config import ConfigError, SignInConfig  # noqa: E402
from web import voting  # noqa: E402

FRAME = ROOT / "app.py"


@asynccontextmanager
async def refuse_unsafe_start(_app):
    """Stop the server before it serves anyone when the settings would expose the workbooks."""
    try:
        SignInConfig.from_env().check_address(st.get_option("server.address"))
    except ConfigError as error:
        print(f"\nNot started: {error}\n", file=sys.stderr)
        raise
    yield


app = st.App(FRAME, routes=[Route("/join-vote", voting.join_vote)], lifespan=refuse_unsafe_start)
