"""Page tests run the real frame (see tests/apptest_helpers.py) on a fresh database."""

from __future__ import annotations

import pytest


from cxlib.demo import build as demo
from cxlib.storage import workbooks
from cxlib.storage.store import Store


@pytest.fixture
def app_store(db_path) -> Store:
    """The database the app will open, with the demo in it as on a first run."""
    store = Store(db_path)
    demo.ensure_demo(store)
    return store


@pytest.fixture
def demo_id(app_store) -> int:
    return workbooks.list_workbooks(app_store)[0]["id"]


@pytest.fixture
def empty_id(app_store) -> int:
    return workbooks.create_workbook(app_store, "Empty", "tester")["id"]


def assert_clean(at) -> None:
    """No exception and no error box on the page."""
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def undo_button(at):
    """The sidebar's Undo button (its key carries the id of the change it names)."""
    return next(b for b in at.sidebar.button if (b.key or "").startswith("cx_undo_"))


def shown(markdown: str) -> str:
    """Markdown source as a reader sees it: backslash escapes (user text is escaped so it
    shows as typed, see cxlib.report.inert) removed."""
    import re

    return re.sub(r"\\(.)", r"\1", markdown)
