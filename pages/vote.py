"""Dot voting for participants: opened from the link on the shared screen, on a phone.

The frame runs this page on its own (no sidebar, no sign-in, no undo); the voter is the
anonymous identity the server issued to this browser, never an id from the link.
"""

import streamlit as st

from cxlib.workshop import facilitation
from ui import errors
from ui.context import ctx

context = ctx()
t = context.t
store = context.store
voter = context.user

st.title(t("vote.title"))
token = st.query_params.get("token", "")
state = facilitation.workshop(store, context.workbook_id)
if not state["voting_open"] or token != state["vote_token"]:
    st.info(t("vote.closed"))
    st.stop()

mine = facilitation.my_votes(store, context.workbook_id, voter)
st.write(t("vote.intro", dots=state["dots"]))
with st.form("cx_vote"):
    picks = st.multiselect(t("vote.pick"), facilitation.vote_items(store, context.workbook_id), default=mine,
                           placeholder=t("frame.choose"),
                           max_selections=state["dots"], key="cx_picks",
                           select_all=False)  # Streamlit writes "Select all" in English only
    if st.form_submit_button(t("vote.send"), type="primary"):
        if errors.attempt(lambda: facilitation.cast(store, context.workbook_id, token, voter, picks),
                          success=t("vote.thanks")):
            st.rerun()
if mine:
    st.success(t("vote.counted", n=len(mine)), icon=":material/how_to_vote:")
