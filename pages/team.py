"""Step 5: the CX team, its RACI per journey stage, goals and review cadence."""

import streamlit as st

from cxlib.steps import journeys, team
from cxlib.storage import records
from ui import editing, fields, show
from ui.context import ctx

context = ctx()
t = context.t
store = context.store

st.title(f"{t('step.number', n=5)}: {t('step.team.title')}")
show.guidance("team")

members = team.list_members(store, context.workbook_id)
stage_names = journeys.stage_names(store, context.workbook_id)
review = team.get_review(store, context.workbook_id)
unowned = team.unowned_stages(members, stage_names)
show.step_rule("team", team.is_complete(members, stage_names, review),
             members=len(members), unowned=len(unowned))

st.subheader(t("team.members"))
st.caption(t("team.members_help"))
editing.grid_editor(
    "cx_team_members",
    records.grid(members, team.MEMBER_SCHEMA),
    team.MEMBER_COLUMNS,
    {
        "name": st.column_config.TextColumn(t("field.name"), required=True),
        "role": st.column_config.TextColumn(t("field.role")),
        "skills": st.column_config.TextColumn(t("field.skills"), width="medium"),
        "training_needs": st.column_config.TextColumn(t("field.training_needs"), width="medium"),
        "goals": st.column_config.TextColumn(t("field.goals"), width="medium"),
    },
    lambda edits, forced: team.save_member_edits(
        store, context.workbook_id, members, edits, context.user, forced
    ),
)

st.subheader(t("team.raci"))
st.caption(t("team.raci_help"))
if not stage_names:
    st.info(t("team.no_stages"))
elif members:
    editing.cell_editor(
        "cx_raci",
        team.raci_frame(members, stage_names),
        {"name": st.column_config.TextColumn(t("field.name"), disabled=True)}
        | {stage: st.column_config.SelectboxColumn(stage, options=list(team.RACI_LETTERS)) for stage in stage_names},
        lambda edited, forced: team.save_raci_edits(
            store, context.workbook_id, members, edited, context.user, forced
        ),
    )
    if unowned:
        st.warning(t("team.unowned", stages=context.fmt.join(unowned)), icon=":material/warning:")

st.subheader(t("team.review"))
due = team.next_review(review)
if review is None or not review.get("last_review"):
    st.warning(t("team.no_review"), icon=":material/event_busy:")
elif team.is_overdue(review):
    st.error(t("team.overdue", due=context.fmt.date(due)), icon=":material/event_busy:")
else:
    st.success(t("team.next_review", due=context.fmt.date(due)), icon=":material/event_available:")

review = review or {}
session = editing.edit_session("cx_team_review", review.get("version"))
form = session.form
with st.form(form):
    values = {
        "goals": st.text_area(t("field.goals_team"), value=review.get("goals") or "", key=f"{form}_goals"),
        "cadence_days": fields.number_field(
            t("field.cadence_days"), review.get("cadence_days") or 30, key=f"{form}_cadence", in_form=True
        ),
        "last_review": fields.date_field(t("field.last_review"), team.last_review(review), key=f"{form}_last",
                                     in_form=True),
        "progress": st.text_area(t("field.progress"), value=review.get("progress") or "", key=f"{form}_progress"),
    }
    if st.form_submit_button(t("save"), type="primary"):
        if session.save(lambda version: team.save_review(
            store, context.workbook_id, values, context.user, version
        )):
            st.rerun()
