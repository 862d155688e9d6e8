"""Hardening in a real browser, served by ``serve.py`` (``st.App`` with the security headers):
hostile Markdown fetches nothing, the content security policy breaks no page, and grid
downloads are ours and neutralised."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from urllib.parse import urlparse

import pytest
from browserkit import AppServer, assert_no_exception, wait_for_app

from cxlib.demo import build as demo
from cxlib.steps import journeys, listening, personas
from cxlib.storage import workbooks
from cxlib.storage.store import Store
from cxlib.workshop import facilitation

HOSTILE = ("![x](http://example.invalid/t.png) <img src=http://example.invalid/i.png> "
           "[a](javascript:alert(1)) <script>alert(2)</script>")
PAGES = ("home", "workbooks", "personas", "vision", "journeys", "competitors", "team", "automation",
         "listening", "emotion", "feedback", "metrics", "whatif", "report", "workshop")
CATCH_VIOLATIONS = """window.__csp = [];
document.addEventListener('securitypolicyviolation',
  e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));"""


def is_number(cell: str) -> bool:
    """A sentiment score such as -0.40 stays a number: only text is neutralised."""
    try:
        float(cell)
    except ValueError:
        return False
    return True


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    """The demo plus hostile Markdown in a persona, an idea (a vote item) and mentions."""
    db_path = tmp_path_factory.mktemp("hardening") / "workbook.db"
    store = Store(db_path)
    demo.ensure_demo(store)
    workbook_id = workbooks.list_workbooks(store)[0]["id"]
    personas.save_persona(store, workbook_id, {"name": "Mallory <b>", "role": HOSTILE, "quote": HOSTILE,
                                               "goals": HOSTILE, "pain_points": HOSTILE}, "a")
    facilitation.capture(store, workbook_id, "personas", HOSTILE, "a")
    content = ("date,platform,author,text,brand\n2026-01-02,x,a,\"=HYPERLINK(\"\"http://example.invalid\"\")\",Us\n"
               "2026-01-03,x,b,+1+1,Us\n").encode()
    listening.import_mentions(store, workbook_id, listening.read_mentions(content), "a")
    assert journeys.list_journeys(store, workbook_id)
    token = facilitation.open_voting(store, workbook_id, 3, "facilitator")["vote_token"]
    store.close()
    return db_path, workbook_id, token


@pytest.fixture(scope="module")
def app(seeded, browser):
    server = AppServer(seeded[0])  # serve.py: the pages with the security headers of web/routes
    server.start()
    # The first run of the script imports the whole library; on a busy machine that can
    # outlast wait_for_app's timeouts, so it happens here, before anything is measured.
    warm = browser.new_page()
    warm.goto(f"{server.url}/home?wb={seeded[1]}")
    warm.wait_for_selector("[data-testid='stMain'] h1", timeout=120_000)
    warm.close()
    yield server
    server.stop()


@pytest.fixture
def watched(browser):
    """A page that records every request leaving 127.0.0.1 and every CSP violation."""
    context = browser.new_context(viewport={"width": 1600, "height": 1000}, accept_downloads=True)
    outside: list[str] = []
    context.on("request", lambda request: outside.append(request.url)
               if urlparse(request.url).hostname not in (None, "127.0.0.1") and
               urlparse(request.url).scheme in ("http", "https", "ws", "wss") else None)
    context.add_init_script(CATCH_VIOLATIONS)
    page = context.new_page()
    console = []
    page.on("console", lambda message: console.append(message.text) if message.type == "error" else None)
    yield page, outside, console
    context.close()


def test_hostile_markdown_fetches_nothing_outside(app, seeded, watched):
    page, outside, _ = watched
    _, workbook_id, token = seeded
    for path in (f"personas?wb={workbook_id}", f"workshop?wb={workbook_id}", f"journeys?wb={workbook_id}",
                 f"vote?wb={workbook_id}&token={token}"):
        page.goto(f"{app.url}/{path}")
        if path.startswith("vote"):  # the participant's page has no sidebar
            page.locator("[data-testid='stMain'] [data-testid='stMarkdownContainer']").first.wait_for(timeout=60_000)
        else:
            wait_for_app(page)
        page.wait_for_timeout(1500)
        assert_no_exception(page)
        assert page.locator("img[src*='example.invalid']").count() == 0, path
        assert page.locator("a[href^='javascript:']").count() == 0, path
    page.goto(f"{app.url}/personas?wb={workbook_id}")
    wait_for_app(page)
    shown = page.locator("[data-testid='stMain']").inner_text()
    assert "![x](http://example.invalid/t.png) <img src=http://example.invalid/i.png>" in shown  # as typed
    assert outside == []


def test_headers_are_sent_and_no_page_breaks_under_the_policy(app, seeded, watched):
    page, outside, console = watched
    _, workbook_id, _ = seeded
    response = page.goto(f"{app.url}/home?wb={workbook_id}")
    assert response.headers["x-frame-options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in response.headers["content-security-policy"]
    wait_for_app(page)
    for name in PAGES:
        page.goto(f"{app.url}/{name}?wb={workbook_id}")
        wait_for_app(page)
        page.wait_for_timeout(800)
        assert_no_exception(page)
        assert page.locator("h1").count() >= 1, name
        assert page.evaluate("window.__csp") == [], name
    page.goto(f"{app.url}/journeys?wb={workbook_id}")
    wait_for_app(page)
    page.locator("[data-testid='stVegaLiteChart'] canvas, [data-testid='stVegaLiteChart'] svg").first.wait_for(
        timeout=15_000)  # charts draw under the policy
    assert [line for line in console if "Content Security Policy" in line] == []
    assert outside == []
    assert app.errors() == ""


def test_grids_offer_only_our_neutralised_download(app, seeded, watched, tmp_path):
    page, _, _ = watched
    _, workbook_id, _ = seeded
    page.goto(f"{app.url}/listening?wb={workbook_id}")
    wait_for_app(page)
    grid = page.locator("[data-testid='stDataFrame']").last
    grid.scroll_into_view_if_needed()
    grid.hover()
    page.wait_for_timeout(500)
    assert page.get_by_role("button", name="Download as CSV").count() == 1  # ours, not a grid toolbar's
    toolbar = page.locator("[data-testid='stElementToolbar'] button")
    assert toolbar.count() > 0  # the grids' toolbars are drawn (search, columns, fullscreen)…
    labels = toolbar.evaluate_all("buttons => buttons.map(b => b.getAttribute('aria-label') || '')")
    assert [label for label in labels if "CSV" in label or "Copy" in label and "Vega" not in label] == []
    with page.expect_download() as download:
        page.get_by_role("button", name="Download as CSV").click()
    saved = Path(download.value.path()).read_bytes().decode("utf-8-sig")
    cells = [cell for row in list(csv.reader(io.StringIO(saved)))[1:] for cell in row]
    assert {"'=HYPERLINK(\"http://example.invalid\")", "'+1+1"} <= set(cells)
    assert [cell for cell in cells if cell.startswith(("=", "+", "-", "@", "\t", "\r")) and not is_number(cell)] == []
