"""Two app servers on one PostgreSQL database behind deploy/nginx.conf, in real browsers: each
browser context is pinned to one server by the proxy's sticky cookie, and what one does shows
on the other's open page without a reload: a persona saved through server 1 on server 2's
persona cards, and a phone's dot vote cast through server 1 on the presenter view of server 2.

The time bound. A change reaches the other server's page by its poll of the shared database
(the persona page's ``data_version`` poll every half second, the presenter view's vote fragment
every second), then one rerun of the page on that server and the browser drawing it: about a
second on a quiet machine, and the app's aim is 2 s. The assertion allows 3 s, or, when the
machine is so loaded that the same page takes longer to redraw at all, the 2 s aim plus one
reload of that page measured just before and just after (a reload does the rerun's work and
more, so it bounds what a rerun costs on this machine at that moment). These tests run on a
2-core machine shared with other jobs, where two servers, nginx, PostgreSQL and four browser
pages compete for the CPU: at a load average of 17 a vote took 3.7 s to show. A poll that
does not fire, or one that reaches only the server the change was made on, still fails it.
Each measurement is appended to ``test-artifacts/live-latency.txt``.
"""

from __future__ import annotations

import os
import re
import time

import pytest
from browserkit import ARTIFACTS, assert_no_exception, wait_for_app, wait_for_participant_page
from proxykit import BACKEND_COOKIE, pinned_context
from proxykit import deployment as started

AIM_S = 2.0  # the app's aim: another server's open page shows the change within 2 s
BOUND_S = 3.0  # asserted: the aim plus a second for a loaded shared machine (see above)
APPEAR_MS = 30_000  # pages and widgets appearing at all: generous, the machine may be busy
DESK = {"viewport": {"width": 1600, "height": 1000}}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}


@pytest.fixture(scope="module")
def deployment(pg_server, pg_template):
    with started(pg_server, pg_template, "cxw_two_browsers") as running:
        from cxlib.demo import build as demo
        from cxlib.storage import workbooks
        from cxlib.storage.store import Store

        store = Store(running.url)
        demo.ensure_demo(store)  # before any page, so both servers open the same workbook
        running.workbook_id = workbooks.list_workbooks(store)[0]["id"]
        store.close()
        yield running


def reload_seconds(page, ready: str) -> float:
    """How long this page takes to draw again from scratch on its server, now."""
    start = time.monotonic()
    page.reload()
    wait_for_app(page)
    page.get_by_text(ready).first.wait_for(timeout=APPEAR_MS)
    return time.monotonic() - start


def assert_live(what: str, seconds: float, reloads: list[float]) -> None:
    bound = max(BOUND_S, AIM_S + max(reloads))
    ARTIFACTS.mkdir(exist_ok=True)
    with (ARTIFACTS / "live-latency.txt").open("a", encoding="utf-8") as out:
        out.write(f"{time.strftime('%Y-%m-%dT%H:%M:%S')}  {what}: {seconds:.2f} s (aim {AIM_S:.0f} s, "
                  f"bound {bound:.2f} s, reloads {', '.join(f'{r:.2f}' for r in reloads)} s, "
                  f"load {os.getloadavg()[0]:.2f})\n")
    assert seconds <= bound, f"{what} after {seconds:.2f} s (bound {bound:.2f} s; reloads took {reloads})"


def open_on(browser, deployment, backend: str, path: str, options: dict = DESK):
    """A page of a context pinned to ``backend``, opened through the proxy."""
    page = pinned_context(browser, deployment.proxy, backend, **options).new_page()
    page.goto(f"{deployment.proxy.url}/{path}")
    return page


def assert_served_by(page, deployment, backend: str) -> None:
    """The proxy kept this context on ``backend``: its cookie says so, and every request it
    logged with that cookie was answered by that server's port."""
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    assert cookies.get(BACKEND_COOKIE) == backend, cookies
    answered = {port for _, port, sent in deployment.proxy.served("/") if sent == backend}
    assert answered == {deployment.ports[backend]}, (backend, answered, deployment.ports)


