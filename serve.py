"""The one server: the app's pages (``app.py``) and the HTTP routes of ``web/`` on one port.

``streamlit run serve.py`` finds ``app`` below and serves it (Streamlit's ``st.App``): the
pages as usual, and beside them the public survey pages, the webhook and ``/join-vote``
(a participant's vote identity). It refuses to start on a network address without a
sign-in method, unless open mode is set (see :mod:`cxlib.access.config`).
"""

from __future__ import annotations

import faulthandler
import signal
import sys
from contextlib import asynccontextmanager

import streamlit as st

from cxlib.access.config import ConfigError, SignInConfig
from cxlib.access.ratelimit import rates_from_env
from cxlib.storage.store import DatabaseUnavailable
from ui.warmup import preload
from web import common
from web.nodelay import send_small_writes_at_once
from web.routes import MIDDLEWARE, ROUTES


@asynccontextmanager
async def refuse_unsafe_start(_app):
    """Stop the server before it serves anyone when the settings would expose the workbooks."""
    try:
        SignInConfig.from_env().check_address(st.get_option("server.address"))
        rates_from_env()  # a mistyped CXW_RATE_* stops the start, saying which
    except ConfigError as error:
        print(f"\nNot started: {error}\n", file=sys.stderr)
        raise
    try:
        common.store()  # the database (CXW_DB) is reachable, signed in to and not too new
    except DatabaseUnavailable as error:
        print(f"\nNot started: {error}\n", file=sys.stderr)
        raise
    send_small_writes_at_once()
    if hasattr(signal, "SIGUSR1"):  # `kill -USR1 <pid>`: every thread's stack into the log, for a server that hangs
        faulthandler.register(signal.SIGUSR1, all_threads=True)
    preload()  # the first visitor after a start does not wait for the pages' imports
    yield


app = st.App("app.py", routes=ROUTES, middleware=MIDDLEWARE, lifespan=refuse_unsafe_start)
