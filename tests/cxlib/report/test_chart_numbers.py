"""Chart numbers follow the locale, drawn by Vega itself (vl-convert renders the SVG):
Polish groups from five digits (CLDR minimum grouping digits 2: 1500 but 15 000) on
axes, on bars and in tooltips; Persian writes its own digits and separators."""

import re

import altair as alt
import polars as pl
import pytest
import vl_convert

from cxlib.l10n.formats import Formatter
from cxlib.report import charts

VALUES = [-1500.0, 3000.4, 25000.0]


def _drawn(chart: alt.TopLevelMixin) -> list[str]:
    """Every piece of text in the rendered SVG."""
    svg = vl_convert.vegalite_to_svg(chart.to_dict())
    return [text.replace("&#160;", "\xa0") for text in re.findall(r"<text[^>]*>([^<]*)</text>", svg)]


def _axis_chart(language: str, projector: bool = False) -> alt.TopLevelMixin:
    frame = pl.DataFrame({"name": ["a", "b", "c"], "value": VALUES}).to_pandas()
    chart = alt.Chart(frame).mark_point().encode(x="name:N", y=alt.Y("value:Q", scale=alt.Scale(domain=[-4000, 26000]),
                                                           axis=alt.Axis(values=[-4000, -2000, 0, 2000, 10000, 26000])))
    chart = charts.localised(chart, Formatter(language), language == "fa")
    return charts.for_projector(chart) if projector else chart


@pytest.mark.parametrize("projector", [False, True])
def test_polish_axes_group_from_five_digits(projector):
    drawn = _axis_chart("pl", projector)
    labels = _drawn(drawn)
    assert "2000" in labels and "−2000" in labels and "−4000" in labels
    assert "10\xa0000" in labels and "26\xa0000" in labels
    assert not [label for label in labels if re.fullmatch(r"[−-]?\d\xa0\d{3}", label)]


def test_persian_axes_keep_persian_digits_separators_and_minus():
    labels = _drawn(_axis_chart("fa"))
    assert "۲٬۰۰۰" in labels and "−۲٬۰۰۰" in labels and "۲۶٬۰۰۰" in labels
    assert not [label for label in labels if re.search(r"[0-9]", label)]


def test_english_and_armenian_axes_are_left_as_vega_writes_them():
    assert "2,000" in _drawn(_axis_chart("en"))
    assert "axisQuantitative" not in _axis_chart("en").to_dict()["config"]
    assert "axisQuantitative" not in _axis_chart("hy").to_dict()["config"]


def test_numbers_on_bars_and_in_tooltips_follow_the_same_rule():
    frame = pl.DataFrame({"name": ["a", "b", "c"], "clv": [1500.0, 3000.4, 25000.0]})
    bars = charts.bars(frame, "name", "clv", {"category": "Scenario", "value": "CLV", "title": "T"})
    polish = charts.localised(bars.properties(width=500), Formatter("pl"))
    labels = _drawn(polish)
    assert {"1500", "3000", "25\xa0000", "8000", "10\xa0000"} <= set(labels)
    spec = polish.to_dict()
    expressions = [step["calculate"] for layer in spec["layer"] for step in layer.get("transform", [])]
    assert expressions and all("format(datum[\"clv\"], \",.0f\")" in e for e in expressions)
    tooltip = spec["layer"][0]["encoding"]["tooltip"]
    assert [item["title"] for item in tooltip] == ["Scenario", "CLV"] and tooltip[1]["type"] == "nominal"
    persian = _drawn(charts.localised(bars.properties(width=500), Formatter("fa"), True))
    assert {"۱٬۵۰۰", "۳٬۰۰۰", "۲۵٬۰۰۰"} <= set(persian)


def test_polish_number_label_expression():
    expression = Formatter("pl").vega_number_label()
    assert expression.startswith("replace(datum.label, regexp('^([-−+]?[0123456789]{1,1})[\xa0]")
    assert Formatter("en").vega_number_label() is None and Formatter("fa").vega_number_label() is None


def test_projector_sizes_keep_the_right_to_left_legend_and_title():
    config = _axis_chart("fa", projector=True).to_dict()["config"]
    assert config["legend"]["orient"] == "left" and config["title"]["anchor"] == "end"
    assert config["legend"]["symbolSize"] == 180 and config["title"]["fontSize"] > 0


def test_a_legend_of_numbers_follows_the_same_rule():
    frame = pl.DataFrame({"name": ["a", "b", "c"], "value": VALUES, "size": [0.0, 5000.0, 25000.0]}).to_pandas()
    chart = alt.Chart(frame).mark_point().encode(x="name:N", y="value:Q", color="size:Q",
                                                 size=alt.Size("size:Q", legend=alt.Legend(title="Size")))
    labels = _drawn(charts.localised(chart, Formatter("pl")))
    assert "Size" in labels and "10\xa0000" in labels and ("5000" in labels or "4000" in labels)
    assert not [label for label in labels if re.fullmatch(r"\d\xa0\d{3}", label)]
