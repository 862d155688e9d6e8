"""Step 9: survey plan, importing answers/tickets/usage, quick entry, and the closed loop."""

import streamlit as st

from cxlib.ingest.parsing import FileError
from cxlib.steps import feedback, journeys
from cxlib.storage import records
from ui import editing, errors, fields, imports, show
from ui.context import author, ctx

context = ctx()
t = context.t
store = context.store

st.title(f"{t('step.number', n=9)}: {t('step.feedback.title')}")
show.guidance("feedback")
counted = feedback.counts(store, context.workbook_id)
show.step_rule("feedback", feedback.is_complete(counted), **counted)

stage_names = journeys.stage_names(store, context.workbook_id)
plan_tab, import_tab, entry_tab, loop_tab = st.tabs(
    [t("feedback.tab.plan"), t("feedback.tab.import"), t("feedback.tab.entry"), t("feedback.tab.loop")]
)

with plan_tab:
    st.caption(t("feedback.plan_help"))
    surveys = feedback.list_surveys(store, context.workbook_id)
    editing.grid_editor(
        "cx_surveys",
        records.grid(surveys, feedback.SURVEY_SCHEMA),
        feedback.SURVEY_COLUMNS,
        {
            "name": st.column_config.TextColumn(t("field.name"), required=True),
            "stage": st.column_config.SelectboxColumn(t("field.stage"), options=stage_names),
            "channel": st.column_config.SelectboxColumn(
                t("field.channel"), options=list(feedback.SURVEY_CHANNELS),
                format_func=lambda c: t(f"feedback.channel.{c}"),
            ),
            "questions": st.column_config.MultiselectColumn(
                t("field.questions"), options=list(feedback.QUESTIONS),
                format_func=lambda q: t(f"feedback.question.{q}"),
            ),
            "trigger": st.column_config.TextColumn(t("field.trigger"), width="medium"),
        },
        lambda edits, forced: feedback.save_survey_edits(
            store, context.workbook_id, surveys, edits, context.user, forced
        ),
    )

with import_tab:
    st.caption(t("feedback.import_help"))
    kind = st.radio(t("feedback.kind"), list(feedback.KIND_COLUMNS), horizontal=True,
                    format_func=lambda k: t(f"feedback.kind.{k}"), key="cx_import_kind")
    draft = imports.upload(feedback.SPECS[kind], f"cx_import_{kind}")
    if draft is not None:
        scales = {}
        if kind == "responses":
            rated = [m for m in ("csat", "ces") if m in draft.reading.frame.columns]
            for column, metric in zip(st.columns(max(len(rated), 1)), rated):
                scales[metric] = column.selectbox(
                    t("feedback.scale_of", metric=t(f"feedback.question.{metric}")), [5, 7],
                    index=0 if metric == "csat" else 1, format_func=context.fmt.number, key=f"cx_import_scale_{metric}")
        try:
            if kind == "responses":
                leave_out = st.checkbox(t("feedback.leave_out_off_scale"), key="cx_import_leave_out")
                rows, summary = feedback.response_rows(draft.reading, scales, leave_out)
                metrics = ",".join(summary)
                for metric, counted in summary.items():
                    st.caption(t("feedback.metric_summary", metric=t(f"feedback.question.{metric}"),
                                 answers=counted["answers"], blank=counted["blank"]))
                    if counted["left_out"]:
                        st.warning(t("feedback.left_out", metric=t(f"feedback.question.{metric}"),
                                     count=counted["left_out"]), icon=":material/rule:")
            else:
                rows, metrics = feedback.rows_to_store(kind, draft.reading)
        except FileError as error:
            imports.file_error(draft.name, error)
        else:
            imports.import_button(
                draft, f"cx_import_{kind}",
                lambda: feedback.import_rows(store, context.workbook_id, kind, rows, draft.name, context.user,
                                             metrics, remember=draft.remember),
                success=t("feedback.imported", rows=rows.height, name=draft.name))
    imports_done = feedback.list_imports(store, context.workbook_id)
    if imports_done:
        st.subheader(t("feedback.imports"))
        show.table(
            [{t("feedback.col.name"): i["name"], t("feedback.col.kind"): t(f"feedback.kind.{i['kind']}"),
              t("feedback.col.metrics"): ", ".join(t(f"feedback.question.{m}") for m in (i["metric"] or "").split(",")
                                                  if m),
              t("feedback.col.rows"): context.fmt.number(i["rows"]),
              t("feedback.col.when"): context.fmt.datetime(i["created_at"]),
              t("feedback.col.who"): author(i["updated_by"], t)} for i in imports_done])

