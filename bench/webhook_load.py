"""Webhook under load: 10,000 answers posted by 16 concurrent clients to the real server
(``streamlit run serve.py`` on loopback), some deliveries retried, while browser sessions
watch the live dashboard.

Prints throughput (stored answers per second, and requests per second), p50/p99 latency of
a delivery, and the count check: every answer stored exactly once (0 lost, 0 duplicated)
although a share of deliveries was sent twice. Goal: ≥ 300 answers/s, p99 < 250 ms.

Usage: python -m bench.webhook_load [--answers 10000] [--clients 16] [--retry-share 0.1]
                                    [--watchers 3]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from cxlib.steps import webhooks
from cxlib.storage import workbooks
from cxlib.storage.store import Store

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "browser"))

from browserkit import healthy_within  # noqa: E402 - the browser tests' kit, as bench/browser_dashboard uses it
CHROMIUM = Path("/usr/bin/chromium")
GOAL_RATE, GOAL_P99_MS = 300, 250


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(db_path: Path, port: int, log: Path) -> subprocess.Popen:
    """The app as `make run` starts it, on loopback only, with its own database file and
    no per-address webhook limit."""
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "serve.py", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true"],
        # The per-address webhook limit (CXW_RATE_WEBHOOK, 1,200 a minute) is off: every bench
        # client posts from 127.0.0.1, and the bench measures how fast answers are stored.
        cwd=ROOT, env={**os.environ, "CXW_DB": str(db_path), "CXW_RATE_WEBHOOK": "off"}, stdout=log.open("wb"),
        stderr=subprocess.STDOUT)
    if healthy_within(f"http://127.0.0.1:{port}", 90, 0.3):
        return process
    process.terminate()
    raise RuntimeError(f"the server did not start: {log.read_text()[-2000:]}")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far (Linux ``/proc``)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def descendants(pid: int) -> list[int]:
    """Every process started under ``pid`` (Linux ``/proc``), at this moment."""
    found, todo = [], [pid]
    while todo:
        parent = todo.pop()
        for task in Path(f"/proc/{parent}/task").glob("*"):
            try:
                children = [int(c) for c in (task / "children").read_text().split()]
            except OSError:
                continue
            found += children
            todo += children
    return found


def browsers_cpu(server_pid: int) -> float:
    """CPU time used so far by this bench's Chromium processes (its descendants but the server)."""
    total = 0.0
    for pid in descendants(os.getpid()):
        try:
            if pid != server_pid and "chrom" in Path(f"/proc/{pid}/comm").read_text():
                total += cpu_seconds(pid)
        except OSError:
            pass
    return total


def deliveries(count: int, retry_share: float, seed: int = 7) -> list[tuple[str, bytes]]:
    """(idempotency key, body) for ``count`` answers; ``retry_share`` of them are sent a
    second time later in the stream, as a survey tool retries after a timeout."""
    rng = random.Random(seed)
    metrics = [("nps", 10), ("csat", 5), ("ces", 7)]
    sent = []
    for index in range(count):
        metric, high = metrics[index % 3]
        low = 0 if metric == "nps" else 1
        body = {"score": rng.randint(low, high), "metric": metric, "customer": f"C-{rng.randint(1, 3000)}",
                "touchpoint": rng.choice(["Checkout", "Delivery", "Support chat"]), "comment": "bench"}
        sent.append((f"bench-{index}", json.dumps(body).encode()))
    retries = rng.sample(sent, int(count * retry_share))
    stream = sent + retries
    rng.shuffle(stream)
    return stream


