"""A database that cannot be used (here: a PostgreSQL server nobody runs) is one sentence on
the page, in the visitor's language, and nothing else runs: no traceback."""

from __future__ import annotations

import socket

from apptest_helpers import open_page


def test_unreachable_database_is_said_in_words(monkeypatch):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        monkeypatch.setenv("CXW_DB", f"postgresql://cx:secret@127.0.0.1:{port}/cx")
        at = open_page("home", query={"lang": "pl"}, session={"cx_lang": "pl"})
    assert not at.exception
    assert len(at.error) == 1
    message = at.error[0].value
    # The driver's reason is shown as text (escaped for Markdown), without the password.
    assert message.startswith("Nie można użyć bazy danych skoroszytu: cannot connect to PostgreSQL at postgresql")
    assert r"cx:\*\*\*@127\.0\.0\.1" in message and "secret" not in message
    assert message.endswith("a potem odśwież stronę.")
