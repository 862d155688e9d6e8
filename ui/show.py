"""Drawing read-only things: charts, tables, step guidance and completion rules, arrows."""

from __future__ import annotations

from typing import Any

import polars as pl
import streamlit as st

from cxlib.ingest import exchange
from cxlib.report import charts
from ui.context import ctx


def step_rule(step: str, done: bool, **numbers: Any) -> None:
    """The step's completion rule, ticked when the workbook meets it."""
    icon = ":material/check_circle:" if done else ":material/radio_button_unchecked:"
    st.caption(f"{icon} {ctx().t(f'step.{step}.rule', **numbers)}")


def guidance(step: str) -> None:
    """The "why this step" panel, drawn from the source articles."""
    t = ctx().t
    with st.expander(t("guidance.why"), expanded=False, icon=":material/lightbulb:"):
        st.markdown(t(f"step.{step}.why"))




def chart(figure: Any, where: Any = st) -> None:
    """Draw an altair chart with the language's digits, separators and month names
    (see :func:`cxlib.report.charts.localised`)."""
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


def csv_download(rows: list[dict[str, Any]], headers: dict[str, str], file_name: str, key: str,
                 label: str | None = None) -> None:
    """Our own "Download as CSV" for a grid: cells a spreadsheet would run as a formula
    (``=HYPERLINK(…)``, ``+1+1``, ``@SUM(…)``) are neutralised by
    :func:`cxlib.ingest.exchange.to_csv`. Streamlit's built-in grid export, which writes
    them verbatim, is switched off (``client.disableDataExport`` in .streamlit/config.toml).
    ``headers`` maps each column to its title in the reader's language."""
    st.download_button(
        label or ctx().t("grid.download"), data=exchange.to_csv(rows, list(headers), list(headers.values())),
        file_name=file_name, mime="text/csv", icon=":material/download:", key=key, on_click="ignore",
    )
