"""Persian, Armenian and Polish in a real browser: the demo is made in the language, every
page renders without an English sentence, Persian runs right to left in its served font."""

from __future__ import annotations

import re

import pytest
from browserkit import ARTIFACTS, assert_no_exception, wait_for_app
from test_app_in_browser import PAGES

from cxlib.demo import build as demo
from cxlib.l10n import i18n

PLACEHOLDER = re.compile(r"\{[a-z_]+\}")


def english_sentences(language: str) -> set[str]:
    """English catalogue text that the language writes differently: long enough (a few
    words) that finding it on a page means an untranslated string, not a shared name."""
    english, translated = i18n.catalog("en"), i18n.catalog(language)
    found = set()
    for key, text in english.items():
        if translated.get(key) == text:
            continue
        for fragment in PLACEHOLDER.split(text.split("\n")[0]):
            fragment = re.sub(r"[*_`]", "", fragment).strip(" .:;,()")
            if len(fragment) >= 14 and fragment.count(" ") >= 2:
                found.add(fragment)
    return found


def open_app(page, server, path: str) -> None:
    page.goto(f"{server.url}/{path}")
    wait_for_app(page)


def wait_for_direction(page, direction: str) -> None:
    """The reading direction the page settles to: the frame's style arrives through
    Streamlit's lazily loaded HTML element, a moment after the first heading."""
    page.wait_for_function(
        "dir => getComputedStyle(document.querySelector('[data-testid=stMain]')).direction === dir",
        arg=direction, timeout=15_000,
    )


def create_demo_in(page, server, language: str, name: str = "") -> str:
    """Create the demo workbook from the Workbooks page in ``language``; its id."""
    t = i18n.Translator(language)
    open_app(page, server, f"workbooks?lang={language}")
    before = re.search(r"wb=(\d+)", page.url).group(1)
    if name:
        page.get_by_label(t("field.name"), exact=True).filter(visible=True).first.fill(name)
    page.get_by_text(t("workbooks.start_from_demo")).click()
    page.get_by_role("button", name=t("workbooks.create"), exact=True).click()
    page.wait_for_url(re.compile(r"wb=(?!%s\b)\d+" % before), timeout=60_000)
    wait_for_app(page)
    return re.search(r"wb=(\d+)", page.url).group(1)


@pytest.mark.parametrize("language", ["fa", "hy", "pl"])
def test_every_page_in_the_language_without_english(page, server, language):
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    workbook_id = create_demo_in(page, server, language)
    # Waited for: the rerun after creating can still be drawing the list on a loaded machine.
    page.get_by_text(demo.content(language)["workbook"]["name"]).first.wait_for(state="attached", timeout=30_000)
    leftovers = english_sentences(language)
    for name in PAGES:
        open_app(page, server, f"{name}?wb={workbook_id}&lang={language}")
        assert_no_exception(page)
        text = page.inner_text("body")
        shown = sorted(s for s in leftovers if s in text)
        assert shown == [], f"{name}: English on the page: {shown}"
        wait_for_direction(page, i18n.direction(language))
    outside = sorted({url for url in requests if not url.startswith((server.url, "data:", "blob:"))})
    assert outside == [], "external requests"
    assert server.errors() == ""


def test_persian_is_right_to_left_in_its_own_font_and_digits(page, server):
    workbook_id = create_demo_in(page, server, "fa", "کارگاه تهران")
    open_app(page, server, f"journeys?wb={workbook_id}&lang=fa")
    wait_for_direction(page, "rtl")
    sidebar = page.locator("[data-testid='stSidebar']").bounding_box()
    main = page.locator("[data-testid='stMain']").bounding_box()
    assert sidebar["x"] > main["x"], "the sidebar stands on the right"
    heading = page.locator("[data-testid='stMain'] h1").first
    assert heading.inner_text().startswith("گام ۳")
    assert page.evaluate("getComputedStyle(document.querySelector('[data-testid=stMain] h1')).textAlign") in (
        "start", "right")
    # The served Persian font is loaded from the app itself.
    assert page.evaluate("document.fonts.load('16px Vazirmatn', 'گام').then(f => f.length)") > 0
    page.locator("[data-testid='stVegaLiteChart']").first.wait_for()
    page.wait_for_timeout(1500)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "fa-journeys-right-to-left.png"), full_page=False)

    # Numbers are typed and shown in Persian digits.
    open_app(page, server, f"whatif?wb={workbook_id}&lang=fa")
    field = page.get_by_label("درآمد ماهانه به ازای هر مشتری (ARPU)").first
    field.fill("۵۶")
    field.press("Enter")
    page.get_by_text(re.compile("€.?۴۲۰٫۰۰")).first.wait_for(timeout=30_000)  # euros, Persian digits
    page.screenshot(path=str(ARTIFACTS / "fa-whatif-persian-digits.png"), full_page=False)
    assert_no_exception(page)
