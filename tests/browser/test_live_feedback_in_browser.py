"""Step 9 live, in real browsers: a phone scans the QR code on step 9, answers with one tap,
and the shared screen's dashboard counts the answer without a reload; a webhook detractor
joins the follow-up list the same way.

The time bound is asserted relative to this machine's speed at that moment. A live update
is: the page's poll noticing the new data version (at most ``POLL``, half a second, when
no rerun happened in the last ``MIN_GAP_SECONDS``, as here), then one rerun of the page,
then the browser drawing what changed. A reload does all of that work too (a whole run of
the page) plus opening a session, so the same screen's reload time, measured just before
and just after, is an upper bound for the rerun on this machine under its current load.
The assertion is "within the 3 s goal plus one reload": on a quiet machine (a reload of
about a second) that is about 4 s; on a CI machine shared with other jobs it grows with
what a reload costs there, so it fails for a poll that does not fire, a rerun loop or a
throttle, never merely for a busy machine. Each measurement is appended to
``test-artifacts/live-latency.txt``.
"""

from __future__ import annotations

import io
import re
import time

import zxingcpp
from PIL import Image

from browserkit import ARTIFACTS, assert_no_exception, wait_for_app

GOAL_S = 3.0  # the goal: the shared screen shows the answer within 3 seconds


def record_latency(what: str, seconds: float, reference: float) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    with (ARTIFACTS / "live-latency.txt").open("a", encoding="utf-8") as out:
        out.write(f"{time.strftime('%Y-%m-%dT%H:%M:%S')}  {what}: {seconds:.2f} s "
                  f"(bound {GOAL_S:.0f} s + a reload here, {reference:.2f} s)\n")


def timed(redraw) -> float:
    start = time.monotonic()
    redraw()
    return time.monotonic() - start


def assert_live(what: str, seconds: float, reloads: list[float]) -> None:
    reference = max(reloads)
    record_latency(what, seconds, reference)
    assert seconds <= GOAL_S + reference, (
        f"{what} after {seconds:.2f} s; a reload of the same page took {reference:.2f} s on this machine now")


PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}


def _nps_n(screen) -> int:
    """The n under the dashboard's NPS tile (the first tile)."""
    caption = screen.get_by_text(re.compile(r"n = [\d,]+")).first
    return int(re.sub(r"\D", "", caption.inner_text().split("n =")[-1]))


def test_phone_answers_through_the_qr_code_and_the_dashboard_counts_it(browser, server):
    desk = browser.new_context(viewport={"width": 1600, "height": 1000}).new_page()
    desk.goto(f"{server.url}/feedback")
    wait_for_app(desk)
    desk.get_by_role("tab", name="Links and QR codes").click()
    desk.get_by_role("tabpanel", name="Links and QR codes").get_by_text("After-delivery NPS").click()
    qr = desk.locator("[data-testid='stExpanderDetails'] [data-testid='stImage'] img").first
    qr.wait_for(timeout=15_000)
    decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(qr.screenshot())))
    assert len(decoded) == 1 and re.fullmatch(r"https?://[^/]+/s/[0-9a-f]{24}", decoded[0].text)
    assert desk.locator("code").filter(has_text=decoded[0].text).count() >= 1  # the printed link is the scanned one
    # The link names this machine's network address when the desk used localhost; this test
    # server listens on 127.0.0.1 only, so the phone opens the same path there.
    link = server.url + re.search(r"/s/[0-9a-f]{24}", decoded[0].text).group(0)
    assert_no_exception(desk)

    screen = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
    screen.goto(f"{server.url}/metrics")
    wait_for_app(screen)
    before = _nps_n(screen)

    def reload_dashboard(n: int) -> None:
        screen.reload()
        screen.get_by_text(re.compile(rf"n = {n:,}\b")).first.wait_for(timeout=120_000)
        wait_for_app(screen)

    reloads = [timed(lambda: reload_dashboard(before))]

    phone_context = browser.new_context(**PHONE)
    phone = phone_context.new_page()
    elsewhere = []
    phone.on("request", lambda request: None if request.url.startswith(server.url) else elsewhere.append(request.url))
    phone.goto(link)
    assert phone.locator("[data-testid='stSidebar']").count() == 0  # a plain page: no app around it
    phone.get_by_role("button", name="9", exact=True).tap()
    phone.get_by_text("Anything you would like to tell us?").wait_for(timeout=20_000)
    stored_at = time.monotonic()
    screen.get_by_text(re.compile(rf"n = {before + 1:,}\b")).first.wait_for(timeout=120_000)
    latency = time.monotonic() - stored_at
    reloads.append(timed(lambda: reload_dashboard(before + 1)))
    assert_live("dashboard counted the phone's answer", latency, reloads)
    assert elsewhere == []
    ARTIFACTS.mkdir(exist_ok=True)
    phone.screenshot(path=str(ARTIFACTS / "survey-phone.png"), full_page=True)
    screen.screenshot(path=str(ARTIFACTS / "live-dashboard.png"))
    # The comment goes with the answer; the same phone is thanked, not asked again.
    phone.locator("textarea").fill("Parcel came early")
    phone.get_by_role("button", name="Send").tap()
    phone.get_by_text("Thank you! Your answer has been saved.").wait_for(timeout=20_000)
    phone.goto(link)
    phone.get_by_text("you have already answered this survey today").wait_for(timeout=20_000)
    assert_no_exception(screen)
    for opened in (phone_context, screen.context, desk.context):
        opened.close()


def test_a_webhook_detractor_shows_in_the_follow_up_list_at_once(browser, server):
    import json
    import urllib.request

    from cxlib.steps import webhooks
    from cxlib.storage import workbooks
    from cxlib.storage.store import Store

    store = Store(server.db_path)
    workbook = workbooks.create_workbook(store, "Live follow-ups", "tester")
    _, token = webhooks.create_token(store, workbook["id"], "browser test", "tester")
    page = browser.new_context(viewport={"width": 1600, "height": 1000}).new_page()
    page.goto(f"{server.url}/feedback?wb={workbook['id']}")
    wait_for_app(page)
    page.get_by_role("tab", name="Close the loop").click()
    page.get_by_text("No low scores to follow up.").wait_for(timeout=20_000)
    wait_for_app(page)

    def reload_list(shown) -> None:
        page.reload()
        wait_for_app(page)
        page.get_by_role("tab", name="Close the loop").click()
        shown().wait_for(timeout=120_000)
        wait_for_app(page)

    reloads = [timed(lambda: reload_list(lambda: page.get_by_text("No low scores to follow up.")))]

    request = urllib.request.Request(
        f"{server.url}/api/answers/generic", method="POST",
        data=json.dumps({"score": 1, "metric": "nps", "customer": "C-13", "comment": "Never again"}).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json", "Idempotency-Key": "d-1"})
    with urllib.request.urlopen(request, timeout=10) as answer:
        assert answer.status == 201
    stored_at = time.monotonic()
    # The list (a grid drawn on a canvas) and its download button replace the empty note.
    listed = page.locator("[data-testid='stDownloadButton']").filter(has_text="Download the follow-up list")
    listed.wait_for(timeout=120_000)
    latency = time.monotonic() - stored_at
    assert page.get_by_text("No low scores to follow up.").count() == 0
    reloads.append(timed(lambda: reload_list(lambda: listed)))
    assert_live("follow-up list showed the webhook detractor", latency, reloads)
    assert_no_exception(page)
    page.context.close()