def post_all(port: int, token: str, stream: list[tuple[str, bytes]], clients: int) -> tuple[list[float], dict, float]:
    """Send the stream with ``clients`` concurrent keep-alive connections; latencies (s),
    status counts and the wall time."""
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    cursor = iter(stream)

    def client() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        mine, codes = [], {}
        while True:
            with lock:
                item = next(cursor, None)
            if item is None:
                break
            key, body = item
            start = time.perf_counter()
            connection.request("POST", "/api/answers/generic", body, {**headers, "Idempotency-Key": key})
            answer = connection.getresponse()
            answer.read()
            mine.append(time.perf_counter() - start)
            codes[answer.status] = codes.get(answer.status, 0) + 1
        connection.close()
        with lock:
            latencies.extend(mine)
            for code, n in codes.items():
                statuses[code] = statuses.get(code, 0) + n

    threads = [threading.Thread(target=client) for _ in range(clients)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, statuses, time.perf_counter() - began


def watch(port: int, workbook_id: int, sessions: int, stop: threading.Event, seen: list[str]) -> None:
    """``sessions`` browser tabs on the live dashboard until ``stop`` (Debian's Chromium)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM),
                                             args=["--headless", "--no-sandbox", "--disable-gpu"])
        pages = []
        for _ in range(sessions):
            page = browser.new_page(viewport={"width": 1920, "height": 1080})
            page.goto(f"http://127.0.0.1:{port}/metrics?wb={workbook_id}", timeout=180_000)
            page.wait_for_selector("[data-testid='stMain'] h1", timeout=180_000)
            pages.append(page)
        seen.append("ready")
        while not stop.is_set():
            pages[0].wait_for_timeout(500)
        pages[0].wait_for_timeout(3000)  # the last answers reach the screens
        for page in pages:  # a screen caught mid-rerun is read when its tile is back (or shown as "")
            tile = page.get_by_text("n = ").first
            try:
                tile.wait_for(timeout=15_000)
                seen.append(tile.inner_text())
            except Exception:  # noqa: BLE001  (playwright's timeout: record the empty screen, do not hide the figures)
                seen.append("")
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--retry-share", type=float, default=0.1)
    parser.add_argument("--watchers", type=int, default=3, help="browser sessions on the dashboard (0: none)")
    options = parser.parse_args([] if __name__ != "__main__" else None)

    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as folder:
        db_path = Path(folder) / "workbook.db"
        store = Store(db_path)
        workbook = workbooks.create_workbook(store, "Load test", "bench")
        _, token = webhooks.create_token(store, workbook["id"], "bench", "bench")
        port = _free_port()
        server = start_server(db_path, port, Path(folder) / "server.log")
        watcher, stop, seen = None, threading.Event(), []
        try:
            warm = http.client.HTTPConnection("127.0.0.1", port, timeout=30)  # first request imports the handlers
            warm.request("POST", "/api/answers/generic", b"{}", {"Authorization": f"Bearer {token}",
                                                                 "Content-Type": "application/json"})
            warm.getresponse().read()
            if options.watchers and CHROMIUM.exists():
                watcher = threading.Thread(target=watch, args=(port, workbook["id"], options.watchers, stop, seen))
                watcher.start()
                while not seen and watcher.is_alive():
                    time.sleep(0.2)
            stream = deliveries(options.answers, options.retry_share)
            cpu, browsers, own = cpu_seconds(server.pid), browsers_cpu(server.pid), time.process_time()
            latencies, statuses, wall = post_all(port, token, stream, options.clients)
            cpu, browsers = cpu_seconds(server.pid) - cpu, browsers_cpu(server.pid) - browsers
            own = time.process_time() - own
        finally:
            stop.set()
            if watcher:
                watcher.join(timeout=120)
            server.terminate()
            server.wait(timeout=30)
        stored = store.rows("select count(*) as n from responses "
                            "where workbook_id = ?", (workbook["id"],))[0]["n"]
        keys = store.rows("select count(*) as n, count(distinct key) as d from webhook_deliveries "
                          "where workbook_id = ?", (workbook["id"],))[0]
        history = store.rows("select count(*) as n from history where workbook_id = ? and table_name = 'responses'",
                             (workbook["id"],))[0]["n"]
        store.close()

    latencies.sort()
    p50 = statistics.median(latencies) * 1000
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000
    rate = keys["d"] / wall  # answers the database holds, counted, not the number sent
    print(f"## {options.answers:,} answers + {len(stream) - options.answers:,} retried deliveries, "
          f"{options.clients} clients, {options.watchers if seen else 0} dashboard sessions watching   "
          f"(load {load_before:.2f} → {os.getloadavg()[0]:.2f})")
    print(f"stored answers/s      {rate:8.0f}   goal ≥ {GOAL_RATE}   ({sum(statuses.values()) / wall:.0f} requests/s answered, "
          f"{wall:.1f} s in all)")
    print(f"server CPU            {cpu:8.1f} s     ({cpu / wall:.0%} of one core while posting, "
          f"{cpu / keys['d'] * 1000:.2f} ms per stored answer)")
    print(f"other CPU             {own:8.1f} s     the bench's 16 clients; {browsers:.1f} s the watching Chromium "
          f"processes (the machine has 2 cores: {2 * wall:.0f} s while posting)")
    print(f"latency p50           {p50:8.1f} ms")
    print(f"latency p99           {p99:8.1f} ms   goal < {GOAL_P99_MS} ms")
    print(f"HTTP statuses         {dict(sorted(statuses.items()))}   (201 stored, 200 a retry answered with the first id)")
    print(f"stored rows           {stored:,}   lost {options.answers - keys['d']:,}   "
          f"duplicated {stored - keys['d']:,}   (deliveries recorded {keys['n']:,}, history rows {history:,})")
    if seen[1:]:
        print(f"dashboards at the end {seen[1:]}")


if __name__ == "__main__":
    main()
