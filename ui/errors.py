"""Store errors and edit conflicts turned into messages and panels the user can act on."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from cxlib.l10n.i18n import has
from cxlib.storage.store import ConflictError, Forbidden, NotFound, StoreError, ValidationError
from ui.context import ctx, flash

CONFLICT_KEY = "cx_conflict"

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
    if isinstance(error, ValidationError):
        field = error.field or ""
        label = field_label(field)
        rule = error.details.get("rule", "invalid")
        text = t(f"error.rule.{rule}", field=label, name=error.details.get("name", ""))
        if "row" in error.details:
            text = t("error.in_row", row=error.details["row"], message=text)
        return text
    if isinstance(error, NotFound):
        return t("error.not_found")
    if isinstance(error, Forbidden):
        return t("error.forbidden")
    return t("error.store", message=str(error))


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
                    who=error.theirs.get("updated_by") or "?",
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
        return ", ".join(map(str, value))
    return "" if value is None else str(value)
