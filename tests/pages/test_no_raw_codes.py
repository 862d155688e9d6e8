"""Codes stay behind the screen (issue #16): channels, teams, metrics and the demo's
author are shown in the reader's words."""

import re

import pytest
from apptest_helpers import open_page
from pagekit import assert_clean

from cxlib.demo import build as demo
from cxlib.l10n import i18n

CODES = re.compile(r">(email|web|social|phone|marketing|product|support|operations|success)<")


@pytest.mark.parametrize("language", ["pl", "hy", "fa"])
def test_journey_map_names_channels_and_teams(app_store, language):
    workbook_id = demo.create_demo(app_store, language)["id"]
    at = open_page("journeys", {"wb": str(workbook_id), "lang": language})
    assert_clean(at)
    swimlane = next(h.proto.body for h in at.get("html") if "cxw-swimlane" in h.proto.body)
    assert CODES.findall(swimlane) == []
    assert i18n.t("channel.web", language) in swimlane or i18n.t("channel.email", language) in swimlane


@pytest.mark.parametrize("language", ["pl", "hy", "fa"])
def test_follow_ups_name_the_metric_and_undo_names_the_demo_in_words(app_store, language):
    workbook_id = demo.create_demo(app_store, language)["id"]
    at = open_page("feedback", {"wb": str(workbook_id), "lang": language})
    assert_clean(at)
    grid = next(frame.value for frame in at.dataframe if frame.value.shape[1] == 8)  # the follow-up list
    assert set(grid.iloc[:, 1]) <= {i18n.t(f"metrics.name.{m}", language) for m in ("nps", "csat", "ces")}
    undo = next(b.label for b in at.sidebar.button if (b.key or "").startswith("cx_undo"))
    assert "demo" not in undo and i18n.t("frame.demo_user", language) in undo
