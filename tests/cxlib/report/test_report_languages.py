"""The report's PDF in Persian, Armenian and Polish, read back as text.

What a reader sees was checked by eye on pages rendered with pdftoppm; here is what text
can show: lines in reading order with their letters mapped back (pypdf), signs on the
left of Persian numbers (poppler's word boxes, glyphs in the order they are drawn), page
numbers in the language's digits, no text drawn without a font, no word cut in a table.
"""

import io
import re
import shutil
import subprocess

import pytest

from cxlib.l10n.formats import Formatter
from cxlib.l10n.i18n import Translator
from cxlib.report import build as report

INVISIBLE = re.compile("[\u200e\u200f\u2066-\u2069\u202a-\u202e]")
PERSIAN_DIGIT = "[۰-۹]"
poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils (pdftotext)")


def _made(tmp_path_factory, language):
    from cxlib.demo import build as demo
    from cxlib.storage.store import Store

    store = Store(tmp_path_factory.mktemp(f"report_{language}") / "r.db")
    t = Translator(language)
    blocks = report.build(store, demo.create_demo(store, language)["id"], t, Formatter(language))
    path = tmp_path_factory.mktemp(f"pdf_{language}") / "report.pdf"
    path.write_bytes(report.to_pdf(blocks, language, t("report.page")))
    return blocks, path


@pytest.fixture(scope="module")
def persian(tmp_path_factory):
    return _made(tmp_path_factory, "fa")


@pytest.fixture(scope="module")
def armenian(tmp_path_factory):
    return _made(tmp_path_factory, "hy")


@pytest.fixture(scope="module")
def polish(tmp_path_factory):
    return _made(tmp_path_factory, "pl")


def _pages(path) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() for page in PdfReader(io.BytesIO(path.read_bytes())).pages]


def _drawn_words(path) -> list[str]:
    """Every word as poppler finds it on the page: its glyphs in drawing order (left to
    right), direction marks and isolates left out."""
    out = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return [INVISIBLE.sub("", word) for word in re.findall(r"<word [^>]*>([^<]*)</word>", out)]


def _poppler_complaints(path) -> str:
    return subprocess.run(["pdftotext", str(path), "/dev/null"], capture_output=True, text=True).stderr


def test_persian_lines_read_right_to_left_with_joined_letters_mapped_back(persian):
    blocks, path = persian
    text = "\n".join(_pages(path))
    assert Translator("fa")("report.summary") in text  # خلاصهٔ مدیریتی, its letters in order
    # A list line of Persian words only (digits and Latin names are reordered by pypdf itself).
    plain = [item for block in blocks if block.kind == "bullets" for item in block.items
             if re.fullmatch(r"[\u0600-\u06ef\u06fa-\u06ff\u200c :،/]+", item)]  # no digits
    assert len(plain) >= 3
    for item in plain[:3]:
        assert f"• {item}" in text.splitlines(), item


@poppler
def test_persian_signs_stay_on_the_left_of_their_numbers(persian):
    blocks, path = persian
    words = _drawn_words(path)
    wrong = [word for word in words if re.search(f"{PERSIAN_DIGIT}[+−]", word)]
    assert wrong == []
    summary = next(block for block in blocks if block.kind == "table")
    nps = INVISIBLE.sub("", next(row for row in summary.rows if row[0] == "NPS")[1])
    assert re.fullmatch(f"[+−]{PERSIAN_DIGIT}+", nps)
    assert nps in words  # drawn as written: the sign first, on the left
    assert any(re.fullmatch(f"[+−]{PERSIAN_DIGIT}+", word) for word in words)


def test_persian_page_numbers_use_persian_digits(persian):
    _, path = persian
    pages = _pages(path)
    total = Formatter("fa").digits(str(len(pages)))
    for number, text in enumerate(pages[1:], start=2):
        footer = next(line for line in reversed(text.splitlines()) if "صفحهٔ" in line)
        assert not re.search("[0-9]", footer), footer
        # pypdf may reverse a many-digit number inside right-to-left text: compare digits.
        assert set(total) <= set(footer) and set(Formatter("fa").digits(str(number))) <= set(footer)
    assert "صفحهٔ" not in pages[0]  # the cover has no number


@poppler
def test_armenian_text_always_has_a_font_and_lists_keep_their_bullets(armenian):
    blocks, path = armenian
    assert "No font in show" not in _poppler_complaints(path)
    text = "\n".join(_pages(path))
    goals = next(block for block in blocks if block.kind == "bullets" and block.items)
    assert f"• {goals.items[0]}" in text


def test_a_wide_table_turns_its_page_and_cuts_no_word(armenian):
    from pypdf import PdfReader

    blocks, path = armenian
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    sideways = [page for page in reader.pages if page.mediabox.width > page.mediabox.height]
    assert sideways
    widest = max((block for block in blocks if block.kind == "table"), key=lambda block: len(block.rows[0]))
    longest = max((word for row in widest.rows for cell in row for word in cell.split()), key=len)
    assert len(longest) >= 12 and longest in sideways[0].extract_text()


def test_polish_pdf_groups_numbers_from_five_digits_and_numbers_its_pages(polish):
    _, path = polish
    pages = _pages(path)
    text = "\n".join(pages)
    # "1 500" nowhere (a single leading digit, one separator): "15 000" and "1 500 000" are right.
    assert not re.findall(r"(?<![\d,])(?<!\d[\u00a0\u202f ])\d[\u00a0\u202f ]\d{3}(?![\d]|[\u00a0\u202f ]\d)", text)
    # A four-digit amount written whole, e.g. the premium scenario's CLV "1120,17 zł".
    assert re.search(r"(?<!\d)(?<!\d[\u00a0\u202f ])\d{4},\d\d[\s\u00a0\u202f]zł", text)
    assert f"Strona 2 z {len(pages)}" in pages[1]
