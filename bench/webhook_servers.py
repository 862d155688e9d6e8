"""The webhook ingest on one server and on two servers behind the proxy (issue #20).

Three set-ups, in turns within each run, each on a fresh database with one workbook and one
token: one server on SQLite (the default; the reference), one server on PostgreSQL, and two
servers on one PostgreSQL behind ``deploy/nginx.conf`` run by Debian's nginx (the deliveries
carry no cookie, so nginx spreads them over both servers). Each posts ``--answers`` answers
from ``--clients`` concurrent clients with ``--retry-share`` of the deliveries sent twice
(``bench.webhook_load``'s stream and clients, no dashboard watching), and the clock runs from
the first request to the last answer. Rates come from the answers counted in the database
afterwards (0 lost and 0 duplicated is checked), not from the number sent.

Usage: python -m bench.webhook_servers [--answers 10000] [--clients 16] [--retry-share 0.1] [--runs 5]
"""

from __future__ import annotations

import argparse
import http.client
import os
import shutil
import statistics
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench.webhook_load import deliveries, post_all
from cxlib.steps import webhooks
from cxlib.storage import postgres, workbooks
from cxlib.storage.store import Store

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "browser"))
sys.path.insert(0, str(ROOT / "tests"))

from browserkit import AppServer, free_port  # noqa: E402
from proxykit import CONFIG, NGINX, Proxy, render  # noqa: E402

NO_LIMIT = {"CXW_RATE_WEBHOOK": "off"}  # every bench client posts from 127.0.0.1
SETUPS = ("SQLite, one server", "PostgreSQL, one server", "PostgreSQL, two servers behind nginx")


@contextmanager
def setup(name: str, folder: Path, pg_server, run: int) -> Iterator[tuple]:
    """(port to post to, token, database, workbook id, servers, proxy) of a fresh set-up;
    stopped and dropped afterwards."""
    import pgcluster

    work = Path(tempfile.mkdtemp(prefix="cxw-bench-", dir=folder))
    work.chmod(0o755)  # nginx's workers (nobody) write their temp files here
    if name.startswith("SQLite"):
        database = str(work / "bench.db")
    else:
        database_name = f"bench_{run}_{len(name)}"
        pgcluster.create_database(pg_server.url(), database_name)
        database = pg_server.url(database_name)
    store = Store(database)
    workbook = workbooks.create_workbook(store, "Load test", "bench")
    _, token = webhooks.create_token(store, workbook["id"], "bench", "bench")
    store.close()
    count = 2 if "two servers" in name else 1
    servers = [AppServer(database, env=NO_LIMIT, log=work / f"app{n}.log") for n in range(1, count + 1)]
    proxy = None
    try:
        for server in servers:
            server.start()
        port = servers[0].port
        if count == 2:
            (work / "temp").mkdir()
            proxy = Proxy(work, free_port(), work / "nginx.log")
            (work / "nginx.conf").write_text(render(CONFIG.read_text(), proxy.port,
                                                    {f"app{n}": s.port for n, s in enumerate(servers, start=1)}))
            proxy.start()
            port = proxy.port
        for server in servers:  # the first request imports the webhook's handlers: not on the clock
            warm = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
            warm.request("POST", "/api/answers/generic", b"{}", {"Authorization": f"Bearer {token}",
                                                                 "Content-Type": "application/json"})
            warm.getresponse().read()
        yield port, token, database, workbook["id"], servers, proxy
    finally:
        if proxy:
            proxy.stop()
        for server in servers:
            server.stop()
        if not name.startswith("SQLite"):
            postgres.close_pool(database)
            pgcluster.drop_database(pg_server.url(), database_name)
        shutil.rmtree(work, ignore_errors=True)


def counted(database: str, workbook_id: int) -> tuple[int, int]:
    """(stored answers, distinct delivery keys) of the workbook."""
    store = Store(database)
    try:
        stored = store.rows("select count(*) as n from responses where workbook_id = ?", (workbook_id,))[0]["n"]
        keys = store.rows("select count(distinct key) as d from webhook_deliveries where workbook_id = ?",
                          (workbook_id,))[0]["d"]
    finally:
        store.close()
    return stored, keys


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--retry-share", type=float, default=0.1)
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args(argv)
    if not NGINX.exists():
        sys.exit("Debian's nginx is needed (make nginx, as root)")
    import pgcluster

    stream = deliveries(options.answers, options.retry_share)
    figures: dict[str, list[tuple[float, float, float]]] = {name: [] for name in SETUPS}
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as folder:
        Path(folder).chmod(0o755)
        pg_server = pgcluster.Server().start()
        try:
            for run in range(1, options.runs + 1):
                for name in SETUPS:
                    with setup(name, Path(folder), pg_server, run) as (port, token, database, workbook_id, servers,
                                                                       proxy):
                        latencies, statuses, wall = post_all(port, token, stream, options.clients)
                        stored, keys = counted(database, workbook_id)  # every request has been answered
                        errors = [s.errors() for s in servers if s.errors()]
                        spread = ""
                        if proxy:
                            by_port = [p for _, p, _ in proxy.served("/api/answers")]
                            spread = " (" + " / ".join(f"{by_port.count(s.port):,}" for s in servers) + " requests)"
                    assert not errors, errors[0][-2000:]
                    assert keys == options.answers and stored == options.answers, (name, stored, keys)
                    latencies.sort()
                    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
                    figures[name].append((keys / wall, statistics.median(latencies), p99))
                    print(f"  run {run} {name}: {keys / wall:.0f} answers/s, p50 {statistics.median(latencies) * 1000:.1f} ms, "
                          f"p99 {p99 * 1000:.1f} ms, statuses {dict(sorted(statuses.items()))}{spread}", flush=True)
        finally:
            pg_server.stop()
    print(f"\n## webhook ingest, {options.answers:,} answers + {len(stream) - options.answers:,} retried deliveries, "
          f"{options.clients} clients (medians of {options.runs} runs in turns; load {load:.1f} → {os.getloadavg()[0]:.1f})")
    reference = statistics.median(r for r, _, _ in figures[SETUPS[0]])
    for name in SETUPS:
        rate = statistics.median(r for r, _, _ in figures[name])
        p50 = statistics.median(p for _, p, _ in figures[name]) * 1000
        p99 = statistics.median(p for _, _, p in figures[name]) * 1000
        print(f"{name:<40} {rate:6.0f} answers/s   p50 {p50:6.1f} ms   p99 {p99:6.1f} ms   "
              f"vs SQLite, one server {rate / reference:4.2f}×   0 lost, 0 duplicated")


if __name__ == "__main__":
    main()
