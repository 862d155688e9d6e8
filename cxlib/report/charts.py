"""Chart builders: each returns an altair chart, so the app, a notebook and the report
draw the same picture. Titles and labels arrive already translated."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from datetime import date

import altair as alt
import polars as pl

from cxlib.l10n.formats import Formatter, written_column

# Colour-blind-safe (Okabe–Ito): as-is orange, to-be blue, target (step 8) green,
# measured from feedback (step 9) purple.
KIND_COLOURS = {"as_is": "#E69F00", "to_be": "#0072B2", "target": "#009E73", "measured": "#CC79A7"}
DASHES = {"as_is": [1, 0], "to_be": [1, 0], "target": [8, 5], "measured": [2, 3]}
LABEL_MAX = 80  # characters of a name on an axis, in a legend or a tooltip; the rest is "…"


def short_labels(values: pl.Series, limit: int = LABEL_MAX) -> pl.Series:
    """Text values cut to ``limit`` characters with "…", still telling different values
    apart (a numbered suffix), so two long brand names never merge into one bar.

    Why: a 10 MB brand name once became a legend and the report grew past 5 GB."""
    long = values.filter(values.str.len_chars() > limit).unique(maintain_order=True).to_list()
    if not long:
        return values
    taken = set(values.filter(values.str.len_chars() <= limit).unique().to_list())
    mapping = {}
    for value in long:
        short = value[: limit - 1] + "…"
        number = 2
        while short in taken:
            suffix = f" #{number}"
            short = value[: limit - 1 - len(suffix)] + "…" + suffix
            number += 1
        taken.add(short)
        mapping[value] = short
    return values.replace(mapping)


def _sorted_labels(values: pl.Series) -> list[str]:
    """A sort order given as values, shortened the way :func:`_data` shortens the data."""
    return short_labels(values).to_list()


def _data(frame: pl.DataFrame):
    """The chart's data with every text column shortened (see :func:`short_labels`)."""
    return frame.with_columns(short_labels(frame[c]) for c, t in frame.schema.items() if t == pl.String).to_pandas()


def localised(chart: alt.TopLevelMixin, fmt: Formatter, right_to_left: bool = False) -> alt.TopLevelMixin:
    """The chart with the language's digits, separators and month names, number labels
    grouped from the locale's minimum grouping digits (Polish 1500, 15 000); right to
    left, titles stand on the right and legends on the left."""
    chart = chart.configure(locale=fmt.vega_locale())
    number_label = fmt.vega_number_label()
    if number_label:
        # Axes through the config; legends, bar labels and tooltips in each chart (Vega-Lite's
        # legend config has no labelExpr).
        chart = _configured(chart, "axisQuantitative", labelExpr=number_label)
        chart = _numbers_as_written(chart, fmt)
    if right_to_left:
        chart = _configured(_configured(chart, "title", anchor="end"), "legend", orient="left")
    return chart


