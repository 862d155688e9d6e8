"""Store errors and edit conflicts turned into messages and panels the user can act on."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from typing import Any

import streamlit as st

from cxlib.l10n.i18n import has
from cxlib.report.inert import markdown_text
from cxlib.storage.store import (ConflictError, Forbidden, main_row, NotFound, record_label, Store,
                                 StoreError, UndoBlocked, ValidationError)
from ui.context import author, ctx, flash

LOG = logging.getLogger("cxw")
CONFLICT_KEY = "cx_conflict"
UNDO_KEY = "cx_undo_outcome"

# What-if inputs are named differently in the catalogue than in the calculators.
FIELD_ALIASES = {"gross_margin": "whatif.margin", "average_order_value": "whatif.aov",
                 "purchases_per_year": "whatif.frequency", "lifespan_years": "whatif.lifespan",
                 "conversion_rate": "whatif.conversion", "months": "whatif.horizon_months"}


def field_label(field: str) -> str:
    """A field's name in the user's language (a stage name, which is data, stays as it is)."""
    t = ctx().t
    if field in FIELD_ALIASES:
        return t(FIELD_ALIASES[field])
    for key in (f"field.{field}", f"factor.{field}", f"whatif.{field}", f"feedback.role.{field}"):
        if field and has(key):
            return t(key)
    return field


def describe_error(error: StoreError) -> str:
    """A translated sentence for a store error, naming the field (and grid row)."""
    t = ctx().t
    if isinstance(error, UndoBlocked):
        return describe_undo_blocked(error)
    if isinstance(error, ValidationError):
        field = error.field or ""
        label = field_label(field)
        rule = error.details.get("rule", "invalid")
        text = t(f"error.rule.{rule}", field=label, name=markdown_text(error.details.get("name", "")),
                 max=error.details.get("max", ""))
        if "row" in error.details:
            text = t("error.in_row", row=error.details["row"], message=text)
        return text
    if isinstance(error, NotFound):
        return t("error.not_found")
    if isinstance(error, Forbidden):
        return t("error.forbidden")
    return t("error.store", message=markdown_text(str(error)))


def attempt(
    write: Callable[[], Any],
    keep_mine: Callable[[ConflictError], Any] | None = None,
    after: Callable[[], None] | None = None,
    success: str | None = None,
) -> bool:
    """Run a write; on success call ``after`` and flash ``success``.

    A conflict is parked in the session and the page reruns to show :func:`conflict_panel`
    with the choice "keep mine" (``keep_mine(error)`` rewrites on top of their version) or
    "take theirs" (``after`` runs, resetting the form to the saved version).
    A validation error is shown at once. Returns True when the write went through.
    """
    try:
        write()
    except ConflictError as error:
        st.session_state[CONFLICT_KEY] = {"error": error, "keep_mine": keep_mine, "after": after}
        st.rerun()  # the frame draws the conflict panel at the top of the page
    except StoreError as error:
        st.error(describe_error(error), icon=":material/warning:")
        return False
    if after:
        after()
    if success:
        flash(success)
    return True


def conflict_panel() -> None:
    """If a save hit a conflict, show both versions and let the user choose."""
    pending = st.session_state.get(CONFLICT_KEY)
    if not pending:
        return
    t = ctx().t
    error: ConflictError = pending["error"]
    with st.container(border=True):
        st.error(t("conflict.title"), icon=":material/warning:")
        if error.theirs is None:
            st.write(t("conflict.deleted"))
        else:
            st.write(
                t(
                    "conflict.explain",
                    who=markdown_text(author(error.theirs.get("updated_by"), t)),
                    at=ctx().fmt.datetime(error.theirs.get("updated_at")),
                )
            )
        fields = sorted(
            k
            for k in set(error.mine) | set(error.theirs or {})
            if k not in ("id", "workbook_id", "version", "updated_at", "updated_by")
        )
        rows = [
            {
                t("conflict.field"): field_label(k),
                t("conflict.mine"): _show(error.mine.get(k, "")),
                t("conflict.theirs"): _show((error.theirs or {}).get(k, "")),
            }
            for k in fields
            if _show(error.mine.get(k, "")) != _show((error.theirs or {}).get(k, ""))
        ]
        if rows:
            st.table(rows)
        keep, take = st.columns(2)
        can_keep = pending["keep_mine"] is not None and error.theirs is not None
        if keep.button(t("conflict.keep_mine"), disabled=not can_keep, type="primary"):
            del st.session_state[CONFLICT_KEY]
            attempt(lambda: pending["keep_mine"](error), pending["keep_mine"], pending["after"],
                    t("saved"))
            st.rerun()
        if take.button(t("conflict.take_theirs")):
            del st.session_state[CONFLICT_KEY]
            if pending["after"]:
                pending["after"]()
            st.rerun()


def _show(value: Any) -> str:
    if isinstance(value, list):
        return ctx().fmt.join(map(str, value))
    return "" if value is None else str(value)


def describe_undo_blocked(error: UndoBlocked) -> str:
    """Why an undo was refused, naming who changed what and when."""
    context = ctx()
    t, details = context.t, error.details
    table = details.get("table")
    return t(
        f"undo.blocked.{error.reason}",
        who=markdown_text(details.get("who") or "?"),
        at=context.fmt.datetime(details.get("at")) if details.get("at") else "",
        what=t(f"history.action.{details['action']}") if details.get("action") else "",
        table=t(f"history.table.{table}") if table and has(f"history.table.{table}") else (table or ""),
        record=markdown_text((details.get("record") or "")[:80]),
    )


def undo(store: Store, workbook_id: int, change_id: str, who: Any) -> None:
    """Button callback: undo exactly the change ``change_id`` (bound when the button was
    drawn, so a newer change by someone else is never what it reverts). The outcome is
    shown by :func:`undo_outcome` in the run that follows."""
    try:
        st.session_state[UNDO_KEY] = {"rows": store.undo_change(workbook_id, change_id, who)}
    except StoreError as error:
        st.session_state[UNDO_KEY] = {"error": error}


def undo_outcome() -> None:
    """After an undo click: a toast naming what was undone, or why nothing was."""
    outcome = st.session_state.pop(UNDO_KEY, None)
    if not outcome:
        return
    t = ctx().t
    if "rows" in outcome:
        row = main_row(outcome["rows"])
        st.toast(t("frame.undone_named", what=t(f"history.action.{row['action']}"),
                   table=t(f"history.table.{row['table_name']}"), who=markdown_text(row["who"])),
                 icon=":material/undo:")
        return
    error = outcome["error"]
    if isinstance(error, ConflictError):
        text = t("undo.blocked.conflict", who=markdown_text((error.theirs or {}).get("updated_by") or "?"))
    else:
        text = describe_error(error)
    st.error(text, icon=":material/block:")


def change_label(entry: dict[str, Any]) -> str:
    """One change of the history in words: when, who, what, which record."""
    context = ctx()
    t, row = context.t, entry["main"]
    record = record_label(row)
    what = t("history.action." + row["action"]) + " " + t("history.table." + row["table_name"])
    return " · ".join(part for part in (
        context.fmt.datetime(entry["at"]), entry["who"], what,
        record[:60] + ("…" if len(record) > 60 else ""),
    ) if part)


def guarded(run: Callable[[], Any]) -> None:
    """Run a page; an unexpected error becomes a short translated message with an error
    id, and the traceback goes to the server log under that id, never to the user (no
    server paths or source lines; ``client.showErrorDetails`` is off as well).

    A write the access policy refused (:class:`Forbidden`) says so in words. Streamlit's
    own rerun and stop signals are not errors and pass through.
    """
    try:
        run()
    except Forbidden:
        # A button a viewer should not have had: the store refused, nothing was written.
        st.error(ctx().t("error.forbidden"), icon=":material/lock:")
    except Exception:
        error_id = uuid.uuid4().hex[:8]
        LOG.exception("unexpected error %s", error_id)
        st.error(ctx().t("error.unexpected", id=error_id), icon=":material/error:")
