"""The strategy report in HTML, Markdown and PDF, opened and read back."""

import io

import pytest

from cxlib.l10n.i18n import Translator
from cxlib.report import build as report

STEP_TITLES = [f"Step {n}:" for n in range(1, 11)]


@pytest.fixture(scope="module")
def demo_blocks(tmp_path_factory):
    from cxlib.demo import build as demo
    from cxlib.storage.store import Store

    store = Store(tmp_path_factory.mktemp("report") / "r.db")
    return report.build(store, demo.create_demo(store)["id"], Translator("en"))


def test_html_is_self_contained_with_every_step_and_its_charts(demo_blocks):
    page = report.to_html(demo_blocks)
    for title in STEP_TITLES + ["What-if: LTV and churn", "Maya Novak"]:
        assert title in page
    assert page.count("<svg") >= 5  # emotion curves, heatmap, impact/effort, volume, NPS trend
    assert "http://" not in page.split("<svg", 1)[0] and "<script" not in page  # nothing fetched


def test_markdown_has_every_step_and_inline_charts(demo_blocks):
    text = report.to_markdown(demo_blocks)
    assert all(f"## {title}" in text for title in STEP_TITLES)
    assert text.count("data:image/png;base64,") >= 5


def test_pdf_text_and_pages(demo_blocks):
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(report.to_pdf(demo_blocks)))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert len(reader.pages) >= 5
    for title in STEP_TITLES + ["Tomasz Wójcik", "Bean & Bloom"]:
        assert title in text, title


def test_empty_workbook_still_makes_a_report(store, workbook):
    blocks = report.build(store, workbook["id"], Translator("en"))
    assert "Step 10:" in report.to_markdown(blocks)
    assert report.to_pdf(blocks).startswith(b"%PDF")


def test_workshop_ideas_and_ranking_are_in_the_report(store, demo_workbook):
    from cxlib.workshop import facilitation

    wb = demo_workbook["id"]
    facilitation.capture(store, wb, "journeys", "Pause button in the app", "f")
    state = facilitation.open_voting(store, wb, 1, "f")
    facilitation.cast(store, wb, state["vote_token"], "v1", ["Pause button in the app"])
    facilitation.close_voting(store, wb, "f")
    text = report.to_markdown(report.build(store, wb, Translator("en")))
    assert "Map customer journeys: Pause button in the app" in text
    assert "| Pause button in the app | 1 |" in text


@pytest.fixture(scope="module")
def persian_blocks(tmp_path_factory):
    from cxlib.demo import build as demo
    from cxlib.storage.store import Store

    store = Store(tmp_path_factory.mktemp("report_fa") / "r.db")
    return report.build(store, demo.create_demo(store, "fa")["id"], Translator("fa"))


def test_persian_html_runs_right_to_left_with_its_font_and_digits(persian_blocks):
    page = report.to_html(persian_blocks, "rtl", "fa")
    assert "dir='rtl'" in page and "font-family:'Vazirmatn'" in page and "data:font/woff2;base64," in page
    for n in "۱۲۳۴۵۶۷۸۹":
        assert f"گام {n}:" in page
    assert "گام ۱۰:" in page and "Step 1:" not in page
    assert "marketing" not in page and "in_app" not in page  # codes are shown by their names


def test_persian_pdf_is_shaped_right_to_left_in_a_persian_font(persian_blocks):
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(report.to_pdf(persian_blocks, "fa")))
    assert len(reader.pages) >= 5
    fonts = {str(font) for page in reader.pages for font in page["/Resources"]["/Font"].values()
             for font in [font.get_object()["/BaseFont"]]}
    assert any("Vazirmatn" in font for font in fonts), fonts
    text = reader.pages[0].extract_text()
    assert "Bean & Bloom" in text and "Step" not in text


def test_report_says_which_side_of_its_target_each_kpi_is(demo_blocks):
    text = report.to_markdown(demo_blocks)
    assert "Gap to target" in text
    assert "above target 3.0%" in text or "below target 3.0%" in text  # churn, held to 3 %
    assert "not linked" in text  # the support goal names no measured KPI
