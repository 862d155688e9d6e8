"""Projector mode: type and charts sized for a shared screen, on any page and always in the
presenter view (checked in the style and the chart specs the page sends)."""

import json

from apptest_helpers import open_page
from pagekit import assert_clean

from cxlib.report import charts


def chart_configs(at) -> list[dict]:
    return [json.loads(chart.proto.spec).get("config", {}) for chart in at.get("vega_lite_chart")]


def projector_style_on(at) -> bool:
    return any("font-size: 22px" in h.value for h in at.html)


def test_projector_mode_scales_type_and_chart_labels_on_a_step_page(app_store, demo_id):
    at = open_page("metrics", {"wb": str(demo_id), "screen": "projector"})
    assert_clean(at)
    assert at.toggle(key="cx_projector").value and projector_style_on(at)
    configs = chart_configs(at)
    assert configs, "the dashboard draws charts"
    for config in configs:
        assert config["axis"]["labelFontSize"] >= 16 and config["axis"]["titleFontSize"] >= 16
        assert config["title"]["fontSize"] >= charts.PROJECTOR_SIZES["chart_title"]


def test_without_projector_mode_charts_keep_their_size(app_store, demo_id):
    at = open_page("metrics", {"wb": str(demo_id)})
    assert not projector_style_on(at)
    assert all("labelFontSize" not in config.get("axis", {}) for config in chart_configs(at))
    at.toggle(key="cx_projector").set_value(True).run()
    assert projector_style_on(at) and at.query_params["screen"] == "projector"


def test_the_presenter_view_is_always_in_projector_mode(app_store, demo_id):
    at = open_page("workshop", {"wb": str(demo_id)})
    assert_clean(at)
    assert projector_style_on(at)
