"""Chart builders: each returns an altair chart, so the app, a notebook and the report
draw the same picture. Titles and labels arrive already translated."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import altair as alt
import polars as pl

# Colour-blind-safe pair (Okabe–Ito): as-is orange, to-be blue.
KIND_COLOURS = {"as_is": "#E69F00", "to_be": "#0072B2"}


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
    domain = [kind_labels[k] for k in KIND_COLOURS]
    x_sort = list(reversed(stage_order)) if right_to_left else list(stage_order)
    base = alt.Chart(scored.to_pandas()).encode(
        x=alt.X("stage:N", sort=x_sort, title=labels["stage"], axis=alt.Axis(labelAngle=0, labelLimit=160)),
        y=alt.Y(
            "emotion:Q",
            title=labels["emotion"],
            scale=alt.Scale(domain=[-2.2, 2.2]),
            axis=alt.Axis(values=[-2, -1, 0, 1, 2], format="+d"),
        ),
        color=alt.Color(
            "kind_label:N",
            title=labels["journey"],
            scale=alt.Scale(domain=domain, range=list(KIND_COLOURS.values())),
        ),
        detail="journey:N",
        tooltip=[
            alt.Tooltip("journey:N", title=labels["journey"]),
            alt.Tooltip("stage:N", title=labels["stage"]),
            alt.Tooltip("emotion:Q", title=labels["emotion"], format="+d"),
            alt.Tooltip("pain_points:N", title=labels["pain_points"]),
        ],
    )
    zero = alt.Chart().mark_rule(color="#888", strokeDash=[4, 4]).encode(y=alt.datum(0))
    lines = base.mark_line(strokeWidth=3) + base.mark_point(size=120, filled=True)
    return (zero + lines).properties(title=labels["title"], height=320, width="container")


def bars(frame: pl.DataFrame, category: str, value: str, labels: Mapping[str, str],
         value_format: str = ",.0f") -> alt.Chart:
    """One bar per row (scenarios, cases), value labelled on the bar."""
    data = frame.select(category, value).to_pandas()
    base = alt.Chart(data).encode(
        y=alt.Y(f"{category}:N", sort=None, title=labels["category"]),
        x=alt.X(f"{value}:Q", title=labels["value"]),
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
