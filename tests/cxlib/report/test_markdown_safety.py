"""The Markdown report, read by a CommonMark viewer, shows hostile user text as typed:
no script, no javascript: link, no outside image, no raw HTML."""

from __future__ import annotations

import re

from markdown_it import MarkdownIt

from cxlib.l10n.i18n import Translator
from cxlib.report import build as report
from cxlib.steps import personas, vision
from cxlib.workshop import facilitation

HOSTILE = [
    "<script>alert(1)</script>",
    "![x](http://example.invalid/t.png)",
    "<img src=http://example.invalid/i.png onerror=alert(1)>",
    "[a](javascript:alert(1))",
    "<a href='javascript:alert(2)'>b</a>",
    "# not a heading | cell | ---",
    "<iframe src=//example.invalid></iframe>",
]


def render(text: str) -> tuple[str, list]:
    md = MarkdownIt("commonmark", {"html": True}).enable("table")
    tokens = md.parse(text)
    return md.renderer.render(tokens, md.options, {}), tokens


def walk(tokens):
    for token in tokens:
        yield token
        yield from walk(token.children or [])


def test_markdown_report_runs_no_script_and_fetches_nothing(store, workbook):
    line = " ".join(HOSTILE)
    personas.save_persona(store, workbook["id"], {
        "name": HOSTILE[0], "role": HOSTILE[1], "segment": HOSTILE[3], "quote": "\n".join(HOSTILE),
        "goals": "\n".join(HOSTILE), "pain_points": line}, "a")
    vision.save_vision(store, workbook["id"], {"statement": "\n".join(HOSTILE), "principles": line}, "a")
    facilitation.capture(store, workbook["id"], "personas", line, "a")

    text = report.to_markdown(report.build(store, workbook["id"], Translator("en")))
    page, tokens = render(text)

    assert [t.type for t in walk(tokens) if t.type in ("html_block", "html_inline")] == []
    assert "<script" not in page and "<iframe" not in page
    assert not re.search(r"href=\"\s*javascript:", page, re.I)
    assert [src for src in re.findall(r"<img src=\"([^\"]*)\"", page) if not src.startswith("data:image/png")] == []
    # The text is there, as typed.
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "![x](http://example.invalid/t.png)" in page
