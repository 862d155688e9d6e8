"""Chart builders: each returns an altair chart, so the app, a notebook and the report
draw the same picture. Titles and labels arrive already translated."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date

import altair as alt
import polars as pl

from cxlib.l10n.formats import Formatter

# Colour-blind-safe (Okabe–Ito): as-is orange, to-be blue, target (step 8) green,
# measured from feedback (step 9) purple.
KIND_COLOURS = {"as_is": "#E69F00", "to_be": "#0072B2", "target": "#009E73", "measured": "#CC79A7"}
DASHES = {"as_is": [1, 0], "to_be": [1, 0], "target": [8, 5], "measured": [2, 3]}


def localised(chart: alt.TopLevelMixin, fmt: Formatter, right_to_left: bool = False) -> alt.TopLevelMixin:
    """The chart with the language's digits, separators and month names; right to left,
    titles stand on the right and legends on the left."""
    chart = chart.configure(locale=fmt.vega_locale())
    if right_to_left:
        chart = chart.configure_title(anchor="end").configure_legend(orient="left")
    return chart


def emotion_curve(
    frame: pl.DataFrame,
    stage_order: Sequence[str],
    labels: Mapping[str, str],
    kind_labels: Mapping[str, str],
    right_to_left: bool = False,
) -> alt.Chart:
    """Emotion (−2…+2) per journey stage, one line per journey, as-is and to-be overlaid.

    ``labels`` holds ``title``, ``stage``, ``emotion``, ``journey`` and ``pain_points``.
    Stages without a score are left out of the line rather than drawn as zero.
    """
    scored = frame.filter(pl.col("emotion").is_not_null()).with_columns(
        pl.col("kind").replace_strict(kind_labels, default=pl.col("kind")).alias("kind_label")
    )
    present = [k for k in KIND_COLOURS if k in set(scored["kind"].to_list())] or ["as_is", "to_be"]
    domain = [kind_labels.get(k, k) for k in present]
    x_sort = list(reversed(stage_order)) if right_to_left else list(stage_order)
    base = alt.Chart(scored.to_pandas()).encode(
        x=alt.X("stage:N", sort=x_sort, title=labels["stage"], axis=alt.Axis(labelAngle=0, labelLimit=160)),
        y=alt.Y(
            "emotion:Q",
            title=labels["emotion"],
            scale=alt.Scale(domain=[-2.2, 2.2]),
            # Right to left: the emotion axis stands on the right, where the stages start.
            axis=alt.Axis(values=[-2, -1, 0, 1, 2], format="+d", orient="right" if right_to_left else "left"),
        ),
        color=alt.Color(
            "kind_label:N",
            title=labels["journey"],
            scale=alt.Scale(domain=domain, range=[KIND_COLOURS[k] for k in present]),
            legend=alt.Legend(orient="left" if right_to_left else "right"),
        ),
        strokeDash=alt.StrokeDash(
            "kind_label:N", title=labels["journey"],
            scale=alt.Scale(domain=domain, range=[DASHES[k] for k in present]),
        ),
        detail="journey:N",
        tooltip=[
            alt.Tooltip("journey:N", title=labels["journey"]),
            alt.Tooltip("stage:N", title=labels["stage"]),
            alt.Tooltip("emotion:Q", title=labels["emotion"], format="+.1f"),
            alt.Tooltip("pain_points:N", title=labels["pain_points"]),
        ],
    )
    zero = alt.Chart().mark_rule(color="#888", strokeDash=[4, 4]).encode(y=alt.datum(0))
    lines = base.mark_line(strokeWidth=3) + base.mark_point(size=120, filled=True)
    title = alt.TitleParams(labels["title"], anchor="end" if right_to_left else "start")
    return (zero + lines).properties(title=title, height=320, width="container")


def bars(frame: pl.DataFrame, category: str, value: str, labels: Mapping[str, str],
         value_format: str = ",.0f") -> alt.Chart:
    """One bar per row (scenarios, cases), value labelled on the bar."""
    data = frame.select(category, value).to_pandas()
    whole = value_format.endswith("0f") or value_format == "d"
    base = alt.Chart(data).encode(
        y=alt.Y(f"{category}:N", sort=None, title=labels["category"], axis=alt.Axis(labelLimit=360)),
        x=alt.X(f"{value}:Q", title=labels["value"],
                axis=alt.Axis(tickMinStep=1, format="d") if whole else alt.Axis()),
        tooltip=[alt.Tooltip(f"{category}:N", title=labels["category"]),
                 alt.Tooltip(f"{value}:Q", title=labels["value"], format=value_format)],
    )
    text = base.mark_text(align="left", dx=4).encode(text=alt.Text(f"{value}:Q", format=value_format))
    return (base.mark_bar(color=KIND_COLOURS["to_be"]) + text).properties(
        title=labels["title"], width="container"
    )


def retention_curves(frame: pl.DataFrame, labels: Mapping[str, str],
                     case_labels: Mapping[str, str]) -> alt.Chart:
    """Share of customers retained per month, one line per case, the low–high band shaded."""
    data = frame.with_columns(
        pl.col("case").replace_strict(case_labels, default=pl.col("case")).alias("case_label")
    )
    band = (
        data.filter(pl.col("case").is_in(["low", "high"]))
        .pivot(on="case", index="month", values="retained")
        .to_pandas()
    )
    lines = alt.Chart(data.to_pandas()).mark_line(strokeWidth=3).encode(
        x=alt.X("month:Q", title=labels["month"]),
        y=alt.Y("retained:Q", title=labels["retained"], axis=alt.Axis(format="%")),
        color=alt.Color("case_label:N", title=labels["case"], sort=list(case_labels.values())),
        tooltip=[alt.Tooltip("case_label:N", title=labels["case"]),
                 alt.Tooltip("month:Q", title=labels["month"]),
                 alt.Tooltip("retained:Q", title=labels["retained"], format=".1%")],
    )
    layers = [lines]
    if {"low", "high"} <= set(band.columns):
        layers.insert(0, alt.Chart(band).mark_area(opacity=0.15, color=KIND_COLOURS["to_be"])
                      .encode(x="month:Q", y="low:Q", y2="high:Q"))
    return alt.layer(*layers).properties(title=labels["title"], height=300, width="container")


def histogram(values: pl.Series, labels: Mapping[str, str], bins: int = 40) -> alt.Chart:
    """Distribution of one value (e.g. CLV per customer)."""
    data = pl.DataFrame({"value": values}).to_pandas()
    return (
        alt.Chart(data)
        .mark_bar(color=KIND_COLOURS["to_be"])
        .encode(
            x=alt.X("value:Q", bin=alt.Bin(maxbins=bins), title=labels["value"]),
            y=alt.Y("count():Q", title=labels["count"]),
            tooltip=[alt.Tooltip("count():Q", title=labels["count"])],
        )
        .properties(title=labels["title"], height=280, width="container")
    )


def score_heatmap(frame: pl.DataFrame, labels: Mapping[str, str],
                  factor_labels: Mapping[str, str]) -> alt.Chart:
    """Competitors (rows) × factors (columns), 1–5 scores as colour and text; us on top."""
    data = frame.with_columns(
        pl.col("factor").replace_strict(factor_labels, default=pl.col("factor")).alias("factor_label")
    ).to_pandas()
    names = list(dict.fromkeys(frame.sort("is_us", descending=True, maintain_order=True)["name"]))
    order = [factor_labels.get(f, f) for f in dict.fromkeys(frame["factor"])]
    base = alt.Chart(data).encode(
        x=alt.X("factor_label:N", sort=order, title=labels["factor"],
                axis=alt.Axis(labelAngle=-30, labelLimit=150, labelOverlap=False)),
        y=alt.Y("name:N", sort=names, title=None, axis=alt.Axis(labelLimit=200, labelOverlap=False)),
    )
    cells = base.mark_rect().encode(
        color=alt.Color("score:Q", scale=alt.Scale(domain=[1, 5], scheme="blues"), title=labels["score"]),
        tooltip=[alt.Tooltip("name:N"), alt.Tooltip("factor_label:N", title=labels["factor"]),
                 alt.Tooltip("score:Q", title=labels["score"])],
    )
    text = base.mark_text(fontSize=16).encode(
        text="score:Q",
        color=alt.condition(alt.datum.score >= 4, alt.value("white"), alt.value("black")),
    )
    # A fixed height per competitor: the factor names under the grid (long in Armenian and
    # Persian) take their own room instead of squeezing the rows.
    return (cells + text).properties(title=labels["title"], width="container", height=alt.Step(44))


def impact_effort(frame: pl.DataFrame, labels: Mapping[str, str],
                  name_label: Callable[[str], str] | None = None) -> alt.Chart:
    """The automation backlog as an impact (volume × pain) against effort matrix;
    ``name_label`` writes the names drawn beside the points (see
    :meth:`cxlib.l10n.formats.Formatter.text_label`)."""
    frame = frame.drop_nulls(["impact", "effort"])
    if name_label is not None:
        frame = frame.with_columns(pl.col("name").map_elements(name_label, return_dtype=pl.String))
    data = frame.to_pandas()
    points = alt.Chart(data).mark_circle(opacity=0.8, color=KIND_COLOURS["to_be"]).encode(
        x=alt.X("effort:Q", scale=alt.Scale(domain=[0.5, 5.5]), title=labels["effort"]),
        y=alt.Y("impact:Q", scale=alt.Scale(domain=[0, 26]), title=labels["impact"]),
        size=alt.Size("priority:Q", title=labels["priority"], scale=alt.Scale(range=[200, 1500])),
        tooltip=[alt.Tooltip("name:N", title=labels["name"]),
                 alt.Tooltip("impact:Q", title=labels["impact"]),
                 alt.Tooltip("effort:Q", title=labels["effort"]),
                 alt.Tooltip("priority:Q", title=labels["priority"], format=".1f")],
    )
    names = points.mark_text(align="left", dx=14, fontSize=13).encode(text="name:N", size=alt.value(13))
    rules = alt.Chart().mark_rule(strokeDash=[4, 4], color="#888")
    return (rules.encode(x=alt.datum(3)) + rules.encode(y=alt.datum(12.5)) + points + names).properties(
        title=labels["title"], width="container", height=380
    )


def _time_axis(frame: pl.DataFrame, column: str, title: str,
               date_label: Callable[[date], str] | None) -> tuple[pl.DataFrame, alt.X, alt.Tooltip]:
    """A time axis: Vega's own (dates in the chart locale), or, when ``date_label`` is
    given (the Solar Hijri calendar), one labelled step per date in time order."""
    if date_label is None:
        return frame, alt.X(f"{column}:T", title=title), alt.Tooltip(f"{column}:T", title=title)
    frame = frame.sort(column).with_columns(
        pl.col(column).map_elements(date_label, return_dtype=pl.String).alias(f"{column}_label"))
    order = list(dict.fromkeys(frame[f"{column}_label"].to_list()))
    # Many long labels (Armenian month names) slant rather than overlap.
    axis = alt.Axis(labelAngle=0 if len(order) <= 6 else -40, labelOverlap=True, labelLimit=140)
    return (frame, alt.X(f"{column}_label:O", sort=order, title=title, axis=axis),
            alt.Tooltip(f"{column}_label:N", title=title))


def mention_volume(frame: pl.DataFrame, labels: Mapping[str, str],
                   date_label: Callable[[date], str] | None = None) -> alt.Chart:
    """Mentions per week, one line per brand (``date_label``: see :func:`_time_axis`)."""
    frame, x, when = _time_axis(frame, "date", labels["date"], date_label)
    return (
        alt.Chart(frame.to_pandas())
        .mark_line(point=True, strokeWidth=3)
        .encode(
            x=x,
            y=alt.Y("mentions:Q", title=labels["mentions"]),
            color=alt.Color("brand:N", title=labels["brand"]),
            tooltip=["brand:N", when, alt.Tooltip("mentions:Q", title=labels["mentions"])],
        )
        .properties(title=labels["title"], width="container", height=300)
    )


def kpi_trend(frame: pl.DataFrame, labels: Mapping[str, str],
              date_label: Callable[[date], str] | None = None) -> alt.Chart:
    """A KPI per month: the line, its 95% interval as a band, n in the tooltip
    (``date_label``: see :func:`_time_axis`)."""
    frame, x, when = _time_axis(frame, "month", labels["month"], date_label)
    base = alt.Chart(frame.to_pandas()).encode(x=x)
    band = base.mark_area(opacity=0.18, color=KIND_COLOURS["to_be"]).encode(
        y=alt.Y("ci_low:Q", title=labels["value"]), y2="ci_high:Q")
    line = base.mark_line(point=True, strokeWidth=3, color=KIND_COLOURS["to_be"]).encode(
        y="value:Q",
        tooltip=[when, alt.Tooltip("value:Q", title=labels["value"], format=".1f"),
                 alt.Tooltip("ci_low:Q", format=".1f"), alt.Tooltip("ci_high:Q", format=".1f"), alt.Tooltip("n:Q")],
    )
    return (band + line).properties(title=labels["title"], height=300, width="container")


def kpi_bars(frame: pl.DataFrame, category: str, labels: Mapping[str, str]) -> alt.Chart:
    """A KPI per group with its interval as an error bar; small groups drawn pale."""
    data = frame.to_pandas()
    base = alt.Chart(data).encode(y=alt.Y(f"{category}:N", sort="-x", title=labels["category"]))
    bars = base.mark_bar().encode(
        x=alt.X("value:Q", title=labels["value"]),
        opacity=alt.condition(alt.datum.small_sample, alt.value(0.35), alt.value(0.9)),
        color=alt.value(KIND_COLOURS["to_be"]),
        tooltip=[alt.Tooltip(f"{category}:N"), alt.Tooltip("value:Q", format=".1f"),
                 alt.Tooltip("ci_low:Q", format=".1f"), alt.Tooltip("ci_high:Q", format=".1f"), "n:Q"],
    )
    errors = base.mark_rule(color="#333").encode(x="ci_low:Q", x2="ci_high:Q")
    return (bars + errors).properties(title=labels["title"], width="container")


def cohort_heatmap(matrix: pl.DataFrame, labels: Mapping[str, str],
                   month_label: Callable[[date], str] | None = None) -> alt.Chart:
    """Cohort retention: cohorts down (named by ``month_label``, default ``2026-03``),
    months since first activity across; unobserved cells stay blank."""
    periods = [c for c in matrix.columns if c not in ("cohort", "size")]
    long = matrix.unpivot(index=["cohort", "size"], on=periods, variable_name="period", value_name="share")
    long = long.drop_nulls("share").sort("cohort").with_columns(
        pl.col("period").cast(pl.Int64),
        pl.col("cohort").map_elements(month_label or (lambda day: day.strftime("%Y-%m")), return_dtype=pl.String),
    )
    base = alt.Chart(long.to_pandas()).encode(
        x=alt.X("period:O", title=labels["period"]),
        y=alt.Y("cohort:O", title=labels["cohort"], sort=list(dict.fromkeys(long["cohort"].to_list()))),
    )
    cells = base.mark_rect().encode(
        color=alt.Color("share:Q", scale=alt.Scale(domain=[0, 1], scheme="blues"), title=labels["share"],
                        legend=alt.Legend(format="%")),
        tooltip=["cohort:O", "size:Q", alt.Tooltip("period:O", title=labels["period"]),
                 alt.Tooltip("share:Q", format=".0%", title=labels["share"])],
    )
    text = base.mark_text(fontSize=11).encode(
        text=alt.Text("share:Q", format=".0%"),
        color=alt.condition(alt.datum.share > 0.6, alt.value("white"), alt.value("black")),
    )
    return (cells + text).properties(width="container", height=28 * max(matrix.height, 1) + 40)
