"""The floor of ``bench/browser_dashboard.py``: a bare Streamlit page with five small charts.

What any Streamlit page costs in this browser on this machine before it does any work of
its own: the front end's download and start, the websocket, one script run and five
Vega-Lite charts drawn. Served like the app (``st.App``, the project's
``.streamlit/config.toml``, Nagle's algorithm off as ``serve.py`` does), so the difference
between step 10 and this page is what step 10 itself costs.
"""

from contextlib import asynccontextmanager

import streamlit as st

from web.nodelay import send_small_writes_at_once


@asynccontextmanager
async def start(_app):
    send_small_writes_at_once()
    yield


app = st.App("page.py", lifespan=start)  # beside this file
