"""The report as a slide deck (PPTX) for teams that present in PowerPoint.

Built from the same blocks as the HTML/PDF report (:func:`cxlib.report.build.build`): a
cover slide, then one slide per section (the executive summary, each of the ten steps, the
workshop and the what-if scenarios) with its key lines as bullets and its first chart as
an image. python-pptx writes the file; it needs no PowerPoint and no network.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from cxlib.report.build import Block, chart_png

MAX_LINES = 7
MAX_LINE_CHARS = 140


@dataclass
class Section:
    title: str
    lines: list[str] = field(default_factory=list)
    chart: Block | None = None


def sections(blocks: list[Block]) -> tuple[Block | None, list[Section]]:
    """The cover and one section per level-1/2 heading, with what each holds."""
    cover = next((b for b in blocks if b.kind == "cover"), None)
    found: list[Section] = []
    for block in blocks:
        if block.kind == "heading" and block.level <= 2:
            found.append(Section(block.text))
        elif not found or block.kind in ("cover", "pagebreak"):
            continue
        elif block.kind == "heading":
            found[-1].lines.append(block.text)
        elif block.kind == "text":
            found[-1].lines.append(block.text)
        elif block.kind == "bullets":
            found[-1].lines.extend(block.items)
        elif block.kind == "table" and len(block.rows) > 1:
            found[-1].lines.extend(" · ".join(cell for cell in row[:3] if cell) for row in block.rows[1:])
        elif block.kind == "chart" and found[-1].chart is None:
            found[-1].chart = block
    return cover, found


def _clip(line: str) -> str:
    line = " ".join(line.split())
    return line if len(line) <= MAX_LINE_CHARS else line[: MAX_LINE_CHARS - 1] + "…"


def to_pptx(blocks: list[Block], right_to_left: bool = False) -> bytes:
    """A 16:9 deck: cover, then a slide per section (bullets left, chart right)."""
    from pptx import Presentation
    from pptx.enum.text import PP_ALIGN
    from pptx.util import Emu, Inches, Pt

    deck = Presentation()
    deck.slide_width, deck.slide_height = Inches(13.333), Inches(7.5)
    align = PP_ALIGN.RIGHT if right_to_left else PP_ALIGN.LEFT
    cover, found = sections(blocks)

    def paragraphs(frame, lines: list[str], size: int) -> None:
        frame.word_wrap = True
        for index, line in enumerate(lines):
            paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
            paragraph.text = _clip(line)
            paragraph.alignment = align
            paragraph.font.size = Pt(size)

    if cover is not None:
        slide = deck.slides.add_slide(deck.slide_layouts[0])
        slide.shapes.title.text = cover.text
        slide.shapes.title.text_frame.paragraphs[0].alignment = align
        paragraphs(slide.placeholders[1].text_frame, cover.items or [""], 24)

    for section in found:
        slide = deck.slides.add_slide(deck.slide_layouts[5])  # title only
        slide.shapes.title.text = section.title
        slide.shapes.title.text_frame.paragraphs[0].font.size = Pt(34)
        slide.shapes.title.text_frame.paragraphs[0].alignment = align
        top, height = Inches(1.6), Inches(5.5)
        text_width = Inches(6.2) if section.chart else Inches(12.3)
        if section.chart is not None:
            chart_left = Inches(0.5) if right_to_left else Inches(6.9)
            slide.shapes.add_picture(io.BytesIO(chart_png(section.chart.chart)), chart_left, top,
                                     width=Inches(5.9))
        text_left = Inches(6.6) if right_to_left and section.chart else Inches(0.5)
        lines = section.lines[:MAX_LINES] + (["…"] if len(section.lines) > MAX_LINES else [])
        box = slide.shapes.add_textbox(text_left, top, Emu(text_width), height)
        paragraphs(box.text_frame, lines or [""], 20)
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()
