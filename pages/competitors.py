"""Step 4: competitors, the score matrix, its heatmap and the gaps turned into actions."""

import streamlit as st

from cxlib.steps import competitors, journeys
from cxlib.steps.journeys import CHANNELS
from cxlib.storage import records
from ui import content, editing, show
from ui.context import ctx

context = ctx()
t = context.t
store = context.store

st.title(f"{t('step.number', n=4)}: {t('step.competitors.title')}")
show.guidance("competitors")

rows = competitors.list_competitors(store, context.workbook_id)
show.step_rule("competitors", competitors.is_complete(rows),
             competitors=sum(not r["is_us"] for r in rows))
factor_labels = {f: t(f"factor.{f}") for f in competitors.FACTORS}


def save(edits, forced):
    competitors.save_edits(store, context.workbook_id, rows, edits, context.user, forced)


st.subheader(t("competitors.who"))
st.caption(t("competitors.who_help"))
editing.grid_editor(
    "cx_competitor_details",
    records.grid(rows, competitors.DETAIL_SCHEMA),
    competitors.DETAIL_COLUMNS,
    {
        "name": st.column_config.TextColumn(t("field.name"), required=True),
        "positioning": st.column_config.TextColumn(t("field.positioning"), width="medium"),
        "strengths": st.column_config.TextColumn(t("field.strengths"), width="medium"),
        "weaknesses": st.column_config.TextColumn(t("field.weaknesses"), width="medium"),
        "channels": st.column_config.MultiselectColumn(
            t("field.channels"), options=list(CHANNELS), format_func=lambda c: t(f"channel.{c}")
        ),
    },
    save,
)

st.subheader(t("competitors.matrix"))
st.caption(t("competitors.matrix_help"))
editing.grid_editor(
    "cx_competitor_scores",
    records.grid(rows, competitors.SCORE_SCHEMA),
    ("name",) + competitors.FACTORS,
    {"name": st.column_config.TextColumn(t("field.name"), disabled=True)}
    | {
        factor: st.column_config.NumberColumn(factor_labels[factor], min_value=1, max_value=5, step=1)
        for factor in competitors.FACTORS
    },
    save,
)

content.competitor_matrix(rows)

st.subheader(t("competitors.actions"))
st.caption(t("competitors.actions_help"))
stages = {s["id"]: s["name"] for s in journeys.all_stages(store, context.workbook_id)}
actions = competitors.list_actions(store, context.workbook_id)
editing.grid_editor(
    "cx_gap_actions",
    records.grid(actions, competitors.ACTION_SCHEMA),
    competitors.ACTION_COLUMNS,
    {
        "factor": st.column_config.SelectboxColumn(
            t("competitors.factor"), options=list(competitors.FACTORS), format_func=factor_labels.get,
            required=True,
        ),
        "action": st.column_config.TextColumn(t("field.action"), required=True, width="large"),
        "stage_id": st.column_config.SelectboxColumn(
            t("field.stage"), options=list(stages), format_func=lambda i: stages.get(i, "")
        ),
    },
    lambda edits, forced: competitors.save_action_edits(
        store, context.workbook_id, actions, edits, context.user, forced
    ),
)
