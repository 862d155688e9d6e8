"""Step 1: buyer personas, as cards and in an edit form."""

import streamlit as st

from cxlib.report.inert import markdown_text
from cxlib.steps import personas
from cxlib.steps.journeys import CHANNELS
from ui import content, editing, errors, fields, imports, live, show
from ui.context import ctx, data_version

context = ctx()
t = context.t
store = context.store

st.title(f"{t('step.number', n=1)}: {t('step.personas.title')}")
show.guidance("personas")

all_personas = personas.list_personas(store, context.workbook_id)
complete = sum(personas.is_complete(p) for p in all_personas)
st.caption(t("step.personas.rule", have=complete, need=3))

view = st.segmented_control(
    t("personas.view"),
    ["cards", "edit"],
    format_func=lambda v: t(f"personas.view.{v}"),
    default="cards",
    key="cx_personas_view",
    label_visibility="collapsed",
)


if view != "edit":
    # A colleague's save (through any server on the same database) redraws the cards. Not
    # the edit view: a rerun there could not keep what is typed in the form and not sent yet.
    live.follow(data_version())
    if not all_personas:
        st.info(t("personas.empty"))
    content.persona_cards(all_personas)
    with st.expander(t("personas.import"), icon=":material/upload_file:"):
        st.caption(t("personas.import_help"))
        draft = imports.upload(personas.PERSONAS, "cx_personas_import")
        if draft is not None:
            imports.import_button(
                draft, "cx_personas_import",
                lambda: personas.import_personas(store, context.workbook_id, draft.reading, context.user,
                                                 remember=draft.remember),
                success=t("personas.imported", n=draft.reading.frame.height, name=draft.name))
else:
    NEW = 0
    choices = [NEW] + [p["id"] for p in all_personas]
    by_id = {p["id"]: p for p in all_personas}
    editing.apply_choice("cx_persona_pick")
    picked = st.selectbox(
        t("personas.pick"),
        choices,
        format_func=lambda i: t("personas.new") if i == NEW else by_id[i]["name"],
        key="cx_persona_pick",
    )
    persona = by_id.get(picked, {})
    session = editing.edit_session(f"cx_persona_{picked}", persona.get("version"))
    form = session.form
    with st.form(form):
        values = {}
        left, right = st.columns(2)
        for index, field in enumerate(personas.TEXT_FIELDS):
            column = left if index % 2 == 0 else right
            values[field] = column.text_input(
                t(f"field.{field}") + (" *" if field == "name" else ""),
                value=persona.get(field) or "",
                key=f"{form}_{field}",
            )
        st.caption(t("personas.one_per_line"))
        left, right = st.columns(2)
        for index, field in enumerate(personas.LIST_FIELDS):
            column = left if index % 2 == 0 else right
            values[field] = column.text_area(
                t(f"field.{field}"), value=persona.get(field) or "", key=f"{form}_{field}"
            )
        values["channels"] = st.multiselect(
            t("field.channels"),
            CHANNELS,
            default=persona.get("channels") or [],
            format_func=lambda c: t(f"channel.{c}"),
            placeholder=t("frame.choose"),
            key=f"{form}_channels",
            select_all=False,  # Streamlit writes "Select all" in English only
        )
        left, right = st.columns(2)
        values["segment_size"] = fields.number_field(
            t("field.segment_size"), persona.get("segment_size"), key=f"{form}_segment_size", where=left,
            in_form=True,
        )
        values["segment_value"] = fields.number_field(
            t("field.segment_value"), persona.get("segment_value"), key=f"{form}_segment_value", where=right,
            in_form=True,
        )
        submitted = st.form_submit_button(t("save"), type="primary")

    if submitted:
        if persona:
            ok = session.save(lambda version: personas.save_persona(
                store, context.workbook_id, values, context.user, persona["id"], version
            )
        )
        else:
            def create():
                made = personas.save_persona(store, context.workbook_id, values, context.user)
                editing.choose_next("cx_persona_pick", made["id"])

            ok = errors.attempt(create, after=session.finish, success=t("saved"))
        if ok:
            st.rerun()

    if persona:
        with st.expander(t("personas.delete"), icon=":material/delete:"):
            st.warning(t("personas.delete_warning", name=markdown_text(persona["name"])))
            if st.button(t("personas.delete"), key="cx_persona_delete"):
                def delete():
                    personas.delete_persona(
                        store, context.workbook_id, persona["id"],
                        session.base_version, context.user,
                    )
                    editing.choose_next("cx_persona_pick", None)

                if errors.attempt(delete, after=session.finish, success=t("personas.deleted")):
                    st.rerun()
