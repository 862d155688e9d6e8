"""Step 9: survey plan, importing answers/tickets/usage, quick entry, and the closed loop."""

import streamlit as st

from cxlib.ingest import importers
from cxlib.ingest.parsing import FileError
from cxlib.report.inert import markdown_text
from cxlib.steps import feedback, journeys
from cxlib.storage import records
from ui import editing, errors, fields, show
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
    upload = st.file_uploader(t("feedback.file"), type=["csv", "xlsx"], key=editing.editor_key("cx_import_file"))
    if upload is not None:
        header_line = fields.number_field(t("feedback.header_line"), 0, minimum=0, help=t("feedback.header_line_help"),
                                      key="cx_header_line")
        try:
            table = importers.read_table(upload.getvalue(), upload.name, header_line or None)
        except FileError as error:
            st.error(t("feedback.bad_file", name=markdown_text(upload.name), message=markdown_text(error.message(t.language))),
                     icon=":material/error:")
            table = None
        if table is not None:
            st.caption(t("feedback.detected", header=table.header_line, first=table.first_data_line,
                         rows=table.frame.height))
            show.table(table.frame.head(5))
            roles = {"responses": importers.RESPONSE_ROLES, "tickets": importers.TICKET_ROLES,
                     "events": importers.EVENT_ROLES}[kind]
            required = {"responses": ("date", "score"), "tickets": ("created",), "events": ("at", "user")}[kind]
            columns = [None] + table.frame.columns
            picks = st.columns(4)
            mapping = {}
            for index, role in enumerate(roles):
                guess = next((c for c in table.frame.columns if c.lower() == role), None)
                mapping[role] = picks[index % 4].selectbox(
                    t(f"feedback.role.{role}") + (" *" if role in required else ""), columns,
                    index=columns.index(guess), format_func=lambda c: c or "—", key=f"cx_map_{kind}_{role}",
                )
            metric, scale = None, None
            if kind == "responses":
                left, right = st.columns(2)
                metric = left.selectbox(t("feedback.metric"), list(importers.METRICS),
                                        format_func=lambda m: t(f"feedback.question.{m}"), key="cx_import_metric")
                if metric != "nps":
                    scale = right.selectbox(t("feedback.scale"), [5, 7], index=0 if metric == "csat" else 1,
                                            key=f"cx_import_scale_{metric}")
            if st.button(t("feedback.import_button"), type="primary", key="cx_import_go"):
                try:
                    if kind == "responses":
                        rows = importers.prepare_responses(table, mapping, metric, scale)
                    elif kind == "tickets":
                        rows = importers.prepare_tickets(table, mapping)
                    else:
                        rows = importers.prepare_events(table, mapping)
                except FileError as error:
                    st.error(t("feedback.bad_file", name=markdown_text(upload.name), message=markdown_text(error.message(t.language))),
                     icon=":material/error:")
                else:
                    bar = st.progress(0.0, text=t("feedback.importing", rows=rows.height))
                    if errors.attempt(
                        lambda: feedback.import_rows(store, context.workbook_id, kind, rows, upload.name,
                                                     context.user, metric, progress=bar.progress),
                        after=lambda: editing.reset_editor("cx_import_file"),
                        success=t("feedback.imported", rows=rows.height, name=markdown_text(upload.name)),
                    ):
                        st.rerun()
    imports = feedback.list_imports(store, context.workbook_id)
    if imports:
        st.subheader(t("feedback.imports"))
        show.table(
            [{t("feedback.col.name"): i["name"], t("feedback.col.kind"): t(f"feedback.kind.{i['kind']}"),
              t("feedback.col.rows"): context.fmt.number(i["rows"]),
              t("feedback.col.when"): context.fmt.datetime(i["created_at"]),
              t("feedback.col.who"): author(i["updated_by"], t)} for i in imports])

with entry_tab:
    st.caption(t("feedback.entry_help"))
    with st.form("cx_quick_entry", clear_on_submit=True):
        left, middle, right = st.columns(3)
        metric = left.selectbox(t("feedback.metric"), list(importers.METRICS),
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
