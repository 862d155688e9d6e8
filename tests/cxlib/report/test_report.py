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
    text = report.to_markdown(blocks)
    assert "Step 10:" in text
    assert report.to_pdf(blocks).startswith(b"%PDF")
    # No empty section: every step heading is followed by something, if only "not filled in".
    sections = text.split("\n## ")[1:]
    assert all(section.strip().count("\n") >= 1 for section in sections), sections
    said = [block.text for block in blocks if block.kind == "text"]
    assert said.count("Not filled in yet.") >= 8
    assert any(line.startswith("No KPI is measured yet") for line in said)
    assert any(line.startswith("No dot vote has been closed yet") for line in said)


def test_pdf_for_a_client_cover_summary_page_numbers_no_orphan_headings(demo_blocks):
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(report.to_pdf(demo_blocks, "en", "Page {page} of {pages}")))
    pages = [page.extract_text() for page in reader.pages]
    total = len(pages)
    assert "Bean & Bloom" in pages[0] and "Step 1:" not in pages[0]  # the cover stands alone
    assert "Page" not in pages[0]
    assert "Executive summary" in pages[1] and "NPS" in pages[1]
    for number, text in enumerate(pages[1:], start=2):
        assert f"Page {number} of {total}" in text, number
        lines = [line for line in text.splitlines() if line.strip() and not line.startswith("Page ")]
        assert not any(lines[-1].startswith(title) for title in STEP_TITLES), (number, lines[-1])
    whole = " ".join(pages)
    assert "(one per line)" not in whole  # form hints stay in the app


def test_executive_summary_names_kpis_pains_votes_and_money(store, demo_workbook):
    from cxlib.analytics import whatif
    from cxlib.workshop import facilitation

    wb = demo_workbook["id"]
    state = facilitation.open_voting(store, wb, 2, "f")
    item = facilitation.vote_items(store, wb)[0]
    facilitation.cast(store, wb, state["vote_token"], "v1", [item])
    facilitation.close_voting(store, wb, "f")
    chain = {"arpu": 20.0, "gross_margin": 0.5, "monthly_churn": 0.05, "customers": 1000.0, "months": 12.0,
             "score_lift": {"low": 1.0, "expected": 2.0, "high": 3.0},
             "churn_per_point": {"low": 0.1, "expected": 0.2, "high": 0.3}}
    whatif.save_scenario(store, wb, {"name": "Fix delivery", "kind": "chain", "inputs": chain}, "f")
    summary = report.to_markdown(report.executive_summary(store, wb, Translator("en"),
                                                          report.Formatter("en")))
    assert "Executive summary" in summary
    assert "| NPS |" in summary and ("on target" in summary or "short of target" in summary)
    assert "Top pain points" in summary and f"{report.markdown_text(item)} — dots: 1" in summary
    expected = whatif.pain_point_chain(chain).filter(report.pl.col("case") == "expected")["revenue_gain"][0]
    assert report.markdown_text(f"€{expected:,.2f}") in summary and "Fix delivery" in summary


def test_slide_deck_has_a_cover_and_one_slide_per_step(demo_blocks):
    from pptx import Presentation

    from cxlib.report import slides

    deck = Presentation(io.BytesIO(slides.to_pptx(demo_blocks)))
    titles = [slide.shapes.title.text for slide in deck.slides]
    assert "Bean & Bloom" in titles[0]
    for step in STEP_TITLES:
        assert sum(title.startswith(step) for title in titles) == 1, step
    pictures = sum(shape.shape_type == 13 for slide in deck.slides for shape in slide.shapes)
    assert pictures >= 5  # the step charts travel as images


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


def test_persian_report_charts_lay_out_left_to_right_inside_the_page(store):
    from cxlib.demo import build as demo_build
    from cxlib.l10n.formats import Formatter
    from cxlib.l10n.i18n import Translator
    from cxlib.report import build as report_build

    made = demo_build.create_demo(store, "fa")
    page = report_build.to_html(report_build.build(store, made["id"], Translator("fa"), Formatter("fa")), "rtl", "fa")
    assert "figure{margin:1rem 0;direction:ltr}" in page  # else titles, legends and minus signs flip out
    assert "\u200fپیامک پیش‌دستانهٔ «تحویل امروز»\u200f" in page  # guillemets stay with the Persian name


def test_report_says_which_side_of_its_target_each_kpi_is(demo_blocks):
    text = report.to_markdown(demo_blocks)
    assert "Gap to target" in text
    assert report.markdown_text("above target 3.0%") in text or report.markdown_text("below target 3.0%") in text
    assert "not linked" in text  # the support goal names no measured KPI
