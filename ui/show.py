"""Drawing read-only things: charts, tables, step guidance and completion rules, arrows."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import polars as pl
import streamlit as st

from streamlit import dataframe_util
from streamlit.elements.vega_charts import _convert_altair_to_vega_lite_spec as _altair_to_vega_lite

from cxlib.ingest import exchange
from cxlib.l10n.formats import written_column
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
    draw_spec(chart_spec(figure, context.fmt, context.t.direction == "rtl", context.projector), where)


def chart_spec(figure: Any, fmt: Any, right_to_left: bool, projector: bool) -> dict:
    """What :func:`chart` draws, as the Vega-Lite spec Streamlit sends (its data as Arrow
    datasets): localised, sized for a projector when asked, converted and validated
    once. A page may cache it (per data version and language) and draw it with
    :func:`draw_spec` on every rerun, instead of building the altair chart again."""
    figure = charts.localised(figure, fmt, right_to_left)
    if projector:
        figure = charts.for_projector(figure)
    # Streamlit's own conversion (the one st.altair_chart runs, under its lock on altair's
    # global theme and data transformer), so the drawn chart is the same element. It is a
    # private function of the pinned Streamlit (1.67): check it when upgrading.
    return _altair_to_vega_lite(figure)


def spec_with_data(template: dict, data: Any) -> dict:
    """``template`` (a spec from :func:`chart_spec` whose chart has one dataset) with
    ``data`` as its dataset: the spec :func:`chart_spec` gives for the same chart built on
    ``data``, when nothing else of the chart depends on the data (see
    :func:`cxlib.report.charts.kpi_trend_data`), but for the dataset's name. The name stays
    the template's (Streamlit names a dataset by the hash of its first bytes), so the spec
    a browser holds is unchanged and it only replaces the chart's data, instead of building
    the chart again, when a live page redraws it with new figures."""
    (name,) = template["datasets"]
    if template.get("data") != {"name": name}:
        raise ValueError("the chart's dataset is not its top-level data")
    return {**template, "datasets": {name: dataframe_util.convert_anything_to_arrow_bytes(data)}}


def draw_spec(spec: dict, where: Any = st) -> None:
    """Draw a spec from :func:`chart_spec` (Streamlit copies what it changes)."""
    where.vega_lite_chart(spec, width="stretch")


def arrow(forward: bool = True) -> str:
    """A next/previous arrow icon pointing the way the language reads."""
    right_to_left = ctx().t.direction == "rtl"
    return ":material/arrow_forward:" if forward != right_to_left else ":material/arrow_back:"


PROJECTOR_TABLE_ROWS = 40


def table(
    data: Any,
    labels: Mapping[str, str] | None = None,
    *,
    shares: Iterable[str] = (),
    money: Iterable[str] = (),
    decimals: Mapping[str, int] | None = None,
) -> None:
    """A read-only table with every number written the language's way, in every language:
    whole numbers as such, other numbers with ``decimals[column]`` decimals (2 unless
    told), ``shares`` (0–1) as percentages, ``money`` in the workbook's currency; an empty
    cell as a dash, never ``None``. ``labels`` renames the columns for display (after the
    columns were chosen by their code names)."""
    context = ctx()
    fmt, currency = context.fmt, context.workbook.get("currency")
    frame = data if isinstance(data, pl.DataFrame) else pl.DataFrame(data)
    shares, money, decimals = set(shares), set(money), dict(decimals or {})

    def written(name: str, dtype: pl.DataType):
        if name in shares:
            return lambda v: fmt.percent(v, decimals.get(name, 1))
        if name in money:
            return lambda v: fmt.money(v, currency, decimals.get(name, 2))
        places = decimals.get(name, 0 if dtype.is_integer() else 2)
        return lambda v: fmt.number(v, places)

    numeric = [name for name, dtype in frame.schema.items() if dtype.is_numeric()]
    frame = frame.with_columns(written_column(frame[name], written(name, frame.schema[name]), fmt.number(None))
                               for name in numeric)
    if labels:
        frame = frame.rename({name: labels.get(name, name) for name in frame.columns})
    shown = [labels.get(name, name) if labels else name for name in numeric]
    if context.projector and frame.height <= PROJECTOR_TABLE_ROWS:
        st.table(frame)  # HTML, so the projector's type size applies (the grid is a canvas)
        return
    st.dataframe(frame, hide_index=True, width="stretch", placeholder=fmt.number(None),
                 column_config={name: st.column_config.TextColumn(alignment="right") for name in shown})


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
