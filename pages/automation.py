"""Step 6: the automation backlog, its priority score and the impact/effort matrix."""

import streamlit as st

from cxlib.report import charts
from cxlib.report.inert import markdown_text
from cxlib.steps import automation, journeys
from cxlib.storage import records
from ui import editing, show
from ui.context import ctx

context = ctx()
t = context.t
store = context.store

st.title(f"{t('step.number', n=6)}: {t('step.automation.title')}")
show.guidance("automation")

items = automation.list_items(store, context.workbook_id)
show.step_rule("automation", automation.is_complete(items), items=len(items))
stages = {s["id"]: s["name"] for s in journeys.all_stages(store, context.workbook_id)}

st.subheader(t("automation.backlog"))
st.caption(t("automation.backlog_help"))
score_column = {
    score: st.column_config.NumberColumn(t(f"field.{score}"), min_value=1, max_value=5, step=1, required=True)
    for score in automation.SCORES
}
hours_column = {
    hours: st.column_config.NumberColumn(t(f"field.{hours}"), min_value=0.0, format="%.1f")
    for hours in automation.HOURS
}
editing.grid_editor(
    "cx_automations",
    records.grid(items, automation.SCHEMA),
    automation.COLUMNS,
    {
        "name": st.column_config.TextColumn(t("field.name"), required=True, width="medium"),
        "kind": st.column_config.SelectboxColumn(
            t("field.kind_automation"), options=list(automation.KINDS),
            format_func=lambda k: t(f"automation.kind.{k}"),
        ),
        "stage_id": st.column_config.SelectboxColumn(
            t("field.stage"), options=list(stages), format_func=lambda i: stages.get(i, "")
        ),
        "touchpoint": st.column_config.TextColumn(t("field.touchpoint")),
    }
    | score_column
    | hours_column,
    lambda edits, forced: automation.save_edits(store, context.workbook_id, items, edits, context.user, forced),
)

if items:
    ranked = automation.scored(items)
    st.subheader(t("automation.ranked"))
    st.caption(t("automation.priority_formula"))
    shown = ranked.select("name", "volume", "pain", "feasibility", "effort", "impact", "priority",
                          "response_hours_saved", "resolution_hours_saved")
    show.table(shown, {c: t(f"field.{c}") for c in shown.columns},
               decimals={"priority": 1, "response_hours_saved": 1, "resolution_hours_saved": 1})
    show.chart(
        charts.impact_effort(
            ranked,
            {"effort": t("field.effort"), "impact": t("field.impact"), "priority": t("field.priority"),
             "name": t("field.name"), "title": t("automation.matrix_title")},
            context.fmt.text_label,
        )
    )
    st.subheader(t("automation.effect"))
    for item in ranked.drop_nulls("response_hours_now").iter_rows(named=True):
        st.markdown(t("automation.effect_line", name=markdown_text(item["name"]),
                      response_now=item["response_hours_now"],  # t() writes numbers the language's way
                      response_after=item["response_hours_after"] or 0,
                      resolution_now=item["resolution_hours_now"] or 0,
                      resolution_after=item["resolution_hours_after"] or 0))
