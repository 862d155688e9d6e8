"""HTTP tests run against the real server (``streamlit run serve.py``), as the browser tests do."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))  # httpkit
from browserkit import AppServer  # noqa: E402  (the browser tests' server starter; tests/browser is on the path)


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[AppServer]:
    app = AppServer(tmp_path_factory.mktemp("web") / "workbook.db")
    app.start()
    yield app
    app.stop()
