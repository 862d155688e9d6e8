"""Step 8: brand story, commitments, personalisation per persona, moments that matter and
the target emotion per journey stage (drawn on step 3's emotion curve)."""

import streamlit as st

from cxlib.steps import emotion, journeys
from cxlib.storage import records
from ui import editing, show
from ui.context import ctx, page_path

context = ctx()
t = context.t
store = context.store

st.title(f"{t('step.number', n=8)}: {t('step.emotion.title')}")
show.guidance("emotion")

story = emotion.get_story(store, context.workbook_id) or {}
all_stages = journeys.all_stages(store, context.workbook_id)
show.step_rule("emotion", emotion.is_complete(story, all_stages),
             targets=sum(s["target_emotion"] is not None for s in all_stages))

st.subheader(t("emotion.story"))
session = editing.edit_session("cx_brand_story", story.get("version"))
form = session.form
with st.form(form):
    values = {
        field: st.text_area(t(f"field.{field}"), value=story.get(field) or "", key=f"{form}_{field}")
        for field in ("story", "transparency", "people")
    }
    if st.form_submit_button(t("save"), type="primary"):
        if session.save(lambda version: emotion.save_story(
            store, context.workbook_id, values, context.user, version
        )):
            st.rerun()


st.subheader(t("emotion.plans"))
st.caption(t("emotion.plans_help"))
plans = emotion.plans(store, context.workbook_id)
if not plans:
    st.info(t("emotion.no_personas"))
else:
    editing.cell_editor(
        "cx_plans",
        records.grid(plans, emotion.PLAN_SCHEMA),
        {
            "persona": st.column_config.TextColumn(t("field.persona"), disabled=True),
            "plan": st.column_config.TextColumn(t("field.plan"), width="large"),
            "moments": st.column_config.TextColumn(t("field.moments"), width="large"),
        },
        lambda edited, forced: emotion.save_plan_edits(
            store, context.workbook_id, plans, edited, context.user, forced
        ),
    )

st.subheader(t("emotion.targets"))
st.caption(t("emotion.targets_help"))
journey_list = journeys.list_journeys(store, context.workbook_id)
if not journey_list:
    st.info(t("team.no_stages"))
else:
    names = {j["id"]: f"{j['name']} ({t('journeys.kind.' + j['kind'])})" for j in journey_list}
    journey_id = st.selectbox(t("journeys.journey"), list(names), format_func=names.get, key="cx_emotion_journey")
    stages = journeys.list_stages(store, journey_id)
    editing.cell_editor(
        f"cx_targets_{journey_id}",
        records.grid(stages, emotion.STAGE_SCHEMA),
        {
            "name": st.column_config.TextColumn(t("journeys.stage"), disabled=True),
            "moment_that_matters": st.column_config.TextColumn(t("field.moment_that_matters"), width="large"),
            "target_emotion": st.column_config.NumberColumn(t("field.target_emotion"), min_value=-2,
                                                            max_value=2, step=1),
        },
        lambda edited, forced: emotion.save_stage_edits(
            store, context.workbook_id, stages, edited, context.user, forced
        ),
    )
    st.page_link(page_path("journeys"), label=t("step.journeys.title"), icon=":material/route:")
