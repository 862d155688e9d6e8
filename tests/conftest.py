"""Shared fixtures: a real SQLite file in a temporary folder for every test."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from cxlib.demo import build as demo
from cxlib.storage import workbooks
from cxlib.storage.store import Store


@pytest.fixture
def db_path(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "workbook.db"
    monkeypatch.setenv("CXW_DB", str(path))
    return path


@pytest.fixture
def store(db_path) -> Store:
    store = Store(db_path)
    yield store
    store.close()


@pytest.fixture
def workbook(store) -> dict:
    return workbooks.create_workbook(store, "Test workbook", "tester")


@pytest.fixture
def demo_workbook(store) -> dict:
    return demo.create_demo(store)
