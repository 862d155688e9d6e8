"""Live pages: redraw a page within a second or two of new data, without a reload.

A small fragment polls the workbook's ``data_version`` twice a second (one indexed row,
bumped by every write: a survey answer from a phone, a webhook delivery, a colleague's
edit) and reruns the page when it moved, at most every 1.5 s while answers stream in. A
page that holds unsaved grid edits, whose rows could shift under them, is not rerun: it
says that new data is waiting instead, so an edit never lands on the wrong row.

The throttle is per workbook and server process, not per session: the first poll that
sees new data after the gap *publishes* the version it read, and every live session of
that workbook reruns to that same version. So while a webhook burst moves the version
hundreds of times a second, three screens watching one dashboard draw the same versions,
and what a page caches per (workbook, version) is computed once for all of them
(:func:`version_to_draw`). A run the person started (a click, a page switch) draws the
current version, never an older published one.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import timedelta

import streamlit as st

from ui.context import ctx

POLL = timedelta(milliseconds=500)  # half a second of the 2 s budget; a poll reads one row
# While answers stream in (a webhook burst), a workbook's live pages rerun at most this
# often: each rerun redraws the whole page, and the server shares its CPU with the
# deliveries themselves.
MIN_GAP_SECONDS = 1.5
LIVE_VERSION_KEY = "cx_live_version"  # set by the poll for the rerun it asks for

# (database, workbook id) -> (published data version, monotonic time it was published)
_published: dict[tuple[str, int], tuple[int, float]] = {}
_published_lock = threading.Lock()


def unsaved_grid_edits() -> bool:
    """Some data editor of this session holds edits not saved yet (their rows are
    positions in the list as drawn, which new data could shift)."""
    return any(isinstance(state, dict) and any(state.get(k) for k in ("edited_rows", "added_rows", "deleted_rows"))
               for state in st.session_state.to_dict().values())


def published(store, workbook_id: int, now: float | None = None) -> int | None:
    """The workbook's data version the live pages of this process draw: the one last
    published, or the current one, published now, when it moved and the last one is at
    least ``MIN_GAP_SECONDS`` old. ``None`` when the workbook is gone.

    Within the gap no row is read at all. A version lower than the published one (a
    workbook deleted and its id reused, another database at the same path) is published
    at once, so a page never waits for a number it will not reach."""
    now = time.monotonic() if now is None else now
    key = (str(store.path), workbook_id)
    with _published_lock:
        entry = _published.get(key)
    if entry is not None and now - entry[1] < MIN_GAP_SECONDS:
        return entry[0]
    found = store.rows("select data_version from workbooks where id = ?", (workbook_id,))
    if not found:
        return None
    current = found[0]["data_version"]
    with _published_lock:
        entry = _published.get(key)
        if entry is None or current < entry[0] or (current != entry[0] and now - entry[1] >= MIN_GAP_SECONDS):
            entry = _published[key] = (current, now)
    return entry[0]


def version_to_draw(current: Callable[[], int]) -> int:
    """The data version this run draws: the published one when the live poll asked for
    this rerun (shared with every other live session of the workbook, so their cached
    figures are too), else ``current()``, the workbook's version now.

    The poll's request names its database and workbook: a rerun that another workbook
    was picked in (Streamlit merges the two reruns) draws that workbook's current version,
    never the number published for the first one."""
    asked = st.session_state.pop(LIVE_VERSION_KEY, None)
    now = current()
    context = ctx()
    if asked is not None and asked[:2] == (str(context.store.path), context.workbook_id) and asked[2] <= now:
        return asked[2]
    return now


def forget_request() -> None:
    """Called by the frame after every page run: the poll's version is for the one rerun it
    asked for, never for a later run (a page switch in between, a page opened later)."""
    st.session_state.pop(LIVE_VERSION_KEY, None)


def follow(drawn_version: int, hold: Callable[[], bool] = unsaved_grid_edits) -> None:
    """Rerun this page when the open workbook's published data version moves past
    ``drawn_version``.

    ``hold()`` is asked before rerunning: True (by default: unsaved grid edits) keeps the
    page as it is and shows a note instead.
    """
    context = ctx()  # the fragment reruns alone, outside the frame: keep what it needs
    store, workbook_id, t = context.store, context.workbook_id, context.t

    @st.fragment(run_every=POLL)
    def watch() -> None:
        version = published(store, workbook_id)
        if version is None or version <= drawn_version:
            return
        if hold():
            st.caption(t("live.waiting"))
            return
        st.session_state[LIVE_VERSION_KEY] = (str(store.path), workbook_id, version)
        st.rerun()

    watch()
