"""deploy/nginx.conf run by Debian's nginx in front of two real app servers on one PostgreSQL
database: the first answer sets the backend cookie, a browser that sends it back always
reaches the same server (pages, the websocket, an upload), and /healthz answers through it.
The servers are told apart by the proxy's access log, which names the upstream that answered
(tests/browser/proxykit.py starts them)."""

from __future__ import annotations

import re
import subprocess
import time
import urllib.request

import pytest
from browserkit import browser, wait_for_app  # noqa: F401  (browser: a fixture)
from proxykit import deployment as started


@pytest.fixture(scope="module")
def deployment(pg_server, pg_template):
    with started(pg_server, pg_template, "cxw_proxy") as running:
        yield running.proxy, running.ports, running.servers


def backend_cookie(headers) -> str | None:
    for value in headers.get_all("Set-Cookie") or []:
        if match := re.match(r"cxw_backend=(app[12]);", value):
            return match.group(1)
    return None


def get(url: str, cookie: str | None = None):
    request = urllib.request.Request(url, headers={"Cookie": f"cxw_backend={cookie}"} if cookie else {})
    with urllib.request.urlopen(request, timeout=10) as answer:
        return answer.status, answer.headers, answer.read()


def test_a_cookie_keeps_each_client_on_its_server(deployment):
    proxy, ports, _ = deployment
    status, headers, _ = get(f"{proxy.url}/_stcore/health")
    assert status == 200
    picked = backend_cookie(headers)
    assert picked
    for backend in (picked, "app1", "app2"):
        for n in range(5):
            get(f"{proxy.url}/_stcore/health?{backend}-{n}", cookie=backend)
        assert {port for _, port, _ in proxy.served(f"/_stcore/health?{backend}-")} == {ports[backend]}
    # A cookie naming no server gets a fresh pick, and a cookie that says so.
    _, headers, _ = get(f"{proxy.url}/_stcore/health", cookie="nonsense")
    assert backend_cookie(headers) in ("app1", "app2")


def test_workers_do_not_run_as_root(deployment):
    proxy, _, _ = deployment
    workers = subprocess.run(["ps", "-o", "user=", "--ppid", str(proxy.process.pid)], capture_output=True, text=True)
    users = set(workers.stdout.split())
    assert users and "root" not in users, users


def test_health_route_answers_through_the_proxy(deployment):
    proxy, ports, _ = deployment
    for backend in ports:
        status, _, body = get(f"{proxy.url}/healthz", cookie=backend)
        assert (status, body) == (200, b"ok")


def test_a_browser_session_keeps_its_server_for_the_websocket_and_an_upload(deployment, browser):  # noqa: F811
    proxy, ports, servers = deployment
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    page = context.new_page()
    page.goto(f"{proxy.url}/workbooks")
    wait_for_app(page)  # drawn over the websocket, through the proxy
    backend = next(c["value"] for c in context.cookies() if c["name"] == "cxw_backend")
    # An upload goes over plain HTTP and must reach the server that holds the session.
    page.locator("[data-testid='stFileUploader'] input[type='file']").first.set_input_files(
        files=[{"name": "workbook.cxw.json", "mimeType": "application/json", "buffer": b'{"format": "x"}'}]
    )
    page.wait_for_selector(".st-key-cx_import_workbook", state="attached", timeout=20_000)
    uploads = proxy.served("/_stcore/upload_file")
    assert uploads and all(status in ("200", "204") for status, _, _ in uploads), uploads
    context.close()
    deadline = time.monotonic() + 10  # a websocket is logged when it closes
    while not proxy.served("/_stcore/stream") and time.monotonic() < deadline:
        time.sleep(0.2)
    streams = proxy.served("/_stcore/stream")
    assert streams and all(status == "101" for status, _, _ in streams), streams
    used = {port for _, port, _ in uploads + streams + proxy.served("/workbooks")}
    assert used == {ports[backend]}
    assert all(server.errors() == "" for server in servers.values())


def test_a_stopped_server_s_clients_go_to_the_other(deployment):
    """Last: it stops app1. Its upstream lists app2 as backup, so its browsers start again there."""
    proxy, ports, servers = deployment
    servers["app1"].stop()
    for n in range(3):
        status, _, body = get(f"{proxy.url}/healthz?down-{n}", cookie="app1")
        assert (status, body) == (200, b"ok")
    answered = {port for status, port, _ in proxy.served("/healthz?down-") if status == "200"}
    assert answered == {ports["app2"]}
