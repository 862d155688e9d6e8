"""The strategy report in HTML, Markdown and PDF, opened and read back."""

import io

import pytest

from cxlib import report
from cxlib.i18n import Translator

STEP_TITLES = [f"Step {n}:" for n in range(1, 11)]


@pytest.fixture(scope="module")
def demo_blocks(tmp_path_factory):
    from cxlib import demo
    from cxlib.store import Store

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
    from cxlib import facilitation

    wb = demo_workbook["id"]
    facilitation.capture(store, wb, "journeys", "Pause button in the app", "f")
    state = facilitation.open_voting(store, wb, 1, "f")
    facilitation.cast(store, wb, state["vote_token"], "v1", ["Pause button in the app"])
    facilitation.close_voting(store, wb, "f")
    text = report.to_markdown(report.build(store, wb, Translator("en")))
    assert "Map customer journeys: Pause button in the app" in text
    assert "| Pause button in the app | 1 |" in text
