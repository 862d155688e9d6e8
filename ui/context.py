"""The session's context: the store, the open workbook, the language, the actor, flash messages.

The frame (``app.py``) sets it before a page runs and clears it after, so a page never
reads a stale one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from cxlib.access.roles import ACCESS, Actor
from cxlib.demo import build as demo
from cxlib.l10n.formats import Formatter
from cxlib.l10n.i18n import default_language, Translator
from cxlib.report.inert import markdown_text
from cxlib.storage.store import DatabaseUnavailable, default_db_path, Store

PAGES_DIR = Path(__file__).resolve().parents[1] / "pages"
CONTEXT_KEY = "cx_context"
FLASH_KEY = "cx_flash"


@dataclass
class Context:
    """What every page needs: the store, the open workbook, the language and the actor
    (``user``: who is acting, passed to every write, whose name history shows)."""

    store: Store
    workbook: dict[str, Any]
    t: Translator
    user: Actor
    fmt: Formatter = field(default_factory=Formatter)
    projector: bool = False  # type and charts sized for a shared screen
    page: str = ""  # the stem of the page being drawn (``personas``...)

    @property
    def workbook_id(self) -> int:
        return self.workbook["id"]

    def can(self, action: str) -> bool:
        """Whether the actor may ``edit``, ``share``, ``rename``, ``delete`` this workbook:
        for hiding what they cannot use (the check that protects runs inside the write)."""
        return self.store.allowed(self.user, action, self.workbook_id)


def get_store() -> Store:
    """The Store of the configured database (``CXW_DB``: a file or a PostgreSQL URL, or the
    default file). A database that cannot be used is said in words and the run stops (the
    next run tries again)."""
    try:
        return _open_store(str(default_db_path()))
    except DatabaseUnavailable as error:
        t = Translator(st.session_state.get("cx_lang") or default_language())
        st.error(database_unavailable(error, t))
        st.stop()


def database_unavailable(error: DatabaseUnavailable, t: Translator) -> str:
    """What to tell about a database that cannot be used (unreachable, wrong password, or
    migrated by a newer version)."""
    if error.details.get("reason") == "newer":
        return t("error.database_newer", target=markdown_text(error.details.get("target", "")))
    return t("error.database_unavailable", message=markdown_text(str(error)))


@st.cache_resource
def _open_store(path: str) -> Store:
    """One Store per database file and server process (one connection per thread inside),
    checking every write against the actor's role (:data:`cxlib.access.roles.ACCESS`)."""
    store = Store(path, ACCESS)
    demo.ensure_demo(store, default_language())
    return store


def ctx() -> Context:
    """The context the frame (app.py) prepared for this run.

    Until the frame has called ``st.navigation`` once in this server process, Streamlit
    serves files in ``pages/`` on its own (its older multipage mode), so the first visit
    after a restart straight to a step's address would run the page without the frame.
    Then the page switches that mode off and reruns through the frame.
    """
    context = st.session_state.get(CONTEXT_KEY)
    if context is not None:
        return context
    if st.session_state.get("cx_frame_retry"):
        raise RuntimeError("pages run inside the app frame: start the app with app.py")
    st.session_state["cx_frame_retry"] = True
    PagesManager.uses_pages_directory = False
    st.rerun()


def set_context(context: Context) -> None:
    st.session_state[CONTEXT_KEY] = context
    st.session_state.pop("cx_frame_retry", None)


def clear_context() -> None:
    """Called by the frame after the page ran, so no page can use a stale context."""
    st.session_state.pop(CONTEXT_KEY, None)


# Authors the app writes itself (the demo, a workbook made when none was left), named in
# the reader's language where a person's name would stand.
SYSTEM_AUTHORS = {demo.DEMO_USER.name: "frame.demo_user", "app": "frame.app_user"}


def author(who: str | None, t: Translator) -> str:
    """Who made a change, as shown: a person's name as typed, the app's own authors in words."""
    key = SYSTEM_AUTHORS.get(who or "")
    return t(key) if key else (who or t("frame.anonymous"))


def data_version() -> int:
    """The open workbook's data version: bumped by every write, so a cache key for
    anything derived from its data."""
    context = ctx()
    return context.store.get("workbooks", context.workbook_id)["data_version"]


def page_path(stem: str) -> Path:
    """The file of a page, absolute so links work whatever script started the app."""
    return PAGES_DIR / f"{stem}.py"


def flash(message: str, icon: str = ":material/check_circle:") -> None:
    """A message shown once, after the rerun that follows a save (a success unless ``icon`` says otherwise)."""
    st.session_state[FLASH_KEY] = (message, icon)


def show_flash() -> None:
    message = st.session_state.pop(FLASH_KEY, None)
    if message:
        st.toast(message[0], icon=message[1])