def seconds_until(page, text: str, start: float) -> float:
    page.get_by_text(text).first.wait_for(timeout=APPEAR_MS)
    return time.monotonic() - start


def open_on_both(browser, deployment, page_name: str):
    """The workbook's ``page_name`` in one browser pinned to app1 and one pinned to app2."""
    pages = [open_on(browser, deployment, backend, f"{page_name}?wb={deployment.workbook_id}")
             for backend in ("app1", "app2")]
    for page, backend in zip(pages, ("app1", "app2")):
        wait_for_app(page)
        assert_served_by(page, deployment, backend)
    return pages


def test_a_persona_saved_through_one_server_shows_on_the_other(browser, deployment):
    editor, viewer = open_on_both(browser, deployment, "personas")
    viewer.get_by_text("Maya Novak").first.wait_for(timeout=APPEAR_MS)  # the cards

    editor.get_by_role("radio", name="Add or edit").click()
    wait_for_app(editor)
    editor.get_by_label("Persona").click()
    editor.get_by_role("option", name="Maya Novak").click()
    wait_for_app(editor)
    role = f"Saved through app1 at {time.strftime('%H:%M:%S')}"
    editor.get_by_label("Role or job").fill(role)
    reloads = [reload_seconds(viewer, "Maya Novak")]
    assert viewer.get_by_text(role).count() == 0
    start = time.monotonic()
    editor.get_by_role("button", name="Save", exact=True).click()
    seconds = seconds_until(viewer, role, start)  # no reload: the viewer's page redraws by itself
    wait_for_app(editor)
    reloads.append(reload_seconds(viewer, role))
    assert_live("persona saved through app1, on app2's open cards", seconds, reloads)
    for page in (editor, viewer):
        assert_no_exception(page)
        page.context.close()
    assert_no_errors(deployment)


def test_a_phone_s_vote_through_one_server_shows_on_the_other_s_presenter_view(browser, deployment):
    host, screen = open_on_both(browser, deployment, "workshop")

    host.get_by_role("button", name="Open a vote").click()
    link = host.locator(".cxw-link").first
    link.wait_for(timeout=APPEAR_MS)
    join = link.inner_text().strip()
    assert join.startswith(f"{deployment.proxy.url}/join-vote?"), join  # the proxy's address, not a server's
    # The other server's presenter view follows the opened vote by itself (no reload).
    screen.get_by_text("0 people have voted").wait_for(timeout=APPEAR_MS)
    screen.locator(".cxw-link").first.wait_for(timeout=APPEAR_MS)
    assert screen.locator(".cxw-link").first.inner_text().strip() == join

    phone = open_on(browser, deployment, "app1", join.removeprefix(deployment.proxy.url + "/"), PHONE)
    wait_for_participant_page(phone)
    assert_served_by(phone, deployment, "app1")
    phone.get_by_text("You have 3 dots").wait_for(timeout=APPEAR_MS)
    phone.locator("[data-testid='stMultiSelect'] input").fill("Per-kilo")
    phone.keyboard.press("Enter")
    phone.keyboard.press("Escape")
    phone.get_by_text("You have 3 dots").click()
    reloads = [reload_seconds(screen, "0 people have voted")]
    start = time.monotonic()
    phone.get_by_role("button", name="Vote", exact=True).click()
    seconds = seconds_until(screen, "1 person has voted", start)
    phone.get_by_text(re.compile("of your dots")).wait_for(timeout=APPEAR_MS)
    reloads.append(reload_seconds(screen, "1 person has voted"))
    assert_live("phone's vote through app1, on app2's presenter view", seconds, reloads)
    for page in (phone, host, screen):
        assert_no_exception(page)
    screen.get_by_role("button", name="Close the vote and save the ranking").click()
    # ... and the first server's presenter view follows the close.
    host.get_by_text("The last vote's ranking, saved in the workbook:").wait_for(timeout=APPEAR_MS)
    for page in (phone, host, screen):
        assert_no_exception(page)
        page.context.close()
    assert_no_errors(deployment)


def assert_no_errors(deployment) -> None:
    for name, server in deployment.servers.items():
        assert server.errors() == "", f"{name}: {server.errors()[-3000:]}"
