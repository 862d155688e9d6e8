"""The library's tests run on both backends: every test that uses a database (the
``db_path``/``store`` fixtures) runs once on SQLite and once on PostgreSQL, unless it is
marked ``sqlite_only`` (it opens the SQLite file itself, or tests SQLite's own behaviour)."""

from __future__ import annotations

import pytest


def pytest_generate_tests(metafunc):
    if "backend" in metafunc.fixturenames:
        only = metafunc.definition.get_closest_marker("sqlite_only")
        metafunc.parametrize("backend", ["sqlite"] if only else ["sqlite", "postgres"], indirect=True)
