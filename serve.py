"""The one server: the app's pages (``app.py``) and the HTTP routes of ``web/`` on one port.

``streamlit run serve.py`` finds ``app`` below and serves it (Streamlit's ``st.App``): the
pages as usual, and beside them the public survey pages and the webhook.
"""

import streamlit as st

from web.routes import MIDDLEWARE, ROUTES

app = st.App("app.py", routes=ROUTES, middleware=MIDDLEWARE)
