"""Step 10: the metrics dashboard: each KPI with its interval, n, trend, breakdowns,
target from step 2 and the gap, and the formula beside each number."""

import polars as pl
import streamlit as st

from cxlib.analytics import aggregates, kpi, metrics
from cxlib.report import charts
from cxlib.steps import feedback, vision
from ui import live, show
from ui.context import ctx, data_version, page_path

context = ctx()
t = context.t
fmt = context.fmt
store = context.store

st.title(f"{t('step.number', n=10)}: {t('step.metrics.title')}")
show.guidance("metrics")


@st.cache_resource(show_spinner=False, max_entries=16)
def answer_counts(workbook_id: int, data_version: int, database: str) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The answer counts (thousands of rows, however many answers): per key and per day,
    read once per change of the workbook's data and shared by every session (a resource:
    no copy per rerun; the frames are only read). ``database`` (the file) is part of the
    key, so two stores in one process never share an entry."""
    return aggregates.load(store, workbook_id), aggregates.load_days(store, workbook_id)


class ImportsMoved(Exception):
    """An import of tickets or events (or its undo) landed while :func:`operations` read."""


@st.cache_resource(show_spinner=False, max_entries=8)
def operations(workbook_id: int, imports_version: tuple[int, int], calendar: str, database: str) -> dict:
    """Tickets, usage events and what is drawn from them, cached on their imports: answers
    streaming in live (every one a new data version) do not recompute churn and cohorts.

    The key can come back (undoing an import restores the one before), so rows read after
    another import landed must never be cached under it: the key is read again after the
    rows, and a moved key raises :class:`ImportsMoved` (nothing is cached)."""
    tickets, events = feedback.load_tickets(store, workbook_id), feedback.load_events(store, workbook_id)
    if feedback.imports_version(store, workbook_id) != imports_version:
        raise ImportsMoved
    return {"tickets": tickets, "events": events, "usage": metrics.usage(events, calendar),
            "ttr_trend": metrics.ttr_trend(tickets, calendar) if tickets.height else None,
            "ttr_by_channel": metrics.ttr_by_channel(tickets) if tickets.height else None,
            "churn_trend": metrics.churn_trend(events, calendar=calendar) if events.height else None}


@st.cache_resource(show_spinner=False, max_entries=16)
def dashboard(workbook_id: int, data_version: int, imports_version: tuple[int, int], calendar: str, database: str):
    drawn = operations(workbook_id, imports_version, calendar, database)
    goals = vision.list_goals(store, workbook_id)
    counted = answer_counts(workbook_id, data_version, database)[0]
    return metrics.headlines(counted, drawn["tickets"], drawn["events"], goals, calendar), goals


@st.cache_resource(show_spinner=False, max_entries=256)
def survey_views(workbook_id: int, data_version: int, database: str, metric: str, by: str,
                 calendar: str) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The trend (by the month of ``calendar``) and one breakdown of a survey KPI, computed
    once per data version for all sessions."""
    counted, daily = answer_counts(workbook_id, data_version, database)
    return metrics.trend(daily, metric, calendar), metrics.breakdown(counted, metric, by)


@st.cache_resource(show_spinner=False, max_entries=32)
def chart_templates(metric: str, by: str, calendar: str, language: str, projector: bool, months: tuple,
                    _trend: pl.DataFrame, _table: pl.DataFrame, _t, _fmt) -> tuple[dict, dict]:
    """The trend and breakdown charts of a survey KPI as the specs Streamlit draws (see
    :func:`ui.show.chart_spec`), built by altair once per metric, breakdown, language,
    calendar, screen and months shown (``months``: the order of their labels, the only
    part of the charts besides their data that depends on the data), from the first
    data they are asked with; :func:`survey_charts` puts each version's data in.
    ``_t`` and ``_fmt`` are the translator and formatter of ``language`` and ``calendar``."""
    t, fmt = _t, _fmt
    labels = {"value": t(f"metrics.name.{metric}"), "month": t("metrics.month"), "n": t("metrics.n_label"),
              "title": t("metrics.trend_title", metric=t(f"metrics.name.{metric}"))}
    trend = charts.kpi_trend(_trend, labels, fmt.time_labels("month"))
    bars = charts.kpi_bars(_table, by, {"value": t(f"metrics.name.{metric}"), "category": t(f"feedback.role.{by}"),
                                        "title": t("metrics.by", what=t(f"feedback.role.{by}"))})
    right_to_left = t.direction == "rtl"
    return show.chart_spec(trend, fmt, right_to_left, projector), show.chart_spec(bars, fmt, right_to_left, projector)


