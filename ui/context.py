"""Streamlit glue shared by the frame and the pages: context, guidance, writes, conflicts.

Nothing here computes business results; it only wires ``cxlib`` to widgets.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl
import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from cxlib import charts, demo
from cxlib.formats import Formatter
from cxlib.i18n import Translator, default_language, has
from cxlib.store import (
    ConflictError,
    NotFound,
    Store,
    StoreError,
    ValidationError,
    default_db_path,
)

PAGES_DIR = Path(__file__).resolve().parent / "pages"
STATIC = Path(__file__).resolve().parent / "static"
CONTEXT_KEY = "cx_context"
CONFLICT_KEY = "cx_conflict"
FLASH_KEY = "cx_flash"

STYLE = """
<style>
  .cxw-swimlane { overflow-x: auto; }
  .cxw-swimlane table { border-collapse: collapse; width: 100%; font-size: 0.95rem; }
  .cxw-swimlane th, .cxw-swimlane td { border: 1px solid rgba(128,128,128,.35);
      padding: .45rem .6rem; vertical-align: top; min-width: 9rem; text-align: start; }
  .cxw-swimlane thead th { background: rgba(0,114,178,.12); }
  .cxw-swimlane tbody th { background: rgba(128,128,128,.08); white-space: nowrap; }
  .cxw-swimlane td.emotion-2 { background: rgba(0,158,115,.30); }
  .cxw-swimlane td.emotion-1 { background: rgba(0,158,115,.15); }
  .cxw-swimlane td.emotion--1 { background: rgba(213,94,0,.15); }
  .cxw-swimlane td.emotion--2 { background: rgba(213,94,0,.30); }
  .cxw-avatar { display:inline-flex; align-items:center; justify-content:center; width:3.2rem;
      height:3.2rem; border-radius:50%; background:#0072B2; color:white; font-weight:700;
      font-size:1.25rem; }
</style>
"""

# Streamlit has no right-to-left mode: mirror the layout (the sidebar moves to the right,
# text and headings start on the right). Grid containers, code and charts keep a left-to-right
# box: the grids still lay their columns out from the right by themselves, and the charts
# that have a reading order (the emotion curve) are mirrored by their builder.
RIGHT_TO_LEFT_STYLE = """
<style>
  .stApp, [data-testid="stSidebar"], [data-testid="stMain"], [data-testid="stHeader"],
  [data-baseweb="popover"], [data-testid="stToast"] { direction: rtl; }
  [data-testid="stDataFrame"], [data-testid="stTable"], .stCode, pre, code,
  [data-testid="stVegaLiteChart"], [data-testid="stArrowVegaLiteChart"],
  [data-testid="stDataFrameResizable"] { direction: ltr; }
  [data-testid="stSidebarCollapseButton"] svg, [data-testid="stExpandSidebarButton"] svg { transform: scaleX(-1); }
  .cxw-swimlane table { direction: rtl; }
  .stApp h1, .stApp h2, .stApp h3, .stApp h4, .stApp h5, .stApp h6 { text-align: start !important; }
