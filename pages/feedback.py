"""Step 9: survey plan, importing answers/tickets/usage, quick entry, and the closed loop."""

import streamlit as st

import json

from cxlib.steps import payloads as webhook
from cxlib.ingest.parsing import FileError
from cxlib.l10n.i18n import languages
from cxlib.steps import feedback, journeys, personas, survey_links, webhooks
from cxlib.storage import records
from ui import editing, errors, fields, imports, links, live, show
from ui.context import author, ctx, data_version

context = ctx()
t = context.t
store = context.store

st.title(f"{t('step.number', n=9)}: {t('step.feedback.title')}")
show.guidance("feedback")
counted = feedback.counts(store, context.workbook_id)
show.step_rule("feedback", feedback.is_complete(counted), **counted)

live.follow(data_version())  # answers from phones and webhooks show up (follow-ups at once)
stage_names = journeys.stage_names(store, context.workbook_id)
plan_tab, links_tab, webhook_tab, import_tab, entry_tab, loop_tab = st.tabs(
    [t("feedback.tab.plan"), t("feedback.tab.links"), t("feedback.tab.webhook"), t("feedback.tab.import"),
     t("feedback.tab.entry"), t("feedback.tab.loop")]
)

def survey_fields(form: str, survey: dict) -> dict:
    """A planned survey's fields for the capture form: channel and questions are one tap each."""
    persona_names = [p["name"] for p in personas.list_personas(store, context.workbook_id)]
    left, right = st.columns(2)
    values = {"name": left.text_input(t("field.name") + " *", survey.get("name", ""), key=f"{form}_name"),
              "trigger": right.text_input(t("field.trigger"), survey.get("trigger") or "", key=f"{form}_trigger")}
    for column, field, options in ((left, "stage", stage_names), (right, "persona", persona_names)):
        current = survey.get(field) or ""
        choices = list(dict.fromkeys(["", *options, *([current] if current else [])]))
        values[field] = column.selectbox(t(f"field.{field}"), choices, index=choices.index(current),
                                         format_func=lambda v: v or "—", key=f"{form}_{field}")
    values["touchpoint"] = left.text_input(t("field.touchpoint"), survey.get("touchpoint") or "",
                                           key=f"{form}_touchpoint")
    values["channel"] = st.pills(t("field.channel"), list(feedback.SURVEY_CHANNELS), default=survey.get("channel"),
                                 key=f"{form}_channel", format_func=lambda c: t(f"feedback.channel.{c}"))
    values["questions"] = st.pills(t("field.questions"), list(feedback.QUESTIONS), selection_mode="multi",
                                   default=survey.get("questions") or [], key=f"{form}_questions",
                                   format_func=lambda q: t(f"feedback.question.{q}"))
    return values