with entry_tab:
    st.caption(t("feedback.entry_help"))
    with st.form("cx_quick_entry", clear_on_submit=True):
        left, middle, right = st.columns(3)
        metric = left.selectbox(t("feedback.metric"), list(feedback.METRICS),
                                format_func=lambda m: t(f"feedback.question.{m}"))
        score = fields.number_field(t("feedback.role.score"), None, key="cx_entry_score", where=middle, in_form=True)
        scale = right.selectbox(t("feedback.scale"), [10, 5, 7], format_func=context.fmt.number)
        left, middle, right = st.columns(3)
        stage = left.selectbox(t("field.stage"), [None] + stage_names, format_func=lambda s: s or "—")
        segment = middle.text_input(t("feedback.role.segment"))
        channel = right.text_input(t("feedback.role.channel"))
        comment = st.text_input(t("feedback.role.comment"))
        if st.form_submit_button(t("feedback.add"), type="primary"):
            if errors.attempt(
                lambda: feedback.add_response(
                    store, context.workbook_id,
                    {"metric": metric, "score": score, "scale": 10 if metric == "nps" else scale,
                     "stage": stage, "segment": segment, "channel": channel, "comment": comment},
                    context.user,
                ),
                success=t("feedback.added"),
            ):
                st.rerun()

FOLLOWUP_HEADERS = {"at": t("feedback.col.when"), "metric": t("feedback.metric"), "score": t("feedback.role.score"),
                    "customer": t("feedback.role.customer"), "comment": t("feedback.role.comment"),
                    "owner": t("feedback.owner"), "status": t("feedback.status"), "note": t("feedback.note")}

with loop_tab:
    st.caption(t("feedback.loop_help"))
    loop = feedback.follow_ups(store, context.workbook_id)
    # Shown (and downloaded) in the reader's words: the metric's name, not its code (nps, csat).
    shown_loop = [{**row, "at": context.fmt.datetime(row["at"]), "metric": t(f"metrics.name.{row['metric']}")}
                  for row in loop]
    if not loop:
        st.info(t("feedback.no_low_scores"))
    else:
        editing.cell_editor(
            "cx_followups",
            records.grid(shown_loop, feedback.FOLLOWUP_SCHEMA),
            {
                "at": st.column_config.TextColumn(FOLLOWUP_HEADERS["at"]),
                "metric": st.column_config.TextColumn(FOLLOWUP_HEADERS["metric"]),
                "score": st.column_config.NumberColumn(FOLLOWUP_HEADERS["score"], format="%d"),
                "customer": st.column_config.TextColumn(FOLLOWUP_HEADERS["customer"]),
                "comment": st.column_config.TextColumn(FOLLOWUP_HEADERS["comment"], width="medium"),
                "owner": st.column_config.TextColumn(FOLLOWUP_HEADERS["owner"]),
                "status": st.column_config.SelectboxColumn(
                    FOLLOWUP_HEADERS["status"], options=list(feedback.STATUSES),
                    format_func=lambda s: t(f"feedback.status.{s}"),
                ),
                "note": st.column_config.TextColumn(FOLLOWUP_HEADERS["note"], width="medium"),
            },
            lambda edited, forced: feedback.save_follow_up_edits(
                store, context.workbook_id, loop, edited, context.user, forced
            ),
            disabled=["at", "metric", "score", "customer", "comment"],
        )
        show.csv_download(
            [{**row, "status": t(f"feedback.status.{row['status']}") if row.get("status") else ""} for row in shown_loop],
            {c: FOLLOWUP_HEADERS[c] for c in feedback.FOLLOWUP_COLUMNS}, "follow-ups.csv", "cx_followups_csv",
            label=t("feedback.download"),
        )