</style>
"""

# Streamlit writes a few words of its own in English. Outside English: the upload button
# gets the language's word; the size-limit line, the "Press Enter to apply" hints and the
# "Running..." label go (the running icon stays).
STREAMLIT_WORDS_STYLE = """
<style>
  [data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p { display: none; }
  [data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"]::after { content: "UPLOAD"; }
  [data-testid="stFileUploaderDropzoneInstructions"], [data-testid="InputInstructions"],
  [data-testid="stStatusWidget"] label { display: none; }
</style>
"""


@dataclass
class Context:
    """What every page needs: the store, the open workbook, the language and the user."""

    store: Store
    workbook: dict[str, Any]
    t: Translator
    user: str
    fmt: Formatter = field(default_factory=Formatter)

    @property
    def workbook_id(self) -> int:
        return self.workbook["id"]


def get_store() -> Store:
    """The Store of the configured database file (``CXW_DB`` or the default)."""
    return _open_store(str(default_db_path()))


@st.cache_resource
def _open_store(path: str) -> Store:
    """One Store per database file and server process (one connection per thread inside)."""
    store = Store(path)
    demo.ensure_demo(store, default_language())
    return store


def ctx() -> Context:
    """The context the frame (app.py) prepared for this run.

    Until the frame has called ``st.navigation`` once in this server process, Streamlit
    serves files in ``pages/`` on its own (its older multipage mode), so the first visit
    after a restart straight to a step's address would run the page without the frame.
    Then the page switches that mode off and reruns through the frame.
    """
    context = st.session_state.get(CONTEXT_KEY)
    if context is not None:
        return context
    if st.session_state.get("cx_frame_retry"):
        raise RuntimeError("pages run inside the app frame: start the app with app.py")
    st.session_state["cx_frame_retry"] = True
    PagesManager.uses_pages_directory = False
    st.rerun()


def set_context(context: Context) -> None:
    st.session_state[CONTEXT_KEY] = context
    st.session_state.pop("cx_frame_retry", None)


def clear_context() -> None:
    """Called by the frame after the page ran, so no page can use a stale context."""
    st.session_state.pop(CONTEXT_KEY, None)


def data_version() -> int:
    """The open workbook's data version: bumped by every write, so a cache key for
    anything derived from its data."""
    context = ctx()
    return context.store.get("workbooks", context.workbook_id)["data_version"]


def page_path(stem: str) -> Path:
    """The file of a page, absolute so links work whatever script started the app."""
    return PAGES_DIR / f"{stem}.py"


# -- messages ---------------------------------------------------------------------------


def flash(message: str) -> None:
    """A success message shown once, after the rerun that follows a save."""
    st.session_state[FLASH_KEY] = message


def show_flash() -> None:
    message = st.session_state.pop(FLASH_KEY, None)
    if message:
        st.toast(message, icon=":material/check_circle:")


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
    return t("error.store", message=str(error))


# -- writes and conflicts ---------------------------------------------------------------


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


# -- small widgets ----------------------------------------------------------------------


def step_rule(step: str, done: bool, **numbers: Any) -> None:
    """The step's completion rule, ticked when the workbook meets it."""
    icon = ":material/check_circle:" if done else ":material/radio_button_unchecked:"
    st.caption(f"{icon} {ctx().t(f'step.{step}.rule', **numbers)}")


def guidance(step: str) -> None:
    """The "why this step" panel, drawn from the source articles."""
    t = ctx().t
    with st.expander(t("guidance.why"), expanded=False, icon=":material/lightbulb:"):
        st.markdown(t(f"step.{step}.why"))


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


def _native_digit_grid(frame: Any, column_config: dict[str, Any]) -> tuple[Any, dict[str, Any], list[str]]:
    """For a language with its own digits (Persian), number columns become text columns
    written in those digits, so numbers can be typed in them too (the grid's number cells
    take only 0–9). Returns the frame, the column config and the columns changed."""
    fmt = ctx().fmt
    numeric = [name for name, config in column_config.items()
               if isinstance(config, dict) and (config.get("type_config") or {}).get("type") == "number"]
    if fmt.numerals == "0123456789" or not numeric or not isinstance(frame, pl.DataFrame):
        return frame, column_config, []

    frame = frame.with_columns(
        pl.col(c).map_elements(lambda v: fmt.shortest(v, most=4), return_dtype=pl.String).fill_null("")
        for c in numeric
    )
    config = dict(column_config)
    for name in numeric:
        old = column_config[name]
        config[name] = st.column_config.TextColumn(old.get("label"), width=old.get("width"), help=old.get("help"),
                                                   required=old.get("required"), disabled=old.get("disabled"))
    return frame, config, numeric


def _numbers_back(row: dict[str, Any], numeric: list[str]) -> dict[str, Any]:
    """Typed text in number columns back to numbers (text that is not a number is left as
    it is, for the store to refuse naming the row and field)."""
    row = dict(row)
    for name in numeric:
        if isinstance(row.get(name), str):
            try:
                value = ctx().fmt.parse_number(row[name])
            except ValueError:
                continue
            row[name] = int(value) if value is not None and value.is_integer() else value
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
    frame, column_config, numeric = _native_digit_grid(frame, column_config)
    st.data_editor(frame, key=key, hide_index=True, width="stretch", column_config=column_config,
                   disabled=disabled or False)
    edited = {row: _numbers_back(cells, numeric) for row, cells in editor_edits(key)["edited_rows"].items()}
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
    frame, column_config, numeric = _native_digit_grid(frame, column_config)
    st.data_editor(
        frame, key=key, num_rows="dynamic", hide_index=True, width="stretch",
        column_order=column_order, column_config=column_config,
    )
    edits = editor_edits(key)
    if numeric:
        edits = {"edited_rows": {row: _numbers_back(cells, numeric) for row, cells in edits["edited_rows"].items()},
                 "added_rows": [_numbers_back(row, numeric) for row in edits["added_rows"]],
                 "deleted_rows": edits["deleted_rows"]}
    if has_edits(edits) and st.button(ctx().t("save_changes"), type="primary", key=f"{name}_save"):
        if attempt(
            lambda: save(edits, None),
            keep_mine=lambda error: save(edits, {error.record_id: error.theirs["version"]}),
            after=lambda: reset_editor(name),
            success=ctx().t("saved"),
        ):
            st.rerun()


# -- numbers and dates in the user's language -------------------------------------------


def number_field(
    label: str,
    value: float | None,
    *,
    key: str,
    minimum: float | None = None,
    maximum: float | None = None,
    decimals: int = 0,
    help: str | None = None,
    where: Any = st,
    in_form: bool = False,
) -> Any:
    """A number typed the user's way: Persian or Arabic-Indic digits, the locale's
    separators or plain ``1234.5`` (``st.number_input`` accepts only 0–9 and ``.``).

    Returns an int when ``decimals`` is 0. Text that is not a number, or a number out of
    range, is named under the field and the last good value is used meanwhile. In a form
    (``in_form``) the store checks the value when it is saved: text that is not a number
    is returned as it is, so the save is refused naming the field.
    """
    context = ctx()
    fmt, t = context.fmt, context.t
    read, number = _typed_field(label, "" if value is None else fmt.number(value, decimals), fmt.parse_number,
                                "error.not_a_number", key=key, where=where, in_form=in_form, help=help,
                                fallback=value)
    if not read or number is None:
        return number
    outside = (minimum is not None and number < minimum) or (maximum is not None and number > maximum)
    if outside and not in_form:
        where.error(t("error.number_range", low=fmt.number(minimum, decimals) if minimum is not None else "−∞",
                      high=fmt.number(maximum, decimals) if maximum is not None else "∞"),
                    icon=":material/error:")
        return st.session_state.get(f"{key}__last", value)
    number = round(number) if decimals == 0 else number
    st.session_state[f"{key}__last"] = number
    return number


def date_field(label: str, value: Any, *, key: str, where: Any = st, in_form: bool = False) -> Any:
    """A date typed as year-month-day in any digits; in the Solar Hijri calendar when the
    user chose it (a year before 1700 is always read as Solar Hijri). Unreadable text is
    named under the field (in a form: returned, for the store to refuse)."""
    fmt = ctx().fmt
    read, day = _typed_field(label, fmt.input_date(value), fmt.parse_date, "error.not_a_date", key=key,
                             where=where, in_form=in_form,
                             help=ctx().t("field.date_help", example=fmt.input_date(value)), fallback=value)
    if read:
        st.session_state[f"{key}__last"] = day
    return day


def _typed_field(label: str, initial: str, parse: Callable[[str], Any], error_key: str, *, key: str,
                 where: Any, in_form: bool, help: str | None, fallback: Any) -> tuple[bool, Any]:
    """A text field read back by ``parse``: (True, value), or (False, what to use instead)
    when the text cannot be read: in a form the text itself (the store refuses it, naming
    the field), elsewhere the last good value, with the problem named under the field."""
    if key not in st.session_state:
        st.session_state[key] = initial
    text = where.text_input(label, key=key, help=help)
    try:
        return True, parse(text)
    except ValueError:
        if in_form:
            return False, text
        where.error(ctx().t(error_key, text=text), icon=":material/error:")
        return False, st.session_state.get(f"{key}__last", fallback)


def chart(figure: Any, where: Any = st) -> None:
    """Draw an altair chart with the language's digits, separators and month names
    (see :func:`cxlib.charts.localised`)."""
    context = ctx()
    where.altair_chart(charts.localised(figure, context.fmt, context.t.direction == "rtl"), width="stretch")


def arrow(forward: bool = True) -> str:
    """A next/previous arrow icon pointing the way the language reads."""
    right_to_left = ctx().t.direction == "rtl"
    return ":material/arrow_forward:" if forward != right_to_left else ":material/arrow_back:"


def table(data: Any) -> None:
    """A read-only table; in a language with its own digits (Persian) numbers are written
    in them, with the locale's separators."""
    fmt = ctx().fmt
    if fmt.numerals != "0123456789":
        frame = data if isinstance(data, pl.DataFrame) else pl.DataFrame(data)
        data = frame.with_columns(
            pl.col(name).map_elements(lambda v, whole=dtype.is_integer(): fmt.number(v, 0 if whole else 2),
                                      return_dtype=pl.String).fill_null("")
            for name, dtype in frame.schema.items() if dtype.is_numeric()
        )
    st.dataframe(data, hide_index=True, width="stretch")
