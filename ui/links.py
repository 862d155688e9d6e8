"""The app's address as phones and survey tools reach it, for the links it hands out."""

from __future__ import annotations

import streamlit as st

from cxlib.workshop import links


def public_base_url() -> str:
    """``CXW_PUBLIC_URL`` when set (behind a proxy, or a name phones can resolve), else the
    address this browser used, or this machine's network address when that was loopback
    (see :func:`cxlib.workshop.links.base_url`)."""
    headers = st.context.headers
    scheme = headers.get("X-Forwarded-Proto", "http").split(",")[0].strip() or "http"
    return links.base_url(headers.get("Host"), scheme).url