@st.cache_resource(show_spinner=False, max_entries=64)
def survey_charts(workbook_id: int, data_version: int, database: str, metric: str, by: str, calendar: str,
                  language: str, projector: bool, _t, _fmt) -> tuple[dict, dict]:
    """The trend and breakdown charts of a survey KPI for one data version, computed once
    for every session (screens watching the live dashboard redraw them without building
    them): the cached charts of :func:`chart_templates` with this version's data."""
    trend, table = survey_views(workbook_id, data_version, database, metric, by, calendar)
    trend_data, months = charts.kpi_trend_data(trend, _fmt.time_labels("month"))
    trend_spec, bars_spec = chart_templates(metric, by, calendar, language, projector, months, trend, table, _t, _fmt)
    return show.spec_with_data(trend_spec, trend_data), show.spec_with_data(bars_spec, charts.kpi_bars_data(table))


@st.cache_resource(show_spinner=False, max_entries=32)
def operations_specs(workbook_id: int, imports_version: tuple[int, int], calendar: str, database: str,
                     language: str, projector: bool, _t, _fmt) -> dict[str, dict]:
    """The TTR trend, churn trend and cohort charts as the specs Streamlit draws, built by
    altair once per import of tickets or events, calendar, language and screen for every
    session (a new session or a new answer does not rebuild them); ``_t`` and ``_fmt``
    are the translator and formatter of ``language`` and ``calendar``."""
    t, fmt = _t, _fmt
    drawn, months = operations(workbook_id, imports_version, calendar, database), fmt.time_labels("month")
    specs = {}
    if drawn["tickets"].height:
        specs["ttr"] = charts.kpi_trend(drawn["ttr_trend"].with_columns(
            pl.col("p90").alias("ci_high"), pl.col("value").alias("ci_low")),
            {"value": t("metrics.hours"), "month": t("metrics.month"), "title": t("metrics.ttr_trend")}, months)
    if drawn["events"].height:
        specs["churn"] = charts.kpi_trend(drawn["churn_trend"], {"value": t("metrics.churn_pct"),
                                                                 "month": t("metrics.month"),
                                                                 "title": t("metrics.churn_trend")}, months)
    if drawn["usage"]:
        specs["cohorts"] = charts.cohort_heatmap(drawn["usage"]["cohorts"], {
            "cohort": t("metrics.cohort"), "period": t("metrics.months_since"), "share": t("metrics.active")},
            fmt.month)
    return {name: show.chart_spec(figure, fmt, t.direction == "rtl", projector) for name, figure in specs.items()}


# A rerun the live poll asked for draws the version it published for every screen on this
# workbook, so the figures and charts cached per version are computed once for all of them.
version, database = live.version_to_draw(data_version), str(store.path)
live.follow(version)  # a new answer (phone, webhook, import) redraws the dashboard
for attempt in range(5):  # an import landing meanwhile moves the key: read it again
    imported = feedback.imports_version(store, context.workbook_id)
    try:
        drawn = operations(context.workbook_id, imported, fmt.calendar, database)
        break
    except ImportsMoved:
        if attempt == 4:
            raise
tickets, events, usage = drawn["tickets"], drawn["events"], drawn["usage"]
operations_charts = operations_specs(context.workbook_id, imported, fmt.calendar, database, t.language,
                                     context.projector, t, fmt)
headlines, goals = dashboard(context.workbook_id, version, imported, fmt.calendar, database)
measured = [h.metric for h in headlines]
show.step_rule("metrics", metrics.is_complete(measured, goals), measured=len(measured))

if not headlines:
    st.info(t("metrics.empty"))
    st.page_link(page_path("feedback"), label=t("step.feedback.title"), icon=":material/forum:")
    st.stop()

