"""Workbooks: create, rename, duplicate, delete (with confirmation), switch; history and undo;
sharing (owners) and people's accounts (instance admins).

Tabs a person may not use are not shown; the store refuses the write anyway.
"""

import streamlit as st

from cxlib.access import accounts, roles
from cxlib.demo import build as demo
from cxlib.ingest import exchange
from cxlib.report.inert import markdown_text
from cxlib.storage import workbooks
from cxlib.storage.store import record_label
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
for workbook in roles.visible_workbooks(store, context.user):
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

TABS = {"create": True, "rename": context.can("rename"), "duplicate": True, "exchange": True,
        "delete": context.can("delete"), "history": True, "sharing": context.can("share") and context.user.kind == "user",
        "people": store.allowed(context.user, "admin", None) and context.user.kind == "user"}
shown = [name for name, visible in TABS.items() if visible]
tabs = dict(zip(shown, st.tabs([t(f"workbooks.{name}") for name in shown])))

with tabs["create"]:
    with st.form("create_workbook", clear_on_submit=True):
        name = st.text_input(t("field.name"), key="cx_new_wb_name")
        description = st.text_area(t("field.description"))
        start_from_demo = st.checkbox(t("workbooks.start_from_demo"))
        if st.form_submit_button(t("workbooks.create"), type="primary"):
            def create():
                if start_from_demo:
                    made = demo.create_demo(store, t.language, name=name.strip() or None, who=context.user)
                else:
                    made = workbooks.create_workbook(store, name, context.user, description, t.language)
                open_workbook(made["id"])

            if errors.attempt(create, success=t("workbooks.created")):
                st.rerun()

if "rename" in tabs:
    with tabs["rename"]:
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

with tabs["duplicate"]:
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

with tabs["exchange"]:
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

if "delete" in tabs:
    with tabs["delete"]:
        st.warning(t("workbooks.delete_warning", name=markdown_text(current["name"])), icon=":material/warning:")
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

with tabs["history"]:
    changes = store.changes(current["id"], limit=100)
    if not changes:
        st.info(t("workbooks.no_history"))
    else:
        show.table(
            [
                {
                    t("history.when"): context.fmt.datetime(entry["at"]),
                    t("history.who"): author(entry["who"], t),
                    t("history.what"): t(f"history.action.{entry['main']['action']}"),
                    t("history.table"): t(f"history.table.{entry['main']['table_name']}"),
                    t("history.record"): record_label(entry["main"])[:80],
                    t("history.undone"): "↩" if entry["undone_at"] else "",
                }
                for entry in changes
            ])
        undoable = {entry["change_id"]: errors.change_label(entry) for entry in changes if entry["undoable"]}
        if undoable and context.can("edit"):
            st.caption(t("workbooks.undo_named_hint"))
            picked = st.selectbox(t("workbooks.undo_pick"), list(undoable), key="cx_history_pick",
                                  format_func=undoable.get)
            st.button(t("workbooks.undo_button"), icon=":material/undo:", key=f"cx_history_undo_{picked}",
                      on_click=errors.undo, args=(store, current["id"], picked, context.user))

if "sharing" in tabs:
    with tabs["sharing"]:
        st.caption(t("sharing.intro"))
        people = {a["id"]: a for a in accounts.list_accounts(store) if not a["disabled"]}

        def who_is(principal: str) -> str:
            if principal == roles.EVERYONE:
                return t("sharing.everyone")
            account = people.get(int(principal.split(":", 1)[1])) if principal.startswith("user:") else None
            return f"{account['name']} ({account['login']})" if account else t("sharing.former")

        show.table([{t("sharing.col.who"): who_is(g["principal"]), t("sharing.col.role"): t(f"sharing.role.{g['role']}")}
                    for g in roles.grants(store, current["id"])])
        with st.form("cx_share"):
            choices = [roles.EVERYONE, *(f"user:{i}" for i in people if i != context.user.account_id)]
            principal = st.selectbox(t("sharing.with"), choices, format_func=who_is, key="cx_share_with")
            role = st.selectbox(t("sharing.col.role"), ["viewer", "editor", None], key="cx_share_role",
                                format_func=lambda r: t(f"sharing.role.{r}") if r else t("sharing.no_access"))
            if st.form_submit_button(t("sharing.save"), type="primary"):
                if errors.attempt(lambda: roles.share(store, current["id"], principal, role, context.user),
                                  success=t("saved")):
                    st.rerun()
        st.subheader(t("sharing.transfer"))
        others = [i for i in people if i != context.user.account_id]
        if others:
            new_owner = st.selectbox(t("sharing.transfer_to"), others, key="cx_new_owner",
                                     format_func=lambda i: who_is(f"user:{i}"))
            st.caption(t("sharing.transfer_help"))
            if st.button(t("sharing.transfer"), key="cx_transfer"):
                if errors.attempt(lambda: roles.transfer_ownership(store, current["id"], new_owner, context.user),
                                  success=t("sharing.transferred")):
                    st.rerun()

if "people" in tabs:
    with tabs["people"]:
        st.caption(t("people.intro"))
        everyone = accounts.list_accounts(store)
        show.table([{t("people.col.name"): a["name"], t("people.col.login"): a["login"],
                     t("people.col.source"): t(f"people.source.{a['source']}"),
                     t("people.col.admin"): "●" if a["is_admin"] else "",
                     t("people.col.disabled"): "●" if a["disabled"] else ""} for a in everyone])
        with st.form("cx_new_account", clear_on_submit=True):
            login = st.text_input(t("field.login"), max_chars=accounts.MAX_LOGIN)
            name = st.text_input(t("field.name"), max_chars=200)
            password = st.text_input(t("field.password"), type="password")
            admin = st.checkbox(t("people.admin"))
            if st.form_submit_button(t("people.create"), type="primary"):
                if errors.attempt(lambda: accounts.create_account(store, login, name, password, context.user, admin),
                                  success=t("people.created")):
                    st.rerun()
        by_id = {a["id"]: a for a in everyone if a["id"] != context.user.account_id}
        if by_id:
            person = st.selectbox(t("people.person"), list(by_id), key="cx_person",
                                  format_func=lambda i: f"{by_id[i]['name']} ({by_id[i]['login']})")
            chosen = by_id[person]
            label = t("people.enable") if chosen["disabled"] else t("people.disable")
            if st.button(label, key="cx_toggle_person"):
                if errors.attempt(lambda: accounts.update_account(store, person, chosen["version"], context.user,
                                                                  disabled=not chosen["disabled"]),
                                  success=t("saved")):
                    st.rerun()
            if chosen["source"] == "builtin":
                with st.form("cx_reset_password", clear_on_submit=True):
                    new_password = st.text_input(t("people.new_password"), type="password")
                    if st.form_submit_button(t("people.set_password")):
                        if errors.attempt(lambda: accounts.update_account(store, person, chosen["version"],
                                                                          context.user, password=new_password),
                                          success=t("saved")):
                            st.rerun()