def _numbers_as_written(chart: alt.TopLevelMixin, fmt: Formatter) -> alt.TopLevelMixin:
    """The chart with every formatted number in a text mark or a tooltip (``1500`` on a
    bar) written by :meth:`Formatter.vega_number_label`, as the axes are: a calculated
    text field in place of Vega's own format, which groups from four digits; the labels
    of a legend of numbers mended the same way."""
    chart = chart.copy(deep=True)
    for part in ("layer", "vconcat", "hconcat", "concat"):
        children = getattr(chart, part, alt.Undefined)
        if children is not alt.Undefined:
            setattr(chart, part, [_numbers_as_written(child, fmt) for child in children])
    encoding = getattr(chart, "encoding", alt.Undefined)
    if not isinstance(chart, alt.Chart) or encoding is alt.Undefined:
        return chart
    shown: dict[str, str] = {}

    def written(channel, kind):
        """``channel`` as a text field of the number it formats, or as it was."""
        spec = channel.to_dict() if hasattr(channel, "to_dict") else channel
        if not isinstance(spec, dict) or spec.get("type") != "quantitative" or "format" not in spec \
                or spec.get("formatType") not in (None, "number") or "aggregate" in spec or "field" not in spec:
            return channel
        field, name = spec["field"], f"{spec['field']}__shown"
        value = "datum[" + json.dumps(field) + "]"
        shown[name] = fmt.vega_number_label(f"format({value}, {json.dumps(spec['format'])})")
        settings = {key: spec[key] for key in ("title",) if key in spec}
        return kind(f"{name}:N", **({"title": field} | settings) if kind is alt.Tooltip else settings)

    for name in ("color", "fill", "stroke", "size", "opacity"):  # a legend of numbers, as the axes
        channel = getattr(encoding, name, alt.Undefined)
        spec = channel.to_dict() if isinstance(channel, alt.SchemaBase) else None
        if spec and spec.get("type") == "quantitative" and spec.get("legend", {}) is not None:
            channel.legend = alt.Legend(**{"labelExpr": fmt.vega_number_label(), **(spec.get("legend") or {})})
    if encoding.text is not alt.Undefined:
        encoding.text = written(encoding.text, alt.Text)
    tooltips = encoding.tooltip
    if isinstance(tooltips, list):
        encoding.tooltip = [written(item, alt.Tooltip) for item in tooltips]
    if not shown:
        return chart
    return chart.transform_calculate(**shown)


def _configured(chart: alt.TopLevelMixin, part: str, **settings) -> alt.TopLevelMixin:
    """The chart with ``settings`` added to its ``config.<part>``, keeping what is there
    (altair's ``configure_legend`` and friends replace the whole part)."""
    spec = chart.copy(deep=["config"])
    if spec.config is alt.Undefined:
        spec.config = alt.Config()
    before = spec.config[part] if part in spec.config._kwds and spec.config[part] is not alt.Undefined else {}
    merged = {**(before.to_dict() if hasattr(before, "to_dict") else dict(before)), **settings}
    spec.config[part] = merged
    return spec


