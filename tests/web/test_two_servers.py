"""Two app servers (``streamlit run serve.py``) on one PostgreSQL database: what reaches one
is seen by the other at once: an answer stored through server A is a duplicate for server B,
copies of one delivery sent to both at the same moment are stored once, and a survey closed
through the library is closed on both."""

from __future__ import annotations

import threading

import pytest
from browserkit import AppServer
from httpkit import Client

from cxlib.steps import feedback, webhooks
from cxlib.storage import workbooks
from cxlib.storage.store import Store

URL = "/api/answers/generic"
ANSWER = {"score": 9, "metric": "nps", "customer": "C-7"}


@pytest.fixture(scope="module")
def servers(tmp_path_factory, pg_server, pg_template):
    import pgcluster
    from cxlib.storage import postgres

    name = "cxw_two_servers"
    pgcluster.create_database(pg_server.url(), name, template=pg_template)
    url = pg_server.url(name)
    folder = tmp_path_factory.mktemp("two")
    pair = [AppServer(url, log=folder / f"server-{n}.log") for n in "ab"]
    for server in pair:
        server.start()
    yield url, pair
    for server in pair:
        server.stop()
    postgres.close_pool(url)
    pgcluster.drop_database(pg_server.url(), name)


def test_what_one_server_stores_the_other_sees(servers):
    url, (a, b) = servers
    store = Store(url)
    workbook = workbooks.create_workbook(store, "Two servers", "tester")
    _, token = webhooks.create_token(store, workbook["id"], "tests", "tester")
    first = Client(a.url).post_json(URL, ANSWER, token, key="order-1")
    assert first.status == 201
    again = Client(b.url).post_json(URL, ANSWER, token, key="order-1")
    assert (again.status, again.json()) == (200, {"id": first.json()["id"], "duplicate": True})
    # The same delivery sent to both servers at the same moment, ten times over: stored once each.
    results = []

    def send(server, key):
        results.append((key, Client(server.url).post_json(URL, ANSWER, token, key=key).json()["id"]))

    threads = [threading.Thread(target=send, args=(server, f"both-{n}")) for n in range(10) for server in (a, b)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    by_key: dict[str, set[int]] = {}
    for key, stored in results:
        by_key.setdefault(key, set()).add(stored)
    assert len(results) == 20 and all(len(ids) == 1 for ids in by_key.values())
    assert feedback.counts(store, workbook["id"])["responses"] == 11
    assert a.errors() == "" and b.errors() == ""
    store.close()


def test_health_route_says_the_database_answers(servers):
    _, pair = servers
    for server in pair:
        answer = Client(server.url).request("GET", "/healthz")
        assert (answer.status, answer.body) == (200, b"ok")
