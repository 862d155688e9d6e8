"""Step 2: the CX vision, guiding principles and a goal with a KPI per team."""

import streamlit as st

from cxlib.analytics import metrics
from cxlib.steps import vision
from cxlib.storage import records
from ui import editing, show
from ui.context import ctx

context = ctx()
t = context.t
store = context.store

st.title(f"{t('step.number', n=2)}: {t('step.vision.title')}")
show.guidance("vision")

current = vision.get_vision(store, context.workbook_id) or {}
goals = vision.list_goals(store, context.workbook_id)
done = vision.is_complete(current or None, goals)
st.caption((":material/check_circle: " if done else ":material/radio_button_unchecked: ") + t("step.vision.rule"))

session = editing.edit_session("cx_vision", current.get("version"))
form = session.form
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
        if session.save(lambda version: vision.save_vision(
            store, context.workbook_id, values, context.user, version
        )):
            st.rerun()

st.header(t("vision.goals"))
st.caption(t("vision.goals_help"))
editing.grid_editor(
    "cx_goals",
    records.grid(goals, vision.GOAL_SCHEMA),
    vision.GOAL_COLUMNS,
    {
        "team": st.column_config.SelectboxColumn(
            t("field.team"), options=list(vision.TEAMS), required=True,
            format_func=lambda team: t(f"team.{team}"),
        ),
        "goal": st.column_config.TextColumn(t("field.goal"), required=True, width="large"),
        "kpi": st.column_config.TextColumn(t("field.kpi")),
        "metric": st.column_config.SelectboxColumn(
            t("field.metric"), options=list(metrics.GOAL_KPIS), help=t("vision.metric_help"),
            format_func=lambda metric: t(f"metrics.kpi.{metric}"), width="medium",
        ),
        "target": st.column_config.NumberColumn(t("field.target")),
        "unit": st.column_config.TextColumn(t("field.unit")),
    },
    lambda edits, forced: vision.save_goal_edits(
        store, context.workbook_id, goals, edits, context.user, forced
    ),
)
unlinked = [goal["goal"] for goal in metrics.unlinked_goals(goals)]
if unlinked:
    st.caption(":material/link_off: " + t("vision.unlinked", goals="; ".join(unlinked)))
