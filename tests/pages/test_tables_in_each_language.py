"""Read-only tables write every number the language's way: no raw floats, no ``None``,
shares as percentages (issue #16: ``0.5241`` and ``None`` in Polish and Armenian)."""

import re

import pytest
from apptest_helpers import open_page
from pagekit import assert_clean

from cxlib.demo import build as demo
from cxlib.l10n.formats import Formatter

RAW_FLOAT = re.compile(r"\d[.,٫]\d{4,}")  # more decimals than any table shows (model parameters: 3)


@pytest.fixture
def demo_in(app_store, demo_id):
    """The demo workbook made in a language (the English one is there from the first run)."""
    return lambda language: demo_id if language == "en" else demo.create_demo(app_store, language)["id"]


def cells(at) -> list[str]:
    """Every cell of the page's tables and grids as shown; an empty grid cell shows the
    grid's placeholder (a dash), which the browser draws instead of "None"."""
    shown = []
    for frame in at.dataframe:
        values = [str(value) for value in frame.value.to_numpy().ravel().tolist()]
        if frame.proto.placeholder:
            values = [frame.proto.placeholder if v in ("None", "nan", "NaT", "<NA>") else v for v in values]
        shown += values
    return shown


@pytest.mark.parametrize("language", ["pl", "hy", "fa", "en"])
@pytest.mark.parametrize("page", ["listening", "whatif", "automation", "metrics"])
def test_tables_show_numbers_the_language_way(demo_in, language, page):
    at = open_page(page, {"wb": str(demo_in(language)), "lang": language})
    assert_clean(at)
    shown = cells(at)
    assert shown, "the page shows a table"
    assert [c for c in shown if RAW_FLOAT.search(c)] == []
    assert [c for c in shown if c in ("None", "nan", "null")] == []


@pytest.mark.parametrize("language", ["pl", "hy", "fa", "en"])
def test_share_of_voice_is_a_percentage(demo_in, language):
    at = open_page("listening", {"wb": str(demo_in(language)), "lang": language})
    percent = Formatter(language).percent_symbol
    share_column = at.dataframe[0].value.iloc[:, -1].tolist()
    assert share_column and all(cell.rstrip("\u2069").endswith(percent) for cell in share_column)
