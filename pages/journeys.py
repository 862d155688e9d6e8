"""Step 3: journey maps per persona: swimlane grid, emotion curve and the stage editor."""

import streamlit as st

from cxlib.report.inert import markdown_text
from cxlib.steps import journeys, personas, vision
from cxlib.storage import records
from ui import content, editing, errors, live, show
from ui.context import ctx, data_version, page_path

context = ctx()
t = context.t
store = context.store

st.title(f"{t('step.number', n=3)}: {t('step.journeys.title')}")
show.guidance("journeys")
st.caption(
    (":material/check_circle: " if journeys.is_complete(store, context.workbook_id) else ":material/radio_button_unchecked: ")
    + t("step.journeys.rule", journeys=len(journeys.list_journeys(store, context.workbook_id)))
)

all_personas = personas.list_personas(store, context.workbook_id)
persona_names = {p["id"]: p["name"] for p in all_personas}
if not all_personas:
    st.info(t("journeys.no_personas"))
    st.page_link(page_path("personas"), label=t("journeys.go_personas"), icon=":material/groups:")
    st.stop()

# Open on a persona that already has a journey, when there is one.
mapped = {j["persona_id"] for j in journeys.list_journeys(store, context.workbook_id)}
persona_ids = sorted(persona_names, key=lambda i: i not in mapped)
persona_id = st.selectbox(
    t("journeys.persona"), persona_ids, format_func=persona_names.get, key="cx_journey_persona"
)
persona_journeys = journeys.list_journeys(store, context.workbook_id, persona_id)
kind_labels = {kind: t(f"journeys.kind.{kind}") for kind in journeys.KINDS}
team_labels = {code: t(f"team.{code}") for code in vision.TEAMS}

with st.expander(t("journeys.new"), icon=":material/add:", expanded=not persona_journeys):
    with st.form("new_journey", clear_on_submit=True):
        name = st.text_input(t("field.name") + " *")
        kind = st.radio(t("field.kind"), journeys.KINDS, format_func=kind_labels.get, horizontal=True)
        sources = {0: t("journeys.start_default")} | {
            j["id"]: t("journeys.start_copy", name=j["name"]) for j in persona_journeys
        }
        source = st.selectbox(t("journeys.start_from"), list(sources), format_func=sources.get)
        if st.form_submit_button(t("journeys.create"), type="primary"):
            if source:
                stage_names = [s["name"] for s in journeys.list_stages(store, source)]
            else:
                stage_names = [t(f"stage.default.{key}") for key in journeys.DEFAULT_STAGES]

            def create():
                made = journeys.create_journey(
                    store,
                    context.workbook_id,
                    {"name": name, "kind": kind, "persona_id": persona_id},
                    stage_names,
                    context.user,
                )
                editing.choose_next("cx_journey_pick", made["id"])

            if errors.attempt(create, success=t("saved")):
                st.rerun()

if not persona_journeys:
    st.info(t("journeys.none", persona=markdown_text(persona_names[persona_id])))
    st.stop()

# Answers from phones and webhooks move the measured curve as they arrive.
live.follow(data_version())

journey_names = {j["id"]: f"{j['name']} ({kind_labels[j['kind']]})" for j in persona_journeys}
editing.apply_choice("cx_journey_pick")
if st.session_state.get("cx_journey_pick") not in journey_names:
    st.session_state.pop("cx_journey_pick", None)
journey_id = st.selectbox(
    t("journeys.journey"), list(journey_names), format_func=journey_names.get, key="cx_journey_pick"
)
journey = next(j for j in persona_journeys if j["id"] == journey_id)
stages = journeys.list_stages(store, journey_id)

st.subheader(t("journeys.swimlane"))
# The canvas overlays every journey of this persona (as-is against to-be) above this one's lanes.
content.journey_canvas({"id": persona_id, "name": persona_names[persona_id]}, stages)
if stages and not any(stage["emotion"] is not None for stage in stages):
    st.info(t("journeys.no_scores"))

st.subheader(t("journeys.edit_stages"))
capture_mode = st.segmented_control(
    t("journeys.edit_stages"), ["capture", "grid"], default="capture", key="cx_stage_mode",
    format_func=lambda mode: t(f"journeys.mode.{mode}"), label_visibility="collapsed") or "capture"


MULTI_LINE = ("touchpoints", "actions", "pain_points", "opportunities")


def stage_fields(form: str, stage: dict) -> dict:
    """A stage's fields for the capture form: one-line fields submit on Enter."""
    name_column, emotion_column = st.columns([2, 3])
    values = {"name": name_column.text_input(t("field.name") + " *", stage.get("name", ""), key=f"{form}_name")}
    values["emotion"] = emotion_column.segmented_control(
        t("field.emotion"), list(range(-2, 3)), default=stage.get("emotion"), key=f"{form}_emotion",
        format_func=lambda v: t(f"emotion.{v}"))
    values["channels"] = st.pills(t("field.channels"), list(journeys.CHANNELS), selection_mode="multi",
                                  default=stage.get("channels") or [], key=f"{form}_channels",
                                  format_func=lambda c: t(f"channel.{c}"))
    left, right = st.columns(2)
    for column, lanes in ((left, ("customer_goal", "touchpoints", "actions", "thoughts")),
                          (right, ("pain_points", "opportunities", "owner_team", "kpi"))):
        for lane in lanes:
            current = stage.get(lane) or ""
            if lane == "owner_team":
                teams = list(dict.fromkeys(["", *vision.TEAMS, *([current] if current else [])]))
                values[lane] = column.selectbox(t(f"field.{lane}"), teams, index=teams.index(current),
                                                format_func=lambda code: team_labels.get(code, code),
                                                key=f"{form}_{lane}")
                continue
            # Lists (one item per line) need a text area; a text field would join their lines.
            field = column.text_area if lane in MULTI_LINE or "\n" in current else column.text_input
            values[lane] = field(t(f"field.{lane}"), current, key=f"{form}_{lane}")
    return values


