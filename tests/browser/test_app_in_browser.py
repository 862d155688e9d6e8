"""The app in a real browser: every page renders, data survives a restart, conflicts show."""

from __future__ import annotations

import re

import pytest
from browserkit import ARTIFACTS, assert_no_exception, wait_for_app

PAGES = ("home", "workbooks", "personas", "vision", "journeys", "competitors", "team", "automation",
         "listening", "emotion", "feedback", "metrics", "whatif", "report", "workshop")


def open_app(page, server, path: str) -> None:
    page.goto(f"{server.url}/{path}")
    wait_for_app(page)


def test_every_page_renders_on_demo_and_empty_workbook(page, server):
    open_app(page, server, "home")
    assert page.get_by_text("Demo: Bean & Bloom coffee subscription").count() > 0
    demo_id = re.search(r"wb=(\d+)", page.url).group(1)
    open_app(page, server, "workbooks")
    page.get_by_label("Name", exact=True).first.fill("Empty browser workbook")
    page.get_by_role("button", name="Create", exact=True).click()
    page.wait_for_url(re.compile(r"wb=(?!%s\b)\d+" % demo_id))
    wait_for_app(page)
    empty_id = re.search(r"wb=(\d+)", page.url).group(1)
    for workbook_id in (demo_id, empty_id):
        for name in PAGES:
            open_app(page, server, f"{name}?wb={workbook_id}")
            assert_no_exception(page)
            assert page.locator("h1").count() >= 1, name
    assert server.errors() == ""


def test_persona_created_in_browser_survives_restart(page, server, browser):
    open_app(page, server, "personas")
    page.get_by_role("radio", name="Add or edit").click()
    wait_for_app(page)
    page.get_by_label("Name *").fill("Playwright Persona")
    page.get_by_label("Role or job").fill("Tester")
    page.get_by_label("Goals").fill("Ship a workbook")
    page.get_by_label("Pain points").fill("Lost edits")
    page.get_by_role("button", name="Save", exact=True).click()
    wait_for_app(page)
    assert_no_exception(page)

    server.stop()
    server.start()

    fresh = browser.new_context().new_page()
    open_app(fresh, server, "personas")
    fresh.get_by_text("Playwright Persona").first.wait_for(timeout=15_000)
    ARTIFACTS.mkdir(exist_ok=True)
    fresh.screenshot(path=str(ARTIFACTS / "personas-after-restart.png"), full_page=True)
    assert server.errors() == ""


def test_stale_edit_in_a_second_browser_is_a_conflict(browser, server):
    first, second = (browser.new_context().new_page() for _ in range(2))
    for each in (first, second):
        open_app(each, server, "personas")
        each.get_by_role("radio", name="Add or edit").click()
        wait_for_app(each)
        each.get_by_label("Persona").click()
        each.get_by_role("option", name="Maya Novak").click()
        wait_for_app(each)
    first.get_by_label("Role or job").fill("Saved first")
    first.get_by_role("button", name="Save", exact=True).click()
    wait_for_app(first)
    second.get_by_label("Role or job").fill("Saved second")
    second.get_by_role("button", name="Save", exact=True).click()
    wait_for_app(second)
    second.get_by_text("Someone else saved this while you were editing it.").wait_for()
    second.get_by_text("Saved first").first.wait_for(timeout=15_000)  # their version is shown
    second.get_by_role("button", name=re.compile("Keep mine")).click()
    wait_for_app(second)
    assert_no_exception(second)
    third = browser.new_context().new_page()
    open_app(third, server, "personas")
    third.get_by_text("Saved second").first.wait_for(timeout=15_000)


def test_a_breakdown_pick_redraws_its_chart_and_nothing_else(page, server):
    """Step 10's survey section reruns alone (a fragment, outside the frame): the breakdown
    chart is drawn again for the new pick, the tiles and the other charts stay as they were."""
    open_app(page, server, "metrics")
    charts = page.locator("[data-testid='stVegaLiteChart']")
    charts.nth(4).locator("canvas, svg").first.wait_for(timeout=30_000)

    def pictures() -> list[str]:
        return [charts.nth(i).locator("svg").first.evaluate("svg => svg.outerHTML") for i in range(charts.count())]

    tiles = page.locator("[data-testid='stMetric']").all_inner_texts()
    before = pictures()
    page.locator(".st-key-cx_breakdown button:has-text('Channel')").first.click()
    page.wait_for_function("""(first) => {
        const svg = document.querySelectorAll("[data-testid='stVegaLiteChart']")[1].querySelector('svg');
        return svg && svg.outerHTML !== first; }""", arg=before[1], timeout=30_000)
    wait_for_app(page)
    after = pictures()
    assert "Channel" in after[1] and "Channel" not in before[1]  # the breakdown, now by channel
    assert after[0] == before[0] and after[2:] == before[2:]  # the trend and the ticket/churn/cohort charts
    assert page.locator("[data-testid='stMetric']").all_inner_texts() == tiles
    assert_no_exception(page)
    assert server.errors() == ""
