"""Run the real frame (app.py) with a given page as the landing page, under AppTest.

AppTest.switch_page() runs a navigation page without its entrypoint, so the sidebar,
workbook and language would be missing; landing on the page through ``app.main`` keeps
the frame, as in a browser.
"""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent


def _land_on(start_page: str, root: str) -> None:
    import sys

    if root not in sys.path:
        sys.path.insert(0, root)
    import app

    app.main(start_page)


def open_page(start_page: str = "home", query: dict | None = None, timeout: float = 30,
              session: dict | None = None, user: dict | None = None) -> AppTest:
    """An AppTest that has run once on ``start_page`` inside the frame (``session``: what the
    browser session already holds, as after visiting other pages; ``user``: what single
    sign-on would put in ``st.user``)."""
    at = AppTest.from_function(_land_on, args=(start_page, str(ROOT)), default_timeout=timeout)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    for key, value in (session or {}).items():
        at.session_state[key] = value
    if user is not None:
        at.user = user
    return at.run()
