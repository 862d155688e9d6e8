"""Workbooks: create, rename, duplicate, delete (with confirmation), switch; history and undo."""

import streamlit as st

from cxlib.demo import build as demo
from cxlib.ingest import exchange
from cxlib.storage import workbooks
from ui import editing, errors, show
from ui.context import author, ctx

context = ctx()
t = context.t
store = context.store
current = context.workbook


def open_workbook(workbook_id: int) -> None:
    st.session_state["cx_wb"] = workbook_id
    st.query_params["wb"] = str(workbook_id)


st.title(t("workbooks.title"))
st.write(t("workbooks.intro"))

rows = []
for workbook in workbooks.list_workbooks(store):
    counts = workbooks.counts(store, workbook["id"])
    rows.append(
        {
            t("workbooks.col.name"): workbook["name"],
            t("workbooks.col.personas"): counts["personas"],
            t("workbooks.col.journeys"): counts["journeys"],
            t("workbooks.col.updated"): context.fmt.datetime(workbook["updated_at"]),
            t("workbooks.col.open"): "●" if workbook["id"] == current["id"] else "",
        }
    )
show.table(rows)

create_tab, rename_tab, duplicate_tab, exchange_tab, delete_tab, history_tab = st.tabs(
    [t("workbooks.create"), t("workbooks.rename"), t("workbooks.duplicate"), t("workbooks.exchange"),
     t("workbooks.delete"), t("workbooks.history")]
)

with create_tab:
    with st.form("create_workbook", clear_on_submit=True):
        name = st.text_input(t("field.name"), key="cx_new_wb_name")
        description = st.text_area(t("field.description"))
        start_from_demo = st.checkbox(t("workbooks.start_from_demo"))
        if st.form_submit_button(t("workbooks.create"), type="primary"):
            def create():
                if start_from_demo:
                    made = demo.create_demo(store, t.language, name=name.strip() or None)
                else:
                    made = workbooks.create_workbook(store, name, context.user, description, t.language)
                open_workbook(made["id"])

            if errors.attempt(create, success=t("workbooks.created")):
                st.rerun()

with rename_tab:
    with st.form("rename_workbook"):
        new_name = st.text_input(t("field.name"), value=current["name"], key=f"cx_rename_{current['id']}")
        currencies = list(dict.fromkeys((*workbooks.CURRENCIES, current["currency"])))
        currency = st.selectbox(
            t("field.currency"), currencies, index=currencies.index(current["currency"]),
            format_func=lambda c: context.fmt.currency_name(c) if c else t("workbooks.no_currency"),
            key=f"cx_currency_{current['id']}",
        )
        if st.form_submit_button(t("workbooks.rename"), type="primary"):
            if errors.attempt(
                lambda: workbooks.rename_workbook(
                    store, current["id"], new_name, current["version"], context.user, currency
                ),
                keep_mine=lambda error: workbooks.rename_workbook(
                    store, current["id"], new_name, error.theirs["version"], context.user, currency
                ),
                success=t("saved"),
            ):
                st.rerun()

with duplicate_tab:
    st.caption(t("workbooks.duplicate_help"))
    with st.form("duplicate_workbook"):
        copy_name = st.text_input(
            t("field.name"),
            value=t("workbooks.copy_name", name=current["name"]),
            key=f"cx_copy_name_{current['id']}",
        )
        if st.form_submit_button(t("workbooks.duplicate"), type="primary"):
            def duplicate():
                copy = workbooks.duplicate_workbook(store, current["id"], copy_name, context.user)
                open_workbook(copy["id"])

            if errors.attempt(duplicate, success=t("workbooks.duplicated")):
                st.rerun()

with exchange_tab:
    st.caption(t("workbooks.exchange_help"))
    st.download_button(
        t("workbooks.export"),
        data=lambda: exchange.to_json(exchange.export_workbook(store, current["id"])),
        file_name=f"{current['name']}.cxw.json",
        mime="application/json",
        icon=":material/download:",
        key="cx_export",
    )
    upload = st.file_uploader(t("workbooks.import"), type=["json"], key=editing.editor_key("cx_workbook_file"))
    if upload is not None and st.button(t("workbooks.import_button"), type="primary", key="cx_import_workbook"):
        def bring_in():
            data = exchange.read_json(upload.getvalue())
            made = exchange.import_workbook(store, data, context.user)
            open_workbook(made["id"])

        if errors.attempt(bring_in, after=lambda: editing.reset_editor("cx_workbook_file"),
                      success=t("workbooks.imported")):
            st.rerun()

with delete_tab:
    st.warning(t("workbooks.delete_warning", name=current["name"]), icon=":material/warning:")
    confirmation = st.text_input(t("workbooks.delete_confirm"), key="cx_delete_confirm")
    if st.button(
        t("workbooks.delete"), type="primary", disabled=confirmation.strip() != current["name"]
    ):
        def delete():
            workbooks.delete_workbook(store, current["id"], current["version"], context.user)
            st.session_state.pop("cx_wb", None)
            del st.query_params["wb"]

        if errors.attempt(delete, success=t("workbooks.deleted")):
            st.rerun()

with history_tab:
    entries = store.history(current["id"], limit=100)
    if not entries:
        st.info(t("workbooks.no_history"))
    else:
        show.table(
            [
                {
                    t("history.when"): context.fmt.datetime(entry["at"]),
                    t("history.who"): author(entry["who"], t),
                    t("history.what"): t(f"history.action.{entry['action']}"),
                    t("history.table"): t(f"history.table.{entry['table_name']}"),
                    t("history.record"): ((entry["after"] or entry["before"] or {}).get("name") or ""),
                    t("history.undone"): "↩" if entry["undone_at"] else "",
                }
                for entry in entries
            ])
        st.caption(t("workbooks.undo_hint"))
