"""The upload panel every import page uses: file → how it was read → column mapping →
preview of the rows as they will be stored → (the page's) write, all through
:mod:`cxlib.ingest.pipeline`.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import streamlit as st

from cxlib.ingest import decoding, pipeline
from cxlib.ingest.importers import Table
from cxlib.ingest.parsing import FileError
from cxlib.ingest.pipeline import Reading, Spec, StreamedReading
from cxlib.l10n import i18n
from ui import editing, errors, fields, show
from ui.context import ctx


@dataclass
class Draft:
    """A file read and mapped, waiting for the page to write it (or use it)."""

    name: str
    table: Table
    reading: Reading | StreamedReading
    choices: dict[str, Any]  # mapping and date orders, remembered with the import
    kind: str
    origin: Any = None  # the upload and every choice it was read with: a key for what is worked out from it

    def remember(self, change: Any) -> None:
        """Keep this mapping for the next file of the same shape (inside the import's change)."""
        pipeline.remember(change, ctx().workbook_id, self.kind, self.table, self.choices)


# Characters that start Markdown or Streamlit formatting: emphasis, code, links and
# ":color[...]" directives (through the brackets), HTML, tables, headings, LaTeX.
_MARKDOWN = re.compile(r"([\\`*_\[\]<>|#~$])")


def inert(text: str, limit: int = 200) -> str:
    """Text from a file (column names, cells) made safe to show in Markdown: the
    characters that start formatting escaped, lines joined, long text cut."""
    text = " ".join(str(text).split())
    text = text if len(text) <= limit else text[: limit - 1] + "…"
    return _MARKDOWN.sub(r"\\\1", text)


def role_label(role: str) -> str:
    """The name of a role a column can play: its import label, else the form's field label
    (a persona's goals are labelled as on the persona form)."""
    key = f"ingest.role.{role}"
    return ctx().t(key if i18n.has(key) else f"field.{role}")


def file_error(name: str, error: FileError) -> None:
    """A refusal, naming the file, the line and the column; the file's own text inert."""
    t = ctx().t
    st.error(inert(t("ingest.bad_file", name=name, message=error.message(t.language)), limit=2000),
             icon=":material/error:")


def upload(spec: Spec, key: str, *, types: tuple[str, ...] = ("csv", "xlsx", "txt", "tsv"),
           streamed: bool = False) -> Draft | None:
    """Draw the upload, reading controls, mapping and preview for ``spec``; the draft when
    the file reads cleanly and every question is answered, else None (the problem shown).

    ``streamed``: a big CSV is read a part at a time (the page stores it with
    ``reading.parts()``), and its reading is kept for the reruns of this upload."""
    context = ctx()
    t = context.t
    file = st.file_uploader(t("ingest.file"), type=list(types), key=editing.editor_key(f"{key}_file"))
    if file is None:
        forget(key)  # what was worked out from the last file goes with it
        return None
    content = file.getvalue()
    sheets = pipeline.sheet_names(content, file.name)
    sheet = None
    if len(sheets) > 1:  # the first sheet unless the user picks another (keyed on the file)
        sheet = st.selectbox(t("ingest.sheet_pick"), sheets, index=0,
                             key=f"{key}_sheet_{hashlib.sha1(content).hexdigest()[:10]}")
    with st.expander(t("ingest.reading_options"), icon=":material/tune:"):
        left, middle, right = st.columns(3)
        encoding = left.selectbox(t("ingest.encoding_pick"), [None, *decoding.CHOICES],
                                  format_func=lambda e: t("ingest.detect") if e is None else e, key=f"{key}_encoding")
        header_line = fields.number_field(t("ingest.header_line"), 0, minimum=0, key=f"{key}_header_line",
                                          help=t("ingest.header_line_help"), where=middle)
        header_rows = right.selectbox(t("ingest.header_rows_pick"), [None, 1, 2, 3], key=f"{key}_header_rows",
                                      format_func=lambda n: t("ingest.detect") if n is None else context.fmt.number(n))
    source = (file.file_id, file.name, header_line, header_rows, encoding, sheet)  # what the table is read from
    def opened() -> Table:
        return pipeline.open_file(content, file.name, header_line=header_line or None, header_rows=header_rows,
                                  encoding=encoding, sheet=sheet, streamed=streamed)

    try:
        table = kept(f"{key}_table", source, opened) if streamed else opened()
    except FileError as error:
        forget(key)
        file_error(file.name, error)
        return None
    lines = ", ".join(context.fmt.number(n) for n in table.header_lines)
    said = [t("ingest.encoding", encoding=table.encoding) if table.encoding else None,
            t("ingest.sheet", sheet=table.sheet) if table.sheet and len(table.sheets) > 1 else None]
    caption = st.empty()  # a streamed file's rows are counted when it has been read to its end
    caption.caption(" · ".join(filter(None, said + [
        t("ingest.detected_start", lines=lines, first=table.first_data_line) if table.streamed else
        t("ingest.detected", lines=lines, first=table.first_data_line, rows=table.frame.height)])))
    shape = hashlib.sha1(f"{spec.kind}\x1f{table.shape_key()}".encode()).hexdigest()[:10]
    memory = pipeline.remembered(context.store, context.workbook_id, spec.kind, table) or {}
    suggested = pipeline.suggest(table, spec, memory.get("mapping"))
    st.markdown(f"**{t('ingest.mapping')}**")
    if memory:
        st.caption(t("ingest.remembered"))
    columns = [None, *table.frame.columns]
    picks = st.columns(4)
    mapping = {}
    for index, f in enumerate(spec.fields):
        label = role_label(f.role) + (" *" if f.required else "")
        mapping[f.role] = picks[index % 4].selectbox(
            label, columns, index=columns.index(suggested.get(f.role)), format_func=lambda c: c or "—",
            key=f"{key}_map_{f.role}_{shape}")
    orders = dict(memory.get("orders", {}))
    for f in spec.fields:
        column = mapping.get(f.role)
        if f.kind == "datetime" and column:
            choice = st.session_state.get(f"{key}_order_{column}_{shape}")
            if choice:
                orders[column] = choice
    chosen = {c: o for c, o in orders.items() if o}
    def read() -> Reading | StreamedReading:
        return pipeline.read(table, spec, mapping, chosen)

    try:
        reading = kept(f"{key}_reading", (source, spec.kind, mapping, chosen), read) if streamed else read()
    except FileError as error:
        forget(key, ("_reading", "_check"))
        file_error(file.name, error)
        _order_controls(key, shape, [c for c in orders if c in mapping.values()], [])
        return None
    if table.streamed:
        caption.caption(" · ".join(filter(None, said + [
            t("ingest.detected", lines=lines, first=table.first_data_line, rows=reading.height)])))
    ordered = [c.column for c in reading.columns if any(p.key.startswith("ingest.reading.order.") for p in c.phrases)]
    _order_controls(key, shape, ordered, reading.questions)
    if not reading.ready:
        st.warning(t("ingest.answer_first"), icon=":material/help:")
        return None
    show_preview(reading, spec)
    choices = {"mapping": mapping, "orders": chosen}
    return Draft(file.name, table, reading, choices, spec.kind, (source, spec.kind, mapping, chosen))


KEPT = ("_table", "_reading", "_check")  # slots of :func:`kept` for an upload's key


def forget(key: str, slots: tuple[str, ...] = KEPT) -> None:
    """Let go of what :func:`kept` holds for the upload ``key`` (a streamed reading's
    parts on disk go with it)."""
    for slot in slots:
        _let_go(f"{key}{slot}")


def _let_go(slot: str) -> None:
    """Drop a slot of :func:`kept`; a streamed reading in it deletes its parts on disk at
    once (without this they wait for the garbage collector, which this app runs rarely)."""
    held = st.session_state.pop(slot, None)
    if isinstance(held, tuple) and len(held) == 2 and isinstance(held[1], StreamedReading):
        held[1].close()  # only its own slot closes it: a check made from it is let go without


OWNERS = "cx_kept_owners"  # in the session: each slot of :func:`kept` → the page that keeps it


def kept(slot: str, inputs: Any, make: Callable[[], Any]) -> Any:
    """``make()``, kept for this session while ``inputs`` stay the same: reading a file of
    millions of answers takes seconds, and every widget on the page reruns it. One value
    per slot, so an earlier file is let go; and all of them when the user opens another
    page (:func:`let_go_elsewhere`)."""
    st.session_state.setdefault(OWNERS, {})[slot] = ctx().page
    held = st.session_state.get(slot)
    if held is None or held[0] != inputs:
        _let_go(slot)
        held = (inputs, make())
        st.session_state[slot] = held
    return held[1]


def let_go_elsewhere(page: str) -> None:
    """Let go of what :func:`kept` holds for pages other than ``page`` (run by the frame):
    a file read on step 9 (its first part in memory, its parts on disk) does not stay with
    the session after the user moved on."""
    owners = st.session_state.get(OWNERS, {})
    for slot, owner in list(owners.items()):
        if owner != page:
            _let_go(slot)
            del owners[slot]


def _order_controls(key: str, shape: str, columns: list[str], asked: list[str]) -> None:
    """Day/month order per date column: a question the user must answer where the data
    cannot decide, else a control to change the order the data decided."""
    t = ctx().t
    for column in columns:
        options = ["dmy", "mdy"] if column in asked else [None, "dmy", "mdy"]
        st.radio(inert(t("ingest.order_question" if column in asked else "ingest.order_change", column=column)),
                 options, index=None if column in asked else 0, horizontal=True,
                 format_func=lambda o: t(f"ingest.order.{o or 'auto'}"), key=f"{key}_order_{column}_{shape}")


def show_preview(reading: Reading, spec: Spec) -> None:
    """The first rows as they will be stored, and one sentence per column on how it was read."""
    t = ctx().t
    st.markdown(f"**{t('ingest.preview')}**")
    frame = pipeline.preview(reading)
    show.table(frame.rename({c: t("ingest.col.line") if c == "__line" else role_label(c) for c in frame.columns}))
    for column in reading.columns:
        said = "; ".join(t(p.key, **p.params) for p in column.phrases)
        st.markdown(f"- **{role_label(column.role)}** ← “{inert(column.column)}”: {inert(said)}")


def import_button(draft: Draft, key: str, write: Callable[[], Any], success: str) -> None:
    """The button that writes the draft (all or nothing), then clears the upload."""
    t = ctx().t
    if st.button(t("ingest.import_button"), type="primary", key=f"{key}_go"):
        try:
            done = errors.attempt(write, after=lambda: editing.reset_editor(f"{key}_file"), success=success)
        except FileError as error:
            file_error(draft.name, error)
            return
        if done:
            st.rerun()
