"""A workshop in real browsers: a live dot vote from two phones, and the report files."""

from __future__ import annotations

import io
import re

import zxingcpp
from PIL import Image

from browserkit import ARTIFACTS, assert_no_exception, wait_for_app, wait_for_participant_page


def test_live_dot_vote_from_two_browsers(browser, server):
    screen = browser.new_context(viewport={"width": 1600, "height": 1000}).new_page()
    screen.goto(f"{server.url}/workshop")
    wait_for_app(screen)
    # Read from 4 m: the presenter view's body text is at least 20 px.
    screen.locator("[data-testid='stMain'] [data-testid='stMarkdownContainer'] p").first.wait_for()
    sizes = screen.eval_on_selector_all(
        "[data-testid='stMain'] [data-testid='stMarkdownContainer'] p",
        "nodes => nodes.filter(n => n.offsetParent).map(n => parseFloat(getComputedStyle(n).fontSize))")
    assert sizes and min(sizes) >= 20, sizes
    screen.get_by_role("button", name="Open a vote").click()
    # The phones take the link from the QR code on the shared screen, as a camera would.
    code = screen.locator("[data-testid='stImage'] img").first
    code.wait_for(timeout=15_000)
    decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(code.screenshot())))
    assert len(decoded) == 1, "the QR code on the screen must decode"
    assert screen.get_by_text(decoded[0].text).count() == 1  # the same link is written out under it
    path = re.search(r"/join-vote\?\S+", decoded[0].text).group(0)  # this server listens on 127.0.0.1 only
    for words in ("Per-kilo", "Quiz results"):
        phone = browser.new_context(viewport={"width": 400, "height": 800}).new_page()
        phone.goto(server.url + path)
        wait_for_participant_page(phone)
        phone.get_by_text("You have 3 dots").wait_for()
        phone.locator("[data-testid='stMultiSelect'] input").fill(words)
        phone.keyboard.press("Enter")
        phone.keyboard.press("Escape")
        phone.get_by_text("You have 3 dots").click()
        phone.get_by_role("button", name="Vote", exact=True).click()
        phone.get_by_text(re.compile("of your dots")).wait_for(timeout=15_000)
        assert_no_exception(phone)
        # Nothing but the vote: no sidebar, no undo, no other page.
        assert phone.locator("[data-testid='stSidebar']").count() == 0
        assert phone.get_by_role("button", name=re.compile("Undo")).count() == 0
        if words == "Quiz results":
            _forged_voter_gets_no_extra_dots(phone, server.url + path)
    # The shared screen updates by itself (a fragment reruns every two seconds).
    screen.get_by_text("2 people have voted").wait_for(timeout=15_000)
    ARTIFACTS.mkdir(exist_ok=True)
    screen.screenshot(path=str(ARTIFACTS / "live-vote.png"), full_page=True)
    screen.get_by_role("button", name="Close the vote and save the ranking").click()
    screen.get_by_text("The last vote's ranking, saved in the workbook:").wait_for(timeout=15_000)
    assert_no_exception(screen)
    for browser_context in browser.contexts:  # their live fragments would keep the server busy
        browser_context.close()


def _forged_voter_gets_no_extra_dots(phone, join_url: str) -> None:
    """The voter is the server-signed cookie, not the link: a made-up voter id (or a refresh)
    reopens the same voter, with the same dots, and no more than the vote's dots."""
    phone.goto(join_url.replace("/join-vote?", "/vote?") + "&voter=someone-else")
    wait_for_participant_page(phone)
    phone.get_by_text(re.compile("Counted: 1 of your dots")).wait_for(timeout=15_000)
    assert "voter=" not in phone.url
    phone.context.add_cookies([{"name": "cxw_voter", "value": "forged.signature", "url": phone.url}])
    phone.reload()
    wait_for_participant_page(phone)
    # A forged cookie is no identity: this session gets a fresh one from the server, with no dots yet.
    assert phone.get_by_text(re.compile("of your dots")).count() == 0


def test_report_downloads_open_with_every_step(browser, server, tmp_path):
    from pypdf import PdfReader

    page = browser.new_context(accept_downloads=True).new_page()
    page.goto(f"{server.url}/report")
    wait_for_app(page)
    with page.expect_download(timeout=60_000) as html_download:
        page.get_by_role("button", name=re.compile("HTML")).click()
    html_file = tmp_path / "report.html"
    html_download.value.save_as(html_file)
    with page.expect_download(timeout=60_000) as pdf_download:
        page.get_by_role("button", name="PDF").click()
    pdf_file = tmp_path / "report.pdf"
    pdf_download.value.save_as(pdf_file)

    viewer = browser.new_context(offline=True).new_page()  # offline: the file needs nothing else
    viewer.goto(html_file.as_uri())
    headings = viewer.locator("h2").all_inner_texts()
    assert [h for h in headings if h.startswith("Step ")] == [h for h in headings if h.startswith("Step ")][:10]
    assert sum(h.startswith("Step ") for h in headings) == 10
    assert viewer.locator("figure svg").count() >= 5

    reader = PdfReader(io.BytesIO(pdf_file.read_bytes()))
    text = " ".join(p.extract_text() for p in reader.pages)
    assert len(reader.pages) >= 5 and all(f"Step {n}:" in text for n in range(1, 11))
    for browser_context in (page.context, viewer.context):  # nothing left running for the next test
        browser_context.close()


def test_a_whole_workshop_on_the_shared_screen(browser, server):
    """The presenter view through all ten steps at 1920×1080: each step's content is on the
    screen, and ideas called out in the room are captured on three of them."""
    screen = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
    screen.goto(f"{server.url}/workshop")
    wait_for_app(screen)
    content = screen.locator(".st-key-cx_step_content")
    shown = ("[data-testid='stVegaLiteChart'], [data-testid='stMetric'], [data-testid='stTable'], "
             "[data-testid='stDataFrame'], [data-testid='stMarkdownContainer']")
    for number in range(1, 11):
        screen.get_by_role("heading", name=re.compile(f"^Step {number}:")).wait_for(timeout=30_000)
        content.locator(shown).first.wait_for(timeout=30_000)
        if number in (1, 4, 6):
            box = screen.get_by_placeholder("Type an idea from the room and press Enter")
            box.fill(f"Idea from the room for step {number}")
            box.press("Enter")
            screen.get_by_text(f"Idea from the room for step {number}").wait_for(timeout=15_000)
        if number == 3:  # the journey canvas and the persona cards are charts and metrics, not just text
            content.locator("[data-testid='stVegaLiteChart']").first.wait_for(timeout=30_000)
        if number < 10:
            screen.get_by_role("button", name="Next step").click()
    content.locator("[data-testid='stMetric']").first.wait_for(timeout=30_000)  # KPI tiles on step 10
    ARTIFACTS.mkdir(exist_ok=True)
    screen.screenshot(path=str(ARTIFACTS / "presenter-step-10.png"), full_page=True)
    assert_no_exception(screen)
