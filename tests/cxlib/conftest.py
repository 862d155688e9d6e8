"""The library's tests run on both backends: every test that uses a database (the
``db_path``/``store`` fixtures) runs once on SQLite and once on PostgreSQL, unless it is
marked ``sqlite_only`` (it opens the SQLite file itself, or tests SQLite's own behaviour)."""

from __future__ import annotations

import pytest


def pytest_generate_tests(metafunc):
    if "backend" in metafunc.fixturenames:
        if metafunc.definition.get_closest_marker("sqlite_only"):
            backends = ["sqlite"]
        elif metafunc.definition.get_closest_marker("postgres_only"):
            backends = ["postgres"]
        else:
            backends = ["sqlite", "postgres"]
        metafunc.parametrize("backend", backends, indirect=True)
