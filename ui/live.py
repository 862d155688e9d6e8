"""Live pages: redraw a page within a second or two of new data, without a reload.

A small fragment polls the workbook's ``data_version`` twice a second (one indexed row,
bumped by every write: a survey answer from a phone, a webhook delivery, a colleague's
edit) and reruns the page when it moved, at most every 1.5 s while answers stream in. A
page that holds unsaved grid edits, whose rows could shift under them, is not rerun: it
says that new data is waiting instead, so an edit never lands on the wrong row.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta

import streamlit as st

from ui.context import ctx

POLL = timedelta(milliseconds=500)  # half a second of the 2 s budget; a poll reads one row
# While answers stream in (a webhook burst), a page reruns at most this often: each rerun
# redraws the whole page, and the server shares its CPU with the deliveries themselves.
MIN_GAP_SECONDS = 1.5
LAST_RERUN_KEY = "cx_live_rerun_at"


def unsaved_grid_edits() -> bool:
    """Some data editor of this session holds edits not saved yet (their rows are
    positions in the list as drawn, which new data could shift)."""
    return any(isinstance(state, dict) and any(state.get(k) for k in ("edited_rows", "added_rows", "deleted_rows"))
               for state in st.session_state.to_dict().values())


def follow(drawn_version: int, hold: Callable[[], bool] = unsaved_grid_edits) -> None:
    """Rerun this page when the open workbook's data changes after ``drawn_version``.

    ``hold()`` is asked before rerunning: True (by default: unsaved grid edits) keeps the
    page as it is and shows a note instead.
    """
    context = ctx()  # the fragment reruns alone, outside the frame: keep what it needs
    store, workbook_id, t = context.store, context.workbook_id, context.t

    @st.fragment(run_every=POLL)
    def watch() -> None:
        found = store.rows("select data_version from workbooks where id = ?", (workbook_id,))
        if not found or found[0]["data_version"] == drawn_version:
            return
        if hold():
            st.caption(t("live.waiting"))
            return
        now = time.monotonic()
        if now - st.session_state.get(LAST_RERUN_KEY, 0.0) < MIN_GAP_SECONDS:
            return  # the next poll reruns the page
        st.session_state[LAST_RERUN_KEY] = now
        st.rerun()

    watch()