def emotion_curve(
    frame: pl.DataFrame,
    stage_order: Sequence[str],
    labels: Mapping[str, str],
    kind_labels: Mapping[str, str],
    right_to_left: bool = False,
    stage_axis: alt.Axis | None = None,
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
    stage_order = _sorted_labels(pl.Series(list(stage_order), dtype=pl.String))
    x_sort = list(reversed(stage_order)) if right_to_left else list(stage_order)
    base = alt.Chart(_data(scored)).encode(
        x=alt.X("stage:N", sort=x_sort, title=None if stage_axis else labels["stage"],
                axis=stage_axis or alt.Axis(labelAngle=0, labelLimit=160)),
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


EMOTION_TINTS = {-2: "#F3C9A9", -1: "#F9E3D2", 0: "#FFFFFF", 1: "#D6EFE6", 2: "#ADDFCC"}
CANVAS_STAGE_WIDTH = 170
CANVAS_LINE_HEIGHT = 17


def journey_canvas(
    cells: pl.DataFrame,
    curve: pl.DataFrame,
    stage_order: Sequence[str],
    labels: Mapping[str, str],
    kind_labels: Mapping[str, str],
    right_to_left: bool = False,
) -> alt.VConcatChart:
    """The journey map as one picture: the emotion curve on top and the lanes (goal,
    touchpoints, channels...) below, every stage one column shared by all of them.

    ``cells`` comes from :func:`cxlib.steps.journeys.canvas_cells`; ``curve`` and
    ``labels`` are those of :func:`emotion_curve`.
    """
    stages = _sorted_labels(pl.Series(list(stage_order), dtype=pl.String))  # as the curve shortens them
    x_sort = list(reversed(stages)) if right_to_left else stages
    cells = cells.with_columns(short_labels(cells["stage"]), short_labels(cells["lane"]))
    width = max(CANVAS_STAGE_WIDTH * len(stage_order), 480)
    stage_axis = alt.Axis(orient="top", labelAngle=0, labelLimit=CANVAS_STAGE_WIDTH - 10, labelFontWeight="bold",
                          domain=False, ticks=False)
    top = emotion_curve(curve, stage_order, labels, kind_labels, right_to_left, stage_axis).properties(
        width=width, height=220, title="")
    lanes = []
    for lane_order, lane in cells.select("lane_order", "lane").unique().sort("lane_order").iter_rows():
        part = cells.filter(pl.col("lane_order") == lane_order)
        part = part.with_columns(pl.col("text").str.split("\n").list.get(number, null_on_oob=True).fill_null("")
                                 .alias(f"line_{number}") for number in range(int(part["lines"].max())))
        height = CANVAS_LINE_HEIGHT * int(part["lines"].max()) + 14
        base = alt.Chart(part.to_pandas()).encode(
            x=alt.X("stage:N", sort=x_sort, title=None, axis=None),
            y=alt.Y("lane:N", title=None, axis=alt.Axis(labelFontWeight="bold", labelLimit=160, ticks=False,
                                                        domain=False, orient="right" if right_to_left else "left")))
        fill = (alt.Color("emotion:O", scale=alt.Scale(domain=list(EMOTION_TINTS), range=list(EMOTION_TINTS.values())),
                          legend=None) if part["emotion"].is_not_null().any() else alt.value("#FFFFFF"))
        boxes = base.mark_rect(stroke="#B8B8B8", strokeWidth=1).encode(color=fill)
        # One text mark per line, the first at the top of its cell (the band's middle is
        # height / 2 below it): vl-convert (the report's PNG and PDF charts) draws a
        # right-to-left text of several lines on top of itself, one line at a time it is right.
        words = [base.mark_text(baseline="top", dy=7 - height / 2 + CANVAS_LINE_HEIGHT * number, fontSize=12,
                                limit=CANVAS_STAGE_WIDTH - 8).encode(text=f"line_{number}:N")
                 for number in range(int(part["lines"].max()))]
        lanes.append(alt.layer(boxes, *words).properties(width=width, height=height))
    title = alt.TitleParams(labels["title"], anchor="end" if right_to_left else "start")
    return alt.vconcat(top, *lanes, spacing=0, title=title).resolve_scale(
        x="shared", color="independent", strokeDash="independent")


def bars(frame: pl.DataFrame, category: str, value: str, labels: Mapping[str, str],
         value_format: str = ",.0f") -> alt.Chart:
    """One bar per row (scenarios, cases), value labelled on the bar."""
    data = _data(frame.select(category, value))
    whole = value_format.endswith("0f") or value_format == "d"
    base = alt.Chart(data).encode(
        y=alt.Y(f"{category}:N", sort=None, title=labels["category"], axis=alt.Axis(labelLimit=360)),
        x=alt.X(f"{value}:Q", title=labels["value"],
                axis=alt.Axis(tickMinStep=1, format=",d") if whole else alt.Axis()),
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
    lines = alt.Chart(_data(data)).mark_line(strokeWidth=3).encode(
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
    data = _data(frame.with_columns(
        pl.col("factor").replace_strict(factor_labels, default=pl.col("factor")).alias("factor_label")
    ))
    names = list(dict.fromkeys(_sorted_labels(frame.sort("is_us", descending=True, maintain_order=True)["name"])))
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
        frame = frame.with_columns(written_column(frame["name"], name_label))
    data = _data(frame)
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


# Ticks of a time axis by what one point stands for: monthly series get one tick per month
# (never "Mon 17" between months), weekly series one per week.
TIME_TICKS = {"month": ({"interval": "month", "step": 1}, "%b %Y"),
              "week": ({"interval": "week", "step": 1}, "%d %b")}


def _time_axis(frame: pl.DataFrame, column: str, title: str,
               date_label: Callable[[date], str] | None, period: str = "month") -> tuple[pl.DataFrame, alt.X, alt.Tooltip]:
    """A time axis: Vega's own (dates in the chart locale, a tick per ``period``), or, when
    ``date_label`` is given (the Solar Hijri calendar), one labelled step per date in time order."""
    if date_label is None:
        ticks, label_format = TIME_TICKS[period]
        axis = alt.Axis(tickCount=ticks, format=label_format, labelAngle=0, labelOverlap="greedy")
        return (frame, alt.X(f"{column}:T", title=title, axis=axis),
                alt.Tooltip(f"{column}:T", title=title, format=label_format))
    frame = frame.sort(column)
    frame = frame.with_columns(written_column(frame[column], date_label).alias(f"{column}_label"))
    order = list(dict.fromkeys(frame[f"{column}_label"].to_list()))
    # Many long labels (Armenian month names) slant rather than overlap.
    axis = alt.Axis(labelAngle=0 if len(order) <= 6 else -40, labelOverlap=True, labelLimit=140)
    return (frame, alt.X(f"{column}_label:O", sort=order, title=title, axis=axis),
            alt.Tooltip(f"{column}_label:N", title=title))


def mention_volume(frame: pl.DataFrame, labels: Mapping[str, str],
                   date_label: Callable[[date], str] | None = None) -> alt.Chart:
    """Mentions per week, one line per brand (``date_label``: see :func:`_time_axis`)."""
    frame, x, when = _time_axis(frame, "date", labels["date"], date_label, "week")
    return (
        alt.Chart(_data(frame))
        .mark_line(point=True, strokeWidth=3)
        .encode(
            x=x,
            y=alt.Y("mentions:Q", title=labels["mentions"]),
            color=alt.Color("brand:N", title=labels["brand"]),
            tooltip=["brand:N", when, alt.Tooltip("mentions:Q", title=labels["mentions"])],
        )
        .properties(title=labels["title"], width="container", height=300)
    )


def kpi_trend_data(frame: pl.DataFrame, date_label: Callable[[date], str] | None = None) -> tuple[object, tuple]:
    """What :func:`kpi_trend` of ``frame`` draws as its data (the chart's one dataset),
    and what else of the chart depends on the data: the order of the months' labels
    (with ``date_label``; empty without). Two frames with the same labels' order give
    the same chart but for the dataset, so a cached chart can take new data
    (:func:`ui.show.spec_with_data`)."""
    frame, _, _ = _time_axis(frame, "month", "", date_label)
    order = tuple(dict.fromkeys(frame["month_label"].to_list())) if date_label is not None else ()
    return _data(frame), order


def kpi_bars_data(frame: pl.DataFrame) -> object:
    """What :func:`kpi_bars` of ``frame`` draws as its data; nothing else of that chart
    depends on the data."""
    return _data(frame)


def kpi_trend(frame: pl.DataFrame, labels: Mapping[str, str],
              date_label: Callable[[date], str] | None = None) -> alt.Chart:
    """A KPI per month: the line, its 95% interval as a band, n in the tooltip
    (``date_label``: see :func:`_time_axis`)."""
    frame, x, when = _time_axis(frame, "month", labels["month"], date_label)
    base = alt.Chart(_data(frame)).encode(x=x)
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
    data = _data(frame)
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
    long = long.drop_nulls("share").sort("cohort")
    long = long.with_columns(pl.col("period").cast(pl.Int64),
                             written_column(long["cohort"], month_label or (lambda day: day.strftime("%Y-%m"))))
    base = alt.Chart(_data(long)).encode(
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


# Type read from 4 m on a 1920×1080 projector: axis labels and legends at 18 px, titles larger.
PROJECTOR_SIZES = {"label": 18, "title": 20, "chart_title": 26}


def for_projector(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    """The chart with type large enough for a shared screen (axis titles padded clear of
    their labels)."""
    sizes = PROJECTOR_SIZES
    chart = _configured(chart, "axis", labelFontSize=sizes["label"], titleFontSize=sizes["title"], titlePadding=14,
                        labelLimit=320)
    chart = _configured(chart, "legend", labelFontSize=sizes["label"], titleFontSize=sizes["title"], symbolSize=180)
    chart = _configured(chart, "title", fontSize=sizes["chart_title"])
    return _configured(chart, "text", fontSize=sizes["label"])
