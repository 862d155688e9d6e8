"""Grid number cells read the language's decimal separator, or refuse what they cannot read.

Regression for issue #16: in Polish and Armenian a grid number cell took ``12,5`` as
``125`` (the browser's number editor dropped the comma) and saved it without a word.
Number columns are now text cells read by the app, in every language.
"""

import json

import pytest
from apptest_helpers import open_page
from pagekit import assert_clean

from cxlib.steps import automation

IDEA = {"name": "Auto-reply", "kind": "auto_reply", "volume": 3, "pain": 2, "feasibility": 5, "effort": 1}


def add_idea(at, hours: str):
    at.session_state["cx_automations_0"] = {"edited_rows": {}, "deleted_rows": [],
                                            "added_rows": [IDEA | {"response_hours_now": hours}]}
    at.run()
    at.button(key="cx_automations_save").click().run()
    return at


def hours_column_type(at) -> str:
    """The cell type the browser is told to draw for the hours column."""
    editor = next(e for e in at.dataframe if "response_hours_now" in e.proto.columns)
    return json.loads(editor.proto.columns)["response_hours_now"]["type_config"]["type"]


@pytest.mark.parametrize(("language", "typed"), [("pl", "12,5"), ("hy", "12,5"), ("fa", "۱۲٫۵"), ("fa", "۱۲/۵"),
                                                 ("en", "12.5")])
def test_a_decimal_typed_the_language_way_is_saved_as_typed(app_store, empty_id, language, typed):
    at = open_page("automation", {"wb": str(empty_id), "lang": language})
    assert hours_column_type(at) == "text"  # the app reads the typed text, not the browser's number editor
    add_idea(at, typed)
    assert_clean(at)
    (saved,) = automation.list_items(app_store, empty_id)
    assert saved["response_hours_now"] == 12.5


@pytest.mark.parametrize("language", ["pl", "hy", "fa", "en"])
def test_a_cell_that_is_not_a_number_is_refused_naming_row_and_column(app_store, empty_id, language):
    at = open_page("automation", {"wb": str(empty_id), "lang": language})
    add_idea(at, "12,5,3")
    assert at.error, "refused with a message"
    assert automation.list_items(app_store, empty_id) == []
