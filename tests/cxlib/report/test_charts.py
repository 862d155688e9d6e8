"""Chart builders return altair charts with as-is and to-be overlaid."""

from cxlib.report import charts
from cxlib.steps import journeys, personas


def test_emotion_curve_overlays_as_is_and_to_be(store, demo_workbook):
    maya = personas.list_personas(store, demo_workbook["id"])[1]
    frame = journeys.emotion_frame(store, demo_workbook["id"], maya["id"])
    assert frame.height, "the demo maps Maya's journey"
    labels = {k: k.upper() for k in ("title", "stage", "emotion", "journey", "pain_points")}
    chart = charts.emotion_curve(
        frame, journeys.stage_order(frame), labels, {"as_is": "AS", "to_be": "TO", "target": "GOAL"}
    )
    spec = chart.to_dict()
    values = [row for rows in spec["datasets"].values() for row in rows if row]
    # The demo sets target emotions in step 8: they are drawn as a third line.
    assert {row["kind_label"] for row in values} == {"AS", "TO", "GOAL"}
    assert spec["title"] == {"text": "TITLE", "anchor": "start"}
    rtl = charts.emotion_curve(frame, ["a", "b"], labels, {"as_is": "AS", "to_be": "TO"}, right_to_left=True).to_dict()
    # Right to left: stages run from the right, the emotion axis and title stand on the right.
    encoding = rtl["layer"][1]["layer"][0]["encoding"]
    assert encoding["x"]["sort"] == ["b", "a"]
    assert encoding["y"]["axis"]["orient"] == "right" and encoding["color"]["legend"]["orient"] == "left"
    assert rtl["title"]["anchor"] == "end"


def test_solar_hijri_time_axes_are_labelled_steps_in_time_order():
    from datetime import date

    import polars as pl

    from cxlib.l10n.formats import Formatter

    fmt = Formatter("fa", "persian")
    frame = pl.DataFrame({"month": [date(2026, 4, 1), date(2026, 3, 1)], "value": [40.0, 30.0],
                          "ci_low": [35.0, 25.0], "ci_high": [45.0, 35.0], "n": [80, 70]})
    labels = {"value": "NPS", "month": "M", "title": "T"}
    spec = charts.kpi_trend(frame, labels, fmt.month).to_dict()
    x = spec["layer"][0]["encoding"]["x"]
    assert x["field"] == "month_label" and x["sort"] == ["اسفند ۱۴۰۴", "فروردین ۱۴۰۵"]
    assert charts.kpi_trend(frame, labels).to_dict()["layer"][0]["encoding"]["x"]["type"] == "temporal"
    cohorts = pl.DataFrame({"cohort": [date(2026, 3, 1)], "size": [10], "0": [1.0], "1": [0.5]})
    heat = charts.cohort_heatmap(cohorts, {"period": "P", "cohort": "C", "share": "S"}, fmt.month).to_dict()
    rows = [r for rows in heat["datasets"].values() for r in rows]
    assert {r["cohort"] for r in rows} == {"اسفند ۱۴۰۴"}