if capture_mode == "capture":
    # One stage at a time, as the room calls it out: type, Enter (saves), next stage.
    editing.one_at_a_time(
        f"cx_stage_{journey_id}", stages, lambda stage: stage["name"], t("journeys.new_stage"), stage_fields,
        lambda edits, forced: journeys.save_stage_edits(store, context.workbook_id, journey_id, stages, edits,
                                                        context.user, forced),
        pick_label=t("journeys.stage"), help_text=t("journeys.capture_help"), submit_label=t("journeys.save_next"),
        grid=f"cx_stages_{journey_id}")
else:
    st.caption(t("journeys.edit_stages_help"))
    editing.grid_editor(
        f"cx_stages_{journey_id}",
        records.grid(stages, journeys.STAGE_SCHEMA),
        journeys.STAGE_COLUMNS,
        {
            "position": st.column_config.NumberColumn(t("field.position"), min_value=0, step=1, width="small"),
            "name": st.column_config.TextColumn(t("field.name"), required=True),
            "customer_goal": st.column_config.TextColumn(t("field.customer_goal")),
            "touchpoints": st.column_config.TextColumn(t("field.touchpoints")),
            "channels": st.column_config.MultiselectColumn(
                t("field.channels"), options=list(journeys.CHANNELS), format_func=lambda c: t(f"channel.{c}")
            ),
            "actions": st.column_config.TextColumn(t("field.actions")),
            "thoughts": st.column_config.TextColumn(t("field.thoughts")),
            "emotion": st.column_config.NumberColumn(
                t("field.emotion"), min_value=-2, max_value=2, step=1, help=t("journeys.emotion_help")
            ),
            "pain_points": st.column_config.TextColumn(t("field.pain_points"), width="medium"),
            "opportunities": st.column_config.TextColumn(t("field.opportunities"), width="medium"),
            # A team named by its code (the step 2 teams) or typed freely before teams were a list.
            "owner_team": st.column_config.SelectboxColumn(
                t("field.owner_team"),
                options=list(dict.fromkeys([*vision.TEAMS, *(s["owner_team"] for s in stages if s.get("owner_team"))])),
                format_func=lambda code: team_labels.get(code, code),
            ),
            "kpi": st.column_config.TextColumn(t("field.kpi")),
        },
        lambda edits, forced: journeys.save_stage_edits(
            store, context.workbook_id, journey_id, stages, edits, context.user, forced
        ),
    )

if len(stages) > 1:
    stage_names = {s["id"]: s["name"] for s in stages}
    pick, left, right = st.columns([4, 1, 1], vertical_alignment="bottom")
    stage_id = pick.selectbox(
        t("journeys.reorder"), list(stage_names), format_func=stage_names.get, key="cx_move_stage"
    )
    for column, step, label in ((left, -1, "journeys.earlier"), (right, 1, "journeys.later")):
        if column.button(t(label), key=f"cx_move_{step}", width="stretch"):
            if errors.attempt(
                lambda: journeys.move_stage(store, context.workbook_id, stage_id, step, context.user),
                after=lambda: editing.reset_editor(f"cx_stages_{journey_id}"),
            ):
                st.rerun()

with st.expander(t("journeys.settings"), icon=":material/settings:"):
    session = editing.edit_session(f"cx_journey_{journey_id}", journey["version"])
    form = session.form
    with st.form(form):
        values = {
            "name": st.text_input(t("field.name"), value=journey["name"], key=f"{form}_name"),
            "kind": st.radio(
                t("field.kind"),
                journeys.KINDS,
                index=journeys.KINDS.index(journey["kind"]),
                format_func=kind_labels.get,
                horizontal=True,
                key=f"{form}_kind",
            ),
            "persona_id": persona_id,
            "description": st.text_area(
                t("field.description"), value=journey["description"] or "", key=f"{form}_description"
            ),
        }
        if st.form_submit_button(t("save"), type="primary"):
            if session.save(lambda version: journeys.update_journey(
                store, context.workbook_id, journey_id, values, version, context.user
            )):
                st.rerun()
    if st.button(t("journeys.delete"), icon=":material/delete:", key="cx_journey_delete"):
        if errors.attempt(
            lambda: journeys.delete_journey(
                store, context.workbook_id, journey_id, session.base_version, context.user
            ),
            after=session.finish,
            success=t("journeys.deleted"),
        ):
            editing.choose_next("cx_journey_pick", None)
            st.rerun()