for start in range(0, len(headlines), 3):
    for column, headline in zip(st.columns(3), headlines[start : start + 3]):
        with column.container(border=True):
            gap = metrics.gap_words(headline, t, fmt)
            colour = {None: "gray", True: "green", False: "red"}[headline.on_track if gap and gap[1] != "off" else None]
            st.metric(t(f"metrics.name.{headline.metric}"), metrics.value_words(headline.metric, headline.value, t, fmt),
                      delta=gap[0] if gap else None, delta_color=colour, delta_arrow=gap[1] if gap else "auto")
            if headline.ci_low is not None:
                st.caption(t("metrics.ci", low=fmt.number(headline.ci_low, 1), high=fmt.number(headline.ci_high, 1), n=headline.n))
            else:
                st.caption(t("metrics.n", n=headline.n))
            if headline.target is None:
                st.caption(t("metrics.no_target"))
            if headline.small_sample:
                st.warning(t("metrics.small_sample", n=headline.n), icon=":material/warning:")
            st.caption(t(f"metrics.formula.{headline.metric}"))
            for note in metrics.data_notes(headline, feedback.left_out(store, context.workbook_id), t):
                st.warning(note, icon=":material/rule:")  # answers left out of this number (off scale, blank)
            if headline.metric == "ttr":
                st.caption(t("metrics.ttr_detail", mean=fmt.number(headline.detail["mean"], 1),
                             p90=fmt.number(headline.detail["p90"], 1), unresolved=headline.detail["unresolved"]))
                if headline.detail.get("negative_rows"):
                    st.warning(t("metrics.ttr_left_out", count=len(headline.detail["negative_rows"])),
                               icon=":material/rule:")
            if headline.metric == "churn":
                st.caption(t("metrics.churn_detail", start=fmt.date(headline.detail["start"]),
                             annual=fmt.percent(headline.detail["annualised"])))


@st.fragment
def survey_detail(workbook_id: int, version: int, surveyed: list[str], projector: bool, t, fmt) -> None:
    """A survey KPI's trend and breakdown, with their pickers: picking another reruns only
    this part of the page (then outside the frame, so it is handed what it needs), at the
    data version the rest of the page shows."""
    st.header(t("metrics.survey_detail"))
    metric = st.segmented_control(t("metrics.metric"), surveyed, default=surveyed[0],
                                  format_func=lambda m: t(f"metrics.name.{m}"), key="cx_metric_pick") or surveyed[0]
    by = st.segmented_control(t("metrics.breakdown"), list(metrics.BREAKDOWNS), default="segment",
                              format_func=lambda b: t(f"feedback.role.{b}"), key="cx_breakdown") or "segment"
    _, table = survey_views(workbook_id, version, database, metric, by, fmt.calendar)
    for spec in survey_charts(workbook_id, version, database, metric, by, fmt.calendar, t.language, projector, t, fmt):
        show.draw_spec(spec)
    if table["small_sample"].any():
        st.caption(t("metrics.small_groups", n=kpi.SMALL_SAMPLE))


surveyed = [m for m in measured if m in metrics.SURVEY_METRICS]
if surveyed:
    survey_detail(context.workbook_id, version, surveyed, context.projector, t, fmt)

if tickets.height:
    st.header(t("metrics.name.ttr"))
    show.draw_spec(operations_charts["ttr"])
    by_channel = drawn["ttr_by_channel"]
    show.table(by_channel, {c: t(f"metrics.col.{c}") for c in by_channel.columns},
               decimals={"value": 1, "mean": 1, "p90": 1})

if events.height:
    st.header(t("metrics.name.churn"))
    show.draw_spec(operations_charts["churn"])
    st.caption(t("metrics.formula.churn"))

if usage:
    st.header(t("metrics.usage"))
    row = st.columns(3)
    row[0].metric(t("metrics.adoption"), fmt.percent(usage["adoption"].value))
    row[0].caption(t("metrics.adoption_formula", n=usage["adoption"].n))
    minutes = usage["session_time"].value / 60 if usage["session_time"].value is not None else None
    row[1].metric(t("metrics.session_time"), t("metrics.unit.minutes", value=fmt.number(minutes, 1)))
    row[1].caption(t("metrics.session_formula", n=usage["session_time"].n))
    row[2].metric(t("metrics.bounce"), fmt.percent(usage["bounce_rate"].value))
    not_engaged = usage["not_engaged_rate"].value
    row[2].caption(t("metrics.bounce_formula", engaged=fmt.percent(None if not_engaged is None else 1 - not_engaged)))
    st.subheader(t("metrics.cohorts"))
    st.caption(t("metrics.cohorts_help"))
    show.draw_spec(operations_charts["cohorts"])
