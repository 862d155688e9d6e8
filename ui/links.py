"""The app's address as phones and survey tools reach it, for the links it hands out."""

from __future__ import annotations

import os

import streamlit as st


def public_base_url() -> str:
    """``CXW_PUBLIC_URL`` when set (behind a proxy, or a name phones can resolve), else
    the address this browser used to open the app."""
    configured = os.environ.get("CXW_PUBLIC_URL", "").strip()
    if configured:
        return configured.rstrip("/")
    headers = st.context.headers
    scheme = headers.get("X-Forwarded-Proto", "http").split(",")[0].strip() or "http"
    return f"{scheme}://{headers.get('Host', 'localhost:8501')}"
