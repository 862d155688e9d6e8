"""User text escaped for Markdown renders as typed: checked with a CommonMark renderer
over generated text (hypothesis) and over known hostile strings."""

from __future__ import annotations

from hypothesis import given, settings, strategies as st
from markdown_it import MarkdownIt

from cxlib.report.inert import markdown_text

MD = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
HOSTILE = ["![x](http://example.invalid/t.png)", "<img src=http://example.invalid/i.png>",
           "[a](javascript:alert(1))", "<script>alert(1)</script>", "# heading", "1. list", "> quote",
           "a | b\n--|--", "**bold** _it_ ~~del~~", "&amp; &#60;", "$x^2$", "`code`", "a\\b"]


def rendered_text(source: str) -> str:
    """What a reader sees: the rendered paragraph's text, tags removed."""
    tokens = MD.parse(source)
    assert {t.type for t in tokens} <= {"paragraph_open", "inline", "paragraph_close"}, tokens
    children = [c for t in tokens if t.type == "inline" for c in t.children]
    assert {c.type for c in children} <= {"text", "softbreak"}, children
    return "".join(c.content if c.type == "text" else "\n" for c in children)


def test_hostile_strings_render_as_typed():
    for text in HOSTILE:
        assert rendered_text(markdown_text(text)) == text


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp")),
               min_size=1, max_size=60).filter(lambda s: s.strip() == s and s.strip()))
def test_any_one_line_text_renders_as_typed(text):
    assert rendered_text(markdown_text(text)) == text
