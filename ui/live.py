"""Live pages: redraw a page within a second or two of new data, without a reload.

A small fragment polls (twice a second) the workbook's ``data_version`` (one indexed row, bumped by every
write: a survey answer from a phone, a webhook delivery, a colleague's edit) and reruns the
page when it moved. A page that holds unsaved grid edits whose rows could shift under them
is not rerun: it says that new data is waiting instead, so an edit never lands on the
wrong row.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import streamlit as st

from ui.context import ctx

POLL = timedelta(milliseconds=500)  # half a second of the 2 s budget; a poll reads one row


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
        st.rerun()

    watch()