with plan_tab:
    st.caption(t("feedback.plan_help"))
    surveys = feedback.list_surveys(store, context.workbook_id)
    plan_mode = st.segmented_control(
        t("feedback.tab.plan"), ["capture", "grid"], default="capture", key="cx_survey_mode",
        format_func=lambda mode: t(f"feedback.plan_mode.{mode}"), label_visibility="collapsed") or "capture"
    def save_surveys(edits, forced):
        feedback.save_survey_edits(store, context.workbook_id, surveys, edits, context.user, forced)

    if plan_mode == "capture":
        editing.one_at_a_time(
            "cx_survey", surveys, lambda survey: survey["name"], t("feedback.new_survey"), survey_fields,
            save_surveys, pick_label=t("feedback.survey"), help_text=t("feedback.capture_help"),
            submit_label=t("feedback.save_next"), grid="cx_surveys")
    else:
        editing.grid_editor(
            "cx_surveys",
            records.grid(surveys, feedback.SURVEY_SCHEMA),
            feedback.SURVEY_COLUMNS,
            {
                "name": st.column_config.TextColumn(t("field.name"), required=True),
                "stage": st.column_config.SelectboxColumn(t("field.stage"), options=stage_names),
                "touchpoint": st.column_config.TextColumn(t("field.touchpoint")),
                "persona": st.column_config.SelectboxColumn(
                    t("field.persona"), options=[p["name"] for p in personas.list_personas(store, context.workbook_id)]),
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
            save_surveys,
        )

with links_tab:
    st.caption(t("links.help"))
    base_url = links.public_base_url()
    linkable = [s for s in surveys if any(q in survey_links.SCALES for q in survey_links.questions(s))]
    if not linkable:
        st.info(t("links.none"))
    for survey in linkable:
        with st.expander(survey["name"], expanded=len(linkable) == 1, icon=":material/qr_code_2:"):
            left, right = st.columns([3, 2])
            is_open = left.toggle(t("links.open"), value=bool(survey["is_open"]),
                                  key=f"cx_open_{survey['id']}_{survey['version']}")
            if is_open != bool(survey["is_open"]) and errors.attempt(
                    lambda: survey_links.set_open(store, context.workbook_id, survey["id"], is_open,
                                                  survey["version"], context.user), success=t("saved")):
                st.rerun()
            if not survey["is_open"]:
                left.caption(t("links.closed_note"))
            customer = left.text_input(t("links.customer"), key=f"cx_link_customer_{survey['id']}",
                                       help=t("links.customer_help"), max_chars=survey_links.MAX_CUSTOMER)
            language = left.selectbox(t("links.language"), [None, *languages()], key=f"cx_link_lang_{survey['id']}",
                                      format_func=lambda code: languages()[code] if code else t("links.language_auto"))
            url = survey_links.link(base_url, survey, customer.strip() or None, language)
            left.code(url, language=None)
            left.caption(t("links.base_help"))
            right.image(survey_links.qr_png(url, scale=6), width=240)
            right.download_button(t("links.download_svg"), survey_links.qr_svg(url), mime="image/svg+xml",
                                  file_name=f"survey-{survey['slug'][:8]}.svg", icon=":material/download:",
                                  key=f"cx_qr_svg_{survey['id']}")
            right.download_button(t("links.download_png"), survey_links.qr_png(url), mime="image/png",
                                  file_name=f"survey-{survey['slug'][:8]}.png", icon=":material/download:",
                                  key=f"cx_qr_png_{survey['id']}")

with webhook_tab:
    st.caption(t("webhook.help"))
    base_url = links.public_base_url()
    st.subheader(t("webhook.tokens"))
    fresh = st.session_state.pop("cx_new_token", None)
    if fresh:
        st.success(t("webhook.token_once"), icon=":material/key:")
        st.code(fresh, language=None)
    with st.form("cx_token_form", clear_on_submit=True):
        token_name = st.text_input(t("webhook.token_name"), max_chars=100)
        if st.form_submit_button(t("webhook.create_token"), icon=":material/key:"):
            def create() -> None:
                st.session_state["cx_new_token"] = webhooks.create_token(
                    store, context.workbook_id, token_name, context.user)[1]
            if errors.attempt(create):
                st.rerun()
    tokens = webhooks.list_tokens(store, context.workbook_id)
    if not tokens:
        st.caption(t("webhook.no_tokens"))
    for token in tokens:
        name_cell, state_cell, button_cell = st.columns([2, 2, 1], vertical_alignment="center")
        name_cell.text(f"{token['name']}  …{token['hint']}")  # typed text, shown as text
        if token["revoked_at"]:
            state_cell.caption(t("webhook.revoked", when=context.fmt.datetime(token["revoked_at"])))
        else:
            state_cell.caption(t("webhook.active", when=context.fmt.datetime(token["created_at"])))
            if button_cell.button(t("webhook.revoke"), key=f"cx_revoke_{token['id']}", icon=":material/block:"):
                if errors.attempt(lambda: webhooks.revoke_token(store, context.workbook_id, token["id"],
                                                                token["version"], context.user), success=t("saved")):
                    st.rerun()

    st.subheader(t("webhook.sources"))
    sources = {s["name"]: s for s in webhooks.list_sources(store, context.workbook_id)}
    picked = st.selectbox(t("webhook.source"), [None, *sources], key="cx_source_pick",
                          format_func=lambda name: name or t("webhook.new_source"))
    current = sources.get(picked) or {}
    preset = st.selectbox(t("webhook.preset"), list(webhook.PRESETS), key=f"cx_preset_{picked}",
                          index=list(webhook.PRESETS).index(current.get("preset", "generic")),
                          format_func=lambda p: t(f"webhook.preset.{p}"))
    mapping = current.get("mapping") if current.get("preset") == preset else webhook.PRESETS[preset]
    with st.form(f"cx_source_form_{picked}_{preset}_{current.get('version')}"):
        name_col, metric_col, scale_col = st.columns(3)
        source_name = name_col.text_input(t("webhook.source_name"), value=picked or preset, max_chars=40)
        metric = metric_col.selectbox(t("feedback.metric"), [None, *feedback.METRICS],
                                      index=[None, *feedback.METRICS].index(current.get("metric")),
                                      format_func=lambda m: t(f"feedback.question.{m}") if m else t("webhook.from_payload"))
        scale = scale_col.selectbox(t("feedback.scale"), [None, 5, 7, 10], index=[None, 5, 7, 10].index(current.get("scale")),
                                    format_func=lambda v: context.fmt.number(v) if v else t("webhook.from_payload"))
        st.caption(t("webhook.mapping_help"))
        cells = st.columns(3)
        typed = {role: cells[i % 3].text_input(t(f"webhook.role.{role}"), value=(mapping or {}).get(role, ""),
                                              max_chars=300)
                 for i, role in enumerate(webhook.ROLES)}
        if st.form_submit_button(t("webhook.save_source"), type="primary"):
            if errors.attempt(lambda: webhooks.save_source(
                    store, context.workbook_id, {"name": source_name, "preset": preset, "mapping": typed,
                                                 "metric": metric, "scale": scale}, context.user,
                    current.get("id"), current.get("version")), success=t("saved")):
                st.rerun()
    sample = st.text_area(t("webhook.sample"), key="cx_webhook_sample", height=120)
    if sample.strip():
        try:
            preview = webhook.read(webhook.parse_json(sample.encode("utf-8")), mapping or {},
                                   current.get("metric"), current.get("scale"))
        except webhook.PayloadError as error:
            st.error(t("webhook.preview_error", message=str(error)), icon=":material/error:")
        else:
            st.success(t("webhook.preview_ok"), icon=":material/check_circle:")
            role = {"at": "date", "key": "id"}  # stored column → the role it was read from
            show.table([{t(f"webhook.role.{role.get(k, k)}"): str(v) for k, v in preview.items() if v is not None}])
    st.caption(t("webhook.example"))
    example = {"score": 9, "metric": "nps", "customer": "C-1042", "touchpoint": "Checkout", "comment": "Quick"}
    st.code(f"curl -X POST '{base_url}/api/answers/{picked or 'generic'}' \\\n"
            f"  -H 'Authorization: Bearer <token>' -H 'Content-Type: application/json' \\\n"
            f"  -H 'Idempotency-Key: order-1042' \\\n  -d '{json.dumps(example, ensure_ascii=False)}'",
            language="bash")

with import_tab:
    st.caption(t("feedback.import_help"))
    kind = st.radio(t("feedback.kind"), list(feedback.KIND_COLUMNS), horizontal=True,
                    format_func=lambda k: t(f"feedback.kind.{k}"), key="cx_import_kind")
    for other in feedback.KIND_COLUMNS:  # a file read for another kind is let go
        if other != kind:
            imports.forget(f"cx_import_{other}")
    draft = imports.upload(feedback.SPECS[kind], f"cx_import_{kind}", streamed=True)
    if draft is not None:
        scales = {}
        if kind == "responses":
            rated = [m for m in ("csat", "ces") if m in draft.reading.sample.columns]
            for column, metric in zip(st.columns(max(len(rated), 1)), rated):
                scales[metric] = column.selectbox(
                    t("feedback.scale_of", metric=t(f"feedback.question.{metric}")), [5, 7],
                    index=0 if metric == "csat" else 1, format_func=context.fmt.number, key=f"cx_import_scale_{metric}")
        leave_out = kind == "responses" and st.checkbox(t("feedback.leave_out_off_scale"), key="cx_import_leave_out")
        try:
            # Every row checked (a part at a time) before the import is offered; kept for
            # the reruns of this upload.
            checked = imports.kept(f"cx_import_{kind}_check", (draft.origin, scales, leave_out),
                                   lambda: feedback.check_import(kind, draft.reading, scales, leave_out))
        except FileError as error:
            imports.file_error(draft.name, error)
        else:
            for name, counted in checked.notes.items():
                if kind == "responses":
                    st.caption(t("feedback.metric_summary", metric=t(f"feedback.question.{name}"),
                                 answers=counted["answers"], blank=counted["blank"]))
                    if counted["left_out"]:
                        st.warning(t("feedback.left_out", metric=t(f"feedback.question.{name}"),
                                     count=counted["left_out"]), icon=":material/rule:")
                elif counted["before_created"]:
                    st.warning(t("feedback.before_created", role=imports.role_label(name),
                                 n=counted["before_created"]), icon=":material/rule:")

            def write(checked=checked, draft=draft):
                bar = st.progress(0.0, text=t("feedback.storing", percent=context.fmt.percent(0.0)))
                return feedback.import_checked(
                    store, context.workbook_id, checked, draft.name, context.user, remember=draft.remember,
                    progress=lambda share: bar.progress(share, text=t("feedback.storing",
                                                                      percent=context.fmt.percent(share))))

            imports.import_button(draft, f"cx_import_{kind}", write,
                                  success=t("feedback.imported", rows=checked.rows, name=draft.name))
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
