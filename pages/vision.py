"""Step 2: the CX vision, guiding principles and a goal with a KPI per team."""

import streamlit as st

import ui
from cxlib import records, vision

context = ui.ctx()
t = context.t
store = context.store

st.title(f"{t('step.number', n=2)}: {t('step.vision.title')}")
ui.guidance("vision")

current = vision.get_vision(store, context.workbook_id) or {}
goals = vision.list_goals(store, context.workbook_id)
done = vision.is_complete(current or None, goals)
st.caption((":material/check_circle: " if done else ":material/radio_button_unchecked: ") + t("step.vision.rule"))

generation = st.session_state.get("cx_vision_gen", 0)
base_key = f"cx_vision_base_{generation}"
if current:
    st.session_state.setdefault(base_key, current["version"])


def finish() -> None:
    st.session_state["cx_vision_gen"] = generation + 1


form = f"vision_{generation}"
with st.form(form):
    values = {
        "statement": st.text_area(
            t("field.statement"), value=current.get("statement") or "", help=t("vision.statement_help"),
            key=f"{form}_statement",
        ),
        "principles": st.text_area(
            t("field.principles"),
            value=current.get("principles") or "",
            help=t("vision.principles_help"),
            height=160,
            key=f"{form}_principles",
        ),
        "feelings": st.text_input(
            t("field.feelings"), value=current.get("feelings") or "", help=t("vision.feelings_help"),
            key=f"{form}_feelings",
        ),
    }
    if st.form_submit_button(t("save"), type="primary"):
        if ui.attempt(
            lambda: vision.save_vision(
                store, context.workbook_id, values, context.user, st.session_state.get(base_key)
            ),
            keep_mine=lambda error: vision.save_vision(
                store, context.workbook_id, values, context.user, error.theirs["version"]
            ),
            after=finish,
            success=t("saved"),
        ):
            st.rerun()

st.header(t("vision.goals"))
st.caption(t("vision.goals_help"))
editor = ui.editor_key("cx_goals")
st.data_editor(
    records.grid(goals, vision.GOAL_SCHEMA),
    key=editor,
    num_rows="dynamic",
    hide_index=True,
    width="stretch",
    column_order=vision.GOAL_COLUMNS,
    column_config={
        "team": st.column_config.SelectboxColumn(
            t("field.team"), options=list(vision.TEAMS), required=True,
            format_func=lambda team: t(f"team.{team}"),
        ),
        "goal": st.column_config.TextColumn(t("field.goal"), required=True, width="large"),
        "kpi": st.column_config.TextColumn(t("field.kpi")),
        "target": st.column_config.NumberColumn(t("field.target")),
        "unit": st.column_config.TextColumn(t("field.unit")),
    },
)
edits = ui.editor_edits(editor)
if ui.has_edits(edits) and st.button(t("save_changes"), type="primary", key="cx_goals_save"):
    if ui.attempt(
        lambda: vision.save_goal_edits(store, context.workbook_id, goals, edits, context.user),
        keep_mine=lambda error: vision.save_goal_edits(
            store, context.workbook_id, goals, edits, context.user,
            {error.record_id: error.theirs["version"]},
        ),
        after=lambda: ui.reset_editor("cx_goals"),
        success=t("saved"),
    ):
        st.rerun()
