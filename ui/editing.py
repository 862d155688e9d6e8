"""Edit sessions for forms and grid editors, with save, conflict and unsaved-edit handling."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import polars as pl
import streamlit as st

from cxlib.l10n.formats import EMPTY, written_column
from ui.context import ctx
from ui.errors import attempt
from ui.show import arrow


def choose_next(key: str, value: Any) -> None:
    """Make widget ``key`` show ``value`` on the next run (``None``: its default).

    A widget's value cannot be changed once it is drawn in this run; call
    :func:`apply_choice` before drawing it.
    """
    st.session_state[f"{key}__next"] = value


def apply_choice(key: str) -> None:
    if f"{key}__next" in st.session_state:
        value = st.session_state.pop(f"{key}__next")
        if value is None:
            st.session_state.pop(key, None)
        else:
            st.session_state[key] = value


def editor_key(name: str) -> str:
    """A data-editor key that :func:`reset_editor` can renew (dropping unsaved edits)."""
    generation = st.session_state.get(f"cx_gen_{name}", 0)
    return f"{name}_{generation}"


def reset_editor(name: str) -> None:
    st.session_state[f"cx_gen_{name}"] = st.session_state.get(f"cx_gen_{name}", 0) + 1
    unsaved().pop(name, None)


# -- edits nobody saved -------------------------------------------------------------------
# Streamlit forgets a grid's edits once its page is left. Every run that shows pending edits
# keeps a copy here (with the page they belong to), so leaving the page loses nothing: other
# pages say so, and coming back offers to save or discard them.
UNSAVED_KEY = "cx_unsaved"


def unsaved() -> dict[str, dict[str, Any]]:
    """Pending grid edits by grid name: ``{"edits", "page", "workbook_id"}``."""
    return st.session_state.setdefault(UNSAVED_KEY, {})


def _keep_unsaved(name: str, fresh: bool, edits: dict[str, Any], write: Callable[[dict[str, Any]], Any]) -> None:
    """Remember pending edits; on a grid drawn afresh, offer the ones left behind."""
    context = ctx()
    kept = unsaved()
    if has_edits(edits):
        kept[name] = {"edits": edits, "page": context.page, "workbook_id": context.workbook_id}
        return
    left = kept.get(name)
    if not left or left["workbook_id"] != context.workbook_id:
        return
    if not fresh and not left.get("offered"):  # the user undid their own edits in the grid
        kept.pop(name, None)
        return
    left["offered"] = True  # until saved or discarded, whatever reruns in between
    t = context.t
    with st.container(border=True):
        st.warning(t("editing.left_unsaved", changes=_count(left["edits"])), icon=":material/edit_note:")
        keep, drop = st.columns(2)
        if keep.button(t("editing.save_left"), type="primary", key=f"{name}_save_left", width="stretch"):
            if attempt(lambda: write(left["edits"]), after=lambda: kept.pop(name, None), success=t("saved")):
                st.rerun()
        if drop.button(t("editing.discard_left"), key=f"{name}_discard_left", width="stretch"):
            kept.pop(name, None)
            st.rerun()


def _count(edits: dict[str, Any]) -> int:
    return len(edits["edited_rows"]) + len(edits["added_rows"]) + len(edits["deleted_rows"])


def unsaved_elsewhere() -> list[tuple[str, int]]:
    """Pages of the open workbook that hold edits left unsaved: (page stem, changes)."""
    context = ctx()
    found: dict[str, int] = {}
    for entry in unsaved().values():
        if entry["workbook_id"] == context.workbook_id and entry["page"] != context.page:
            found[entry["page"]] = found.get(entry["page"], 0) + _count(entry["edits"])
    return list(found.items())


def editor_edits(key: str) -> dict[str, Any]:
    state = st.session_state.get(key) or {}
    return {
        "edited_rows": state.get("edited_rows", {}),
        "added_rows": state.get("added_rows", []),
        "deleted_rows": state.get("deleted_rows", []),
    }


def has_edits(edits: dict[str, Any]) -> bool:
    return bool(edits["edited_rows"] or edits["added_rows"] or edits["deleted_rows"])


@dataclass
class EditSession:
    """One round of editing a record in a form.

    ``form`` prefixes the form and its widget keys, so typed values survive reruns (and
    someone else's save) until :meth:`finish` starts a fresh round from the stored record.
    ``base_version`` is the version the round started from: saving with it turns an edit
    made on top of an outdated record into a conflict.
    """

    name: str
    form: str
    base_version: int | None

    def finish(self) -> None:
        reset_editor(self.name)

    def save(self, write: Callable[[int | None], Any]) -> bool:
        """Run ``write(version)`` from the version this round started at; after a conflict,
        "keep mine" runs it again on top of the saved version. True when it went through."""
        return attempt(
            lambda: write(self.base_version),
            keep_mine=lambda error: write(error.theirs["version"]),
            after=self.finish,
            success=ctx().t("saved"),
        )


def edit_session(name: str, version: int | None) -> EditSession:
    form = editor_key(name)
    base_key = f"{form}_base"
    if version is not None:
        st.session_state.setdefault(base_key, version)
    return EditSession(name, form, st.session_state.get(base_key))


def _typed_number_grid(frame: Any, column_config: dict[str, Any]) -> tuple[Any, dict[str, Any], list[str]]:
    """Number columns become text columns written the language's way (``12,5`` in Polish
    and Armenian, ``۱۲٫۵`` in Persian), read back by :func:`_numbers_back`.

    The grid's own number cells read what is typed by the *browser's* locale and drop
    what they do not know: ``12,5`` typed in a Polish workbook on an English browser
    became ``125``. Text cells hand the app exactly what was typed, so the app's parser
    (the language's separators, native digits, plain ``12.5``) reads it or the save is
    refused naming the row and column. Returns the frame, the column config and the
    columns changed.
    """
    fmt = ctx().fmt
    numeric = [name for name, config in column_config.items()
               if isinstance(config, dict) and (config.get("type_config") or {}).get("type") == "number"]
    if not numeric or not isinstance(frame, pl.DataFrame):
        return frame, column_config, []

    def written(name: str):
        places = _format_decimals(column_config[name])
        if places is None:
            return lambda v: fmt.shortest(v, most=4)
        return lambda v: fmt.number(v, places)

    frame = frame.with_columns(written_column(frame[c], written(c), "") for c in numeric if c in frame.columns)
    config = dict(column_config)
    for name in numeric:
        old = column_config[name]
        config[name] = st.column_config.TextColumn(old.get("label"), width=old.get("width"), help=old.get("help"),
                                                   required=old.get("required"), disabled=old.get("disabled"),
                                                   alignment="right")
    return frame, config, numeric


def _format_decimals(config: dict[str, Any]) -> int | None:
    """The decimals a number column's printf format shows (``%.2f`` → 2, ``%d`` → 0);
    None when it has no such format (then a value shows the decimals it carries)."""
    found = re.fullmatch(r"%(?:\.(\d+))?([df])", (config.get("type_config") or {}).get("format") or "")
    if not found:
        return None
    return 0 if found.group(2) == "d" else int(found.group(1) or 6)


def read_typed_number(text: str) -> float | int | str | None:
    """A number typed in a grid cell, the language's way; an int when it is whole, None
    for an empty cell, and the text itself when it is not a number (the save is then
    refused naming the row and column, never guessed)."""
    try:
        value = ctx().fmt.parse_number(text)
    except ValueError:
        return text
    if value is None:
        return None
    return int(value) if value.is_integer() else value


def _numbers_back(row: dict[str, Any], numeric: list[str]) -> dict[str, Any]:
    """Typed text in number columns back to numbers (see :func:`read_typed_number`)."""
    row = dict(row)
    for name in numeric:
        if isinstance(row.get(name), str):
            row[name] = read_typed_number(row[name])
    return row


def cell_editor(
    name: str,
    frame: Any,
    column_config: dict[str, Any],
    save: Callable[[dict[Any, Any], dict[int, int] | None], Any],
    disabled: list[str] | None = None,
) -> None:
    """A grid whose rows are fixed (cells edited, no rows added or deleted) and a save
    button; ``save(edited_rows, forced_versions)`` writes them, "keep mine" retries it."""
    key = editor_key(name)
    fresh = key not in st.session_state
    frame, column_config, numeric = _typed_number_grid(frame, column_config)
    st.data_editor(frame, key=key, hide_index=True, width="stretch", column_config=column_config,
                   disabled=disabled or False, placeholder=EMPTY)
    edited = {row: _numbers_back(cells, numeric) for row, cells in editor_edits(key)["edited_rows"].items()}
    _keep_unsaved(name, fresh, {"edited_rows": edited, "added_rows": [], "deleted_rows": []},
                  lambda edits: save(edits["edited_rows"], None))
    if edited and st.button(ctx().t("save_changes"), type="primary", key=f"{name}_save"):
        if attempt(
            lambda: save(edited, None),
            keep_mine=lambda error: save(edited, {error.record_id: error.theirs["version"]}),
            after=lambda: reset_editor(name),
            success=ctx().t("saved"),
        ):
            st.rerun()


def grid_editor(
    name: str,
    frame: Any,
    column_order: tuple[str, ...],
    column_config: dict[str, Any],
    save: Callable[[dict[str, Any], dict[int, int] | None], Any],
) -> None:
    """A data editor with a save button that appears once something was edited.

    ``save(edits, forced_versions)`` writes the edits; after a conflict, "keep mine" calls
    it again with the conflicting row's current version.
    """
    key = editor_key(name)
    fresh = key not in st.session_state
    frame, column_config, numeric = _typed_number_grid(frame, column_config)
    st.data_editor(
        frame, key=key, num_rows="dynamic", hide_index=True, width="stretch",
        column_order=column_order, column_config=column_config, placeholder=EMPTY,
    )
    edits = editor_edits(key)
    if numeric:
        edits = {"edited_rows": {row: _numbers_back(cells, numeric) for row, cells in edits["edited_rows"].items()},
                 "added_rows": [_numbers_back(row, numeric) for row in edits["added_rows"]],
                 "deleted_rows": edits["deleted_rows"]}
    _keep_unsaved(name, fresh, edits, lambda pending: save(pending, None))
    if has_edits(edits) and st.button(ctx().t("save_changes"), type="primary", key=f"{name}_save"):
        if attempt(
            lambda: save(edits, None),
            keep_mine=lambda error: save(edits, {error.record_id: error.theirs["version"]}),
            after=lambda: reset_editor(name),
            success=ctx().t("saved"),
        ):
            st.rerun()


# -- capture-first editing: one record at a time -------------------------------------------


def one_at_a_time(
    name: str,
    rows: list[dict[str, Any]],
    label: Callable[[dict[str, Any]], str],
    new_label: str,
    draw_fields: Callable[[str, dict[str, Any]], dict[str, Any]],
    save: Callable[[dict[str, Any], dict[int, int] | None], Any],
    *,
    pick_label: str,
    help_text: str,
    submit_label: str,
    grid: str | None = None,
) -> None:
    """Capture as the room talks: pick one record (or a new one), type its fields, Enter
    saves it and opens the next. ``draw_fields(form, row)`` draws the fields (keys
    prefixed ``form``) and returns their values; ``save(edits, forced_versions)`` takes a
    grid-style edit (``edited_rows`` by position or ``added_rows``), so the records' own
    rules and versions apply; ``grid`` names a table view of the same rows to refresh."""
    new = -1
    picks = list(range(len(rows))) + [new]
    pick_key = f"{name}_pick"
    apply_choice(pick_key)
    if st.session_state.get(pick_key) not in picks:
        st.session_state.pop(pick_key, None)
    index = st.pills(pick_label, picks, default=0 if rows else new, key=pick_key,
                     format_func=lambda i: new_label if i == new else label(rows[i]))
    index = new if index is None else index
    row = rows[index] if index != new else {}
    form = f"{name}_{row.get('id', 'new')}_{row.get('version', 0)}"
    with st.form(form, enter_to_submit=True, border=True):
        st.caption(help_text)
        values = draw_fields(form, row)
        if st.form_submit_button(submit_label, type="primary", icon=arrow()):
            edits = {"edited_rows": {index: values}} if row else {"added_rows": [values]}

            def next_record() -> None:
                choose_next(pick_key, index + 1 if index != new and index + 1 < len(rows) else new)
                if grid:
                    reset_editor(grid)

            if attempt(lambda: save(edits, None),
                       keep_mine=lambda error: save(edits, {error.record_id: error.theirs["version"]}),
                       after=next_record, success=ctx().t("saved")):
                st.rerun()

