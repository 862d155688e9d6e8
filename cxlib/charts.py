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
