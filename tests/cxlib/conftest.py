"""The library's tests run on both backends: every test that uses a database (the
``db_path``/``store`` fixtures) runs once on SQLite and once on PostgreSQL, unless it is
marked ``sqlite_only`` (it opens the SQLite file itself, or tests SQLite's own behaviour).
The report's tests stay on SQLite: they draw charts and PDFs from data the store tests
already read back on both (and a PDF costs seconds, twice)."""

from __future__ import annotations

from pathlib import Path

import pytest

SQLITE_ONLY_FOLDERS = {"report"}


def pytest_generate_tests(metafunc):
    if "backend" in metafunc.fixturenames:
        folder = Path(str(metafunc.definition.fspath)).parent.name
        if metafunc.definition.get_closest_marker("sqlite_only") or folder in SQLITE_ONLY_FOLDERS:
            backends = ["sqlite"]
        elif metafunc.definition.get_closest_marker("postgres_only"):
            backends = ["postgres"]
        else:
            backends = ["sqlite", "postgres"]
        metafunc.parametrize("backend", backends, indirect=True)
