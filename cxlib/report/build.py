"""The strategy report: the whole workbook as a document to hand out after the workshop.

One list of blocks (headings, paragraphs, bullet lists, tables, charts) is rendered three
ways: self-contained HTML (charts inline as SVG, works offline), Markdown (charts inline
as PNG data URIs) and PDF (fpdf2 with the Noto Sans font shipped by a package). Charts are
the same altair charts the app shows, turned into images by vl-convert, offline.

Numbers and dates are written the reader's way (:class:`cxlib.l10n.formats.Formatter`);
Persian and Armenian text uses the fonts the app serves (``static/fonts``): embedded in
the HTML, and in the PDF with HarfBuzz shaping so Persian letters join and run right to
left.
"""

from __future__ import annotations

import base64
import html
import io
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import altair as alt
import polars as pl

from cxlib.analytics import aggregates, metrics, whatif
from cxlib.l10n.formats import Formatter
from cxlib.l10n.i18n import direction, Translator
from cxlib.report import charts
from cxlib.report.inert import markdown_text
from cxlib.steps import (
    automation,
    competitors,
    emotion,
    feedback,
    journeys,
    listening,
    personas,
    progress,
    team,
    vision,
)
from cxlib.storage import records
from cxlib.storage.store import Store
from cxlib.storage.workbooks import get_workbook
from cxlib.workshop import facilitation

CHART_WIDTH = 720
FONTS = Path(__file__).resolve().parents[2] / "static" / "fonts"
# Fonts for scripts Noto Sans lacks (SIL Open Font License): file stem → family name.
SCRIPT_FONTS = {"Vazirmatn-Regular": "Vazirmatn", "NotoSansArmenian-Regular": "Noto Sans Armenian"}


@dataclass
class Block:
    kind: str  # heading, text, bullets, table, chart
    text: str = ""
    level: int = 2
    items: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    chart: alt.TopLevelMixin | None = None


def _cell(value: Any, fmt: Formatter) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return fmt.number(value, 2)
    if isinstance(value, int) and not isinstance(value, bool):
        return fmt.number(value)
    if isinstance(value, list):
        return fmt.join(map(str, value))
    return str(value)


def build(store: Store, workbook_id: int, t: Translator, fmt: Formatter | None = None) -> list[Block]:
    """Every step of the workbook as report blocks, in the order of the workshop."""
    fmt = fmt or Formatter(t.language)
    right_to_left = t.direction == "rtl"

    def _table(frame_rows: list[dict[str, Any]], columns: dict[str, str]) -> Block:
        return Block("table", rows=[list(columns.values())]
                     + [[_cell(r.get(c), fmt) for c in columns] for r in frame_rows])

    def chart(figure: alt.TopLevelMixin) -> Block:
        return Block("chart", chart=charts.localised(figure, fmt, right_to_left))

    workbook = get_workbook(store, workbook_id)
    cover = [workbook["name"], t("report.subtitle", day=fmt.date(date.today()))]
    blocks = [Block("cover", workbook["name"], items=[*cover[1:], *([workbook["description"]]
                                                                   if workbook["description"] else [])])]
    blocks += executive_summary(store, workbook_id, t, fmt)
    statuses = progress.step_statuses(store, workbook_id)
    blocks.append(Block("heading", t("report.progress")))
    blocks.append(Block("bullets", items=[
        f"{t('step.number', n=s.number)}: {t(f'step.{s.key}.title')}: "
        f"{t('home.status.done') if s.done else t('home.status.todo')}" for s in statuses]))
    blocks.append(Block("pagebreak"))
    section_start: list[int | None] = [None]  # where the open step's content starts

    def step(number: int, key: str) -> None:
        close_section()
        blocks.append(Block("heading", f"{t('step.number', n=number)}: {t(f'step.{key}.title')}"))
        section_start[0] = len(blocks)

    def close_section() -> None:
        """A step with nothing to show says so, rather than leaving a heading alone."""
        if section_start[0] is not None and all(_empty(block) for block in blocks[section_start[0]:]):
            blocks.append(Block("text", t("report.empty_step")))

    step(1, "personas")
    for persona in personas.list_personas(store, workbook_id):
        blocks.append(Block("heading", persona["name"], level=3))
        blocks.append(Block("text", " · ".join(x for x in (persona["role"], persona["segment"]) if x)))
        for name in ("goals", "pain_points", "looks_for", "objections"):
            items = records.lines(persona[name])
            if items:
                blocks.append(Block("bullets", t(f"field.{name}"), items=items))

    step(2, "vision")
    current = vision.get_vision(store, workbook_id) or {}
    if current.get("statement"):
        blocks.append(Block("text", current["statement"]))
    blocks.append(Block("bullets", t("report.principles"), items=records.lines(current.get("principles"))))
    goals = vision.list_goals(store, workbook_id)
    if goals:
        shown = [{**g, "team": t(f"team.{g['team']}") if g.get("team") else "",
                  "metric": t(f"metrics.kpi.{g['metric']}") if g.get("metric") else t("vision.not_linked")}
                 for g in goals]
        blocks.append(_table(shown, {c: t(f"field.{c}") for c in vision.GOAL_COLUMNS}))

    step(3, "journeys")
    kind_labels = {k: t(f"journeys.kind.{k}") for k in ("as_is", "to_be", "target", "measured")}
    measured = feedback.measured_emotion(store, workbook_id)
    persona_by_id = {p["id"]: p for p in personas.list_personas(store, workbook_id)}
    lane_labels = {lane: t(f"field.{lane}") for lane in journeys.LANES}
    for journey in journeys.list_journeys(store, workbook_id):
        stages = journeys.list_stages(store, journey["id"])
        blocks.append(Block("heading", f"{journey['name']} ({kind_labels[journey['kind']]})", level=3))
        persona = persona_by_id.get(journey["persona_id"])
        if stages and persona:
            frame = journeys.emotion_frame(store, workbook_id, persona["id"], measured)
            cells = journeys.canvas_cells(stages, lane_labels, {v: t(f"emotion.{v}") for v in range(-2, 3)},
                                          {c: t(f"channel.{c}") for c in journeys.CHANNELS},
                                          {code: t(f"team.{code}") for code in vision.TEAMS})
            blocks.append(chart(charts.journey_canvas(
                cells, frame, [stage["name"] for stage in stages],
                {"title": t("journeys.curve_title", persona=persona["name"]), "stage": t("journeys.stage"),
                 "emotion": t("field.emotion"), "journey": t("journeys.journey"),
                 "pain_points": t("field.pain_points")}, kind_labels, right_to_left=right_to_left)))
        shown = [{**stage, "channels": [t(f"channel.{c}") for c in stage.get("channels") or []],
                  "owner_team": t(f"team.{stage['owner_team']}") if stage.get("owner_team") in vision.TEAMS
                  else stage.get("owner_team") or "",
                  "emotion": t(f"emotion.{stage['emotion']}") if stage.get("emotion") is not None else ""}
                 for stage in stages]
        blocks.append(_table(shown, {"name": t("field.name"), **{c: t(f"field.{c}") for c in journeys.LANES}}))

    step(4, "competitors")
    rows = competitors.list_competitors(store, workbook_id)
    factor_labels = {f: t(f"factor.{f}") for f in competitors.FACTORS}
    scores = competitors.score_frame(rows).drop_nulls("score")
    if scores.height:
        blocks.append(chart(charts.score_heatmap(
            scores, {"factor": t("competitors.factor"), "score": t("competitors.score"),
                     "title": t("competitors.heatmap_title")}, factor_labels)))
    blocks.append(Block("bullets", t("competitors.gaps"), items=[
        f"{factor_labels[g['factor']]}: {g['leader']} {fmt.number(g['best'])} / {fmt.number(g['ours'])}"
        for g in competitors.gaps(rows).iter_rows(named=True)]))

    step(5, "team")
    members = team.list_members(store, workbook_id)
    blocks.append(_table(members, {c: t(f"field.{c}") for c in team.MEMBER_COLUMNS}))

    step(6, "automation")
    items = automation.list_items(store, workbook_id)
    if items:
        ranked = automation.scored(items)
        blocks.append(Block("text", t("automation.priority_formula")))
        blocks.append(_table(ranked.to_dicts(), {c: t(f"field.{c}") for c in ("name", "impact", "effort", "priority")}))
        blocks.append(chart(charts.impact_effort(ranked, {
            "effort": t("field.effort"), "impact": t("field.impact"), "priority": t("field.priority"),
            "name": t("field.name"), "title": t("automation.matrix_title")}, fmt.text_label)))

    step(7, "listening")
    mentions = listening.load(store, workbook_id)
    if mentions.height:
        blocks.append(chart(charts.mention_volume(listening.volume(mentions), {
            "date": t("listening.col.date"), "mentions": t("listening.col.mentions"),
            "brand": t("listening.col.brand"), "title": t("listening.volume_title")},
            fmt.time_labels("day"))))
        share = listening.share_of_voice(mentions)
        shown = [{**row, "share": fmt.percent(row["share"], 1)} for row in share.to_dicts()]  # a share, not 0.49
        blocks.append(_table(shown, {c: t(f"listening.col.{c}") for c in
                                     ("brand", "mentions", "share", "mean_sentiment")}))

    step(8, "emotion")
    story = emotion.get_story(store, workbook_id) or {}
    for name in ("story", "transparency", "people"):
        if story.get(name):
            blocks.append(Block("text", f"{t(f'field.{name}')}: {story[name]}"))
    blocks.append(_table(emotion.plans(store, workbook_id), {"persona": t("field.persona"),
                                                             "plan": t("field.plan"), "moments": t("field.moments")}))

    step(9, "feedback")
    surveys = [{**s, "channel": t(f"feedback.channel.{s['channel']}") if s.get("channel") else "",
                 "questions": [t(f"feedback.question.{q}") for q in s.get("questions") or []]}
                for s in feedback.list_surveys(store, workbook_id)]
    blocks.append(_table(surveys, {c: t(f"field.{c}") for c in ("name", "stage", "channel", "questions")}))

    step(10, "metrics")
    counted = aggregates.load(store, workbook_id)
    lines = metrics.headlines(counted, feedback.load_tickets(store, workbook_id),
                              feedback.load_events(store, workbook_id), goals, fmt.calendar)
    blocks.append(_table([{"metric": t(f"metrics.name.{h.metric}"), "value": h.value, "low": h.ci_low,
                           "high": h.ci_high, "n": h.n, "target": h.target,
                           "gap": (metrics.gap_words(h, t, fmt) or ("",))[0]} for h in lines],
                         {"metric": t("metrics.metric"), "value": t("report.value"), "low": t("report.ci_low"),
                          "high": t("report.ci_high"), "n": t("metrics.n_label"), "target": t("field.target"),
                          "gap": t("metrics.gap_label")}))
    if any(line.metric == "nps" for line in lines):
        blocks.append(chart(charts.kpi_trend(metrics.trend(aggregates.load_days(store, workbook_id), "nps", fmt.calendar), {
            "value": t("metrics.name.nps"), "month": t("metrics.month"),
            "title": t("metrics.trend_title", metric=t("metrics.name.nps"))}, fmt.time_labels("month"))))

    captured = facilitation.ideas(store, workbook_id)
    state = store.list("workshops", "workbook_id = ?", (workbook_id,))
    if captured or (state and state[0]["ranking"]):
        blocks.append(Block("heading", t("report.workshop")))
        if captured:
            blocks.append(Block("bullets", t("workshop.capture"),
                                items=[t("step." + i["step"] + ".title") + ": " + i["text"] for i in captured]))
        if state and state[0]["ranking"]:
            blocks.append(_table(state[0]["ranking"], {"item": t("workshop.item"), "dots": t("workshop.dots_label")}))

    close_section()
    blocks.append(Block("heading", t("whatif.title")))
    section_start[0] = len(blocks)
    for kind in whatif.KINDS:
        saved = whatif.list_scenarios(store, workbook_id, kind)
        if saved:
            table = whatif.compare(kind, [(s["name"], s["inputs"]) for s in saved])
            shown = [{c: _whatif_cell(c, v, fmt, workbook["currency"]) for c, v in row.items()}
                     for row in table.to_dicts()]
            blocks.append(_table(shown, {c: t(f"whatif.col.{c}") for c in table.columns}))
    close_section()
    return [block for block in blocks if not _empty(block)]


def _empty(block: Block) -> bool:
    """A block that would print nothing but its title (no items, a table with no rows)."""
    return ((block.kind == "bullets" and not block.items) or (block.kind == "table" and len(block.rows) <= 1)
            or (block.kind == "text" and not block.text.strip()))


# What-if columns by what they hold: money in the workbook's currency, shares as percentages.
MONEY_COLUMNS = {"clv", "total_value", "cac", "ltv", "revenue_at_risk", "ltv_gain", "revenue_gain", "revenue"}
SHARE_COLUMNS = {"annual_churn", "monthly_churn"}


def _whatif_cell(column: str, value: Any, fmt: Formatter, currency: str) -> Any:
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return value
    if column in MONEY_COLUMNS:
        return fmt.money(value, currency or None)
    if column in SHARE_COLUMNS:
        return fmt.percent(value, 1)
    return fmt.number(value, 1)


def executive_summary(store: Store, workbook_id: int, t: Translator, fmt: Formatter) -> list[Block]:
    """One page for the client: headline KPIs against targets, the top pain points, the voted
    priorities and the money at stake from the what-if chain (each says when it is missing)."""
    currency = get_workbook(store, workbook_id)["currency"] or None
    blocks = [Block("heading", t("report.summary"))]

    goals = vision.list_goals(store, workbook_id)
    lines = metrics.headlines(aggregates.load(store, workbook_id), feedback.load_tickets(store, workbook_id),
                              feedback.load_events(store, workbook_id), goals, fmt.calendar)
    if lines:
        rows = [[t("metrics.metric"), t("report.value"), t("field.target"), t("report.against_target")]]
        for h in lines:
            verdict = ""
            if h.on_track is not None:
                verdict = t("report.on_target") if h.on_track else t("report.off_target")
            # The target in the value's own unit (NPS +45, churn 3%), as the value is written.
            rows.append([t(f"metrics.name.{h.metric}"), metrics.value_words(h.metric, h.value, t, fmt),
                         metrics.value_words(h.metric, h.target, t, fmt) if h.target is not None else "", verdict])
        blocks += [Block("text", t("report.summary_kpis")), Block("table", rows=rows)]
    else:
        blocks.append(Block("text", t("report.summary_no_kpis")))

    pains = []
    for journey in journeys.list_journeys(store, workbook_id):
        if journey["kind"] != "as_is":
            continue
        for stage in journeys.list_stages(store, journey["id"]):
            for pain in records.lines(stage.get("pain_points")):
                pains.append((stage.get("emotion") if stage.get("emotion") is not None else 0, stage["name"], pain))
    pains.sort(key=lambda p: p[0])
    blocks.append(Block("bullets", t("report.summary_pains"), items=[f"{stage}: {pain}" for _, stage, pain in pains[:5]])
                  if pains else Block("text", t("report.summary_no_pains")))

    state = store.list("workshops", "workbook_id = ?", (workbook_id,))
    ranking = state[0]["ranking"] if state else []
    blocks.append(Block("bullets", t("report.summary_votes"),
                        items=[t("report.dots", item=r["item"], dots=r["dots"]) for r in ranking[:5]])
                  if ranking else Block("text", t("report.summary_no_votes")))

    chains = whatif.list_scenarios(store, workbook_id, "chain")
    if chains:
        items = []
        for scenario in chains:
            cases = {r["case"]: r for r in whatif.pain_point_chain(scenario["inputs"]).iter_rows(named=True)}
            items.append(t("report.money_at_stake", name=scenario["name"],
                           expected=fmt.money(cases["expected"]["revenue_gain"], currency),
                           low=fmt.money(cases["low"]["revenue_gain"], currency),
                           high=fmt.money(cases["high"]["revenue_gain"], currency),
                           months=int(scenario["inputs"]["months"])))
        blocks.append(Block("bullets", t("report.summary_money"), items=items))
    else:
        blocks.append(Block("text", t("report.summary_no_money")))
    return blocks


# -- rendering ----------------------------------------------------------------------------------


def _sized(chart: alt.TopLevelMixin) -> str:
    if isinstance(chart, (alt.VConcatChart, alt.HConcatChart, alt.ConcatChart)):
        return chart.to_json()  # a canvas sizes its own parts
    return chart.properties(width=CHART_WIDTH).to_json()


@cache
def _converter():
    """vl-convert, with the Persian and Armenian fonts registered for chart text."""
    import vl_convert

    vl_convert.register_font_directory(str(FONTS))
    return vl_convert


def chart_svg(chart: alt.TopLevelMixin) -> str:
    return _converter().vegalite_to_svg(_sized(chart))


def chart_png(chart: alt.TopLevelMixin) -> bytes:
    return _converter().vegalite_to_png(_sized(chart), scale=2)


def _one_line(text: str) -> str:
    """User text for one Markdown line (a heading, list item or table cell): escaped, its
    line breaks turned into spaces so it cannot open a block of its own."""
    return markdown_text(" ".join(str(text).splitlines()))


def to_markdown(blocks: list[Block]) -> str:
    """The report as CommonMark (GFM tables). Every piece of user text is escaped
    (:func:`cxlib.report.inert.markdown_text`), as :func:`to_html` escapes it, so a
    Markdown viewer shows it as typed: no script, no link, no image, no raw HTML."""
    out = []
    for block in blocks:
        if block.kind == "cover":
            out.append("# " + _one_line(block.text) + "\n\n" + "\n\n".join(f"*{_one_line(line)}*" for line in block.items))
        elif block.kind == "heading":
            out.append("#" * block.level + " " + _one_line(block.text))
        elif block.kind == "text":
            out.append("  \n".join(markdown_text(line) for line in block.text.splitlines()))
        elif block.kind == "bullets":
            out.append((f"**{_one_line(block.text)}**\n\n" if block.text else "")
                       + "\n".join(f"- {_one_line(i)}" for i in block.items))
        elif block.kind == "table" and len(block.rows) > 1:
            head, *body = block.rows
            out.append("\n".join(["| " + " | ".join(map(_one_line, head)) + " |",
                                  "|" + "---|" * len(head)]
                                 + ["| " + " | ".join(map(_one_line, row)) + " |" for row in body]))
        elif block.kind == "chart":
            data = base64.b64encode(chart_png(block.chart)).decode()
            out.append(f"![chart](data:image/png;base64,{data})")
    return "\n\n".join(out) + "\n"


FONT_STACK = "system-ui,Vazirmatn,'Noto Sans Armenian',sans-serif"
# A chart is laid out by Vega left to right (its right-to-left mirroring is done by the chart
# builders); inside a right-to-left page its SVG text would otherwise flip its anchors:
# titles clipped to "(", legends cut, the minus sign moved off the axis numbers.
STYLE = """body{font-family:FONTS;max-width:960px;margin:2rem auto;padding:0 1rem;line-height:1.5}
svg text{font-family:FONTS}
table{border-collapse:collapse;margin:1rem 0;width:100%}th,td{border:1px solid #ccc;padding:.3rem .5rem;
text-align:start;vertical-align:top}th{background:#eef4fa}h1{color:#0072B2}figure{margin:1rem 0;direction:ltr}
svg{max-width:100%;height:auto}.cover{margin:4rem 0 3rem}.cover h1{font-size:2.6rem}
.cover p{font-size:1.2rem;color:#444}hr.pagebreak{border:0;break-after:page;margin:2rem 0}
h2,h3{break-after:avoid}""".replace("FONTS", FONT_STACK)
# The served web font a language needs, embedded so the file stays self-contained.
WEB_FONTS = {"fa": ("Vazirmatn", "Vazirmatn-wght.woff2"), "hy": ("Noto Sans Armenian", "NotoSansArmenian-wght.woff2")}


def _font_face(language: str) -> str:
    if language not in WEB_FONTS:
        return ""
    family, file_name = WEB_FONTS[language]
    data = base64.b64encode((FONTS / file_name).read_bytes()).decode()
    return (f"@font-face{{font-family:'{family}';font-weight:100 900;"
            f"src:url(data:font/woff2;base64,{data}) format('woff2')}}")


def to_html(blocks: list[Block], direction: str = "ltr", language: str = "en") -> str:
    """One self-contained HTML file (no external resources)."""
    parts = []
    for block in blocks:
        if block.kind == "cover":
            parts.append("<header class='cover'><h1>" + html.escape(block.text) + "</h1>"
                         + "".join(f"<p>{html.escape(line)}</p>" for line in block.items) + "</header>")
        elif block.kind == "pagebreak":
            parts.append("<hr class='pagebreak'>")
        elif block.kind == "heading":
            parts.append(f"<h{block.level}>{html.escape(block.text)}</h{block.level}>")
        elif block.kind == "text":
            parts.append(f"<p>{html.escape(block.text)}</p>")
        elif block.kind == "bullets":
            title = f"<p><strong>{html.escape(block.text)}</strong></p>" if block.text else ""
            parts.append(title + "<ul>" + "".join(f"<li>{html.escape(i)}</li>" for i in block.items) + "</ul>")
        elif block.kind == "table" and len(block.rows) > 1:
            head, *body = block.rows
            parts.append("<table><thead><tr>" + "".join(f"<th>{html.escape(c)}</th>" for c in head)
                         + "</tr></thead><tbody>"
                         + "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>"
                                   for row in body) + "</tbody></table>")
        elif block.kind == "chart":
            parts.append(f"<figure>{chart_svg(block.chart)}</figure>")
    title = html.escape(blocks[0].text if blocks else "")  # the cover's workbook name
    return (f"<!doctype html><html lang='{language}' dir='{direction}'><head><meta charset='utf-8'>"
            f"<title>{title}</title><style>{_font_face(language)}{STYLE}</style></head>"
            f"<body>{''.join(parts)}</body></html>")


def _font() -> Path:
    import fontpkg_noto_sans

    return Path(fontpkg_noto_sans.__file__).parent / "files" / "NotoSans[wdth,wght].ttf"


def to_pdf(blocks: list[Block], language: str = "en", page_label: str = "{page} / {pages}") -> bytes:
    """An A4 PDF with the same content (tables as text rows, charts as images): a cover
    page, page numbers in the footer, and no heading left alone at the foot of a page.

    Persian is set in Vazirmatn with HarfBuzz shaping (joined letters, right to left);
    letters a font lacks come from the others (Noto Sans, Vazirmatn, Noto Sans Armenian).
    ``page_label`` is the footer in the reader's language (``{page}`` and ``{pages}``, both
    in the language's digits: the pages are laid out once to count them, then again;
    fpdf2's page-count alias is filled in with Latin digits, ``صفحهٔ ۲ از 9``).
    A table too wide for its words on an upright page gets a page on its side.
    """
    import logging

    logging.getLogger("fpdf").setLevel(logging.ERROR)  # missing arrows in the font are not news
    images = {index: chart_png(block.chart) for index, block in enumerate(blocks) if block.kind == "chart"}
    counted = _laid_out(blocks, images, language, page_label, None)
    return bytes(_laid_out(blocks, images, language, page_label, counted.page).output())


def _laid_out(blocks: list[Block], images: dict[int, bytes], language: str, page_label: str,
              pages: int | None) -> Any:
    """The report as an fpdf2 document, its footers saying ``pages`` pages (None: no footers)."""
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    right_to_left = direction(language) == "rtl"
    main = "Vazirmatn" if right_to_left else "Noto Sans"
    fmt = Formatter(language)

    class Document(FPDF):
        def footer(self) -> None:
            if self.page_no() == 1 or pages is None:  # the cover
                return
            self.set_y(-12)
            self.set_font(main, size=8)
            self.set_text_color(110)
            label = page_label.replace("{page}", fmt.digits(str(self.page_no())))
            self.cell(0, 6, label.replace("{pages}", fmt.digits(str(pages))), align="C")
            self.set_text_color(0)

        def _render_styled_text_line(self, *args: Any, **kwargs: Any) -> str:
            """Every line of text names its font. fpdf2 remembers a font as set on the page
            after setting it inside one line's ``q … Q``, which the reader drops: the next line
            that starts in that font then has none ("No font in show": Armenian lists lost
            their bullets, a table header its last line)."""
            self.current_font_is_set_on_page = False
            return super()._render_styled_text_line(*args, **kwargs)

    pdf = Document(format="A4")
    pdf.set_auto_page_break(True, margin=18)
    pdf.add_font("Noto Sans", "", str(_font()))
    for stem, family in SCRIPT_FONTS.items():
        pdf.add_font(family, "", str(FONTS / f"{stem}.ttf"))
    pdf.set_fallback_fonts([f for f in ("Noto Sans", *SCRIPT_FONTS.values()) if f != main])
    if right_to_left:
        pdf.set_text_shaping(True, direction="rtl")
    align = "R" if right_to_left else "L"
    pdf.add_page()
    width = pdf.epw

    # A heading needs room for itself and what follows (a chart whole, else a few lines),
    # else it starts a page.
    def room_for(index: int) -> float:
        if index in images:
            from PIL import Image

            pixels = Image.open(io.BytesIO(images[index])).size
            return 14 + min(width * pixels[1] / pixels[0], pdf.eph)
        return 45

    for index, block in enumerate(blocks):
        if block.kind == "cover":
            pdf.set_y(90)
            pdf.set_font(main, size=30)
            pdf.set_text_color(0, 114, 178)
            pdf.multi_cell(width, 13, block.text, align=align, new_x="LMARGIN", new_y="NEXT")
            pdf.set_text_color(0)
            pdf.ln(6)
            pdf.set_font(main, size=13)
            for line in block.items:
                pdf.multi_cell(width, 7, line, align=align, new_x="LMARGIN", new_y="NEXT")
            pdf.add_page()
            continue
        if block.kind == "pagebreak":
            if pdf.get_y() > pdf.t_margin + 1:
                pdf.add_page()
            continue
        if block.kind == "heading":
            if pdf.get_y() + room_for(index + 1) > pdf.h - pdf.b_margin and pdf.get_y() > pdf.t_margin + 1:
                pdf.add_page()
            pdf.set_font(main, size={1: 20, 2: 15, 3: 12}.get(block.level, 12))
            pdf.ln(3)
            pdf.multi_cell(width, 8, block.text, align=align, new_x="LMARGIN", new_y="NEXT")
        elif block.kind == "text":
            pdf.set_font(main, size=10)
            pdf.multi_cell(width, 5, block.text, align=align, new_x="LMARGIN", new_y="NEXT")
        elif block.kind == "bullets":
            pdf.set_font(main, size=10)
            if block.text and pdf.get_y() > pdf.h - pdf.b_margin - 20:
                pdf.add_page()  # a list's title goes with its first items
            if block.text:
                pdf.multi_cell(width, 5, block.text, align=align, new_x="LMARGIN", new_y="NEXT")
            for item in block.items:
                pdf.multi_cell(width, 5, f"• {item}", align=align, new_x="LMARGIN", new_y="NEXT")
        elif block.kind == "table" and len(block.rows) > 1:
            rows = [[cell[:300] for cell in row] for row in block.rows]
            rows = [list(reversed(row)) for row in rows] if right_to_left else rows
            size, widths, fits = _table_layout(pdf, main, rows, width)
            if not fits:  # a wide table (the journey's 11 lanes) gets a page on its side
                pdf.add_page(orientation="L")
                size, widths, _ = _table_layout(pdf, main, rows, pdf.epw)
            pdf.set_font(main, size=size)
            with pdf.table(text_align="RIGHT" if right_to_left else "LEFT", line_height=size / 2,
                           col_widths=widths, width=pdf.epw,
                           headings_style=FontFace(emphasis="", fill_color=(238, 244, 250))) as table:
                for row in rows:
                    cells = table.row()
                    for cell in row:
                        cells.cell(cell)
            if not fits:
                pdf.add_page(orientation="P")
        elif block.kind == "chart":
            pdf.image(io.BytesIO(images[index]), w=width, keep_aspect_ratio=True, h=min(room_for(index) - 14, pdf.eph))
        pdf.ln(2)
    return pdf


TABLE_SIZES = (8, 7, 6.5)  # font sizes a table may shrink to, so that no word is cut
CELL_PADDING = 4.5  # mm a cell adds around its text (fpdf2 breaks "پشتیبانی", 9.7 mm, in a 12.4 mm column)


def _table_layout(pdf: Any, font: str, rows: list[list[str]], width: float) -> tuple[float, list[float], bool]:
    """The font size and column widths of a table, and whether its words fit: each column
    at least as wide as its longest word, so a long word (Armenian ``Ինքնասպասարկմամբ``)
    is not broken in the middle, the rest shared by how much text each column holds. The
    font shrinks down to 6.5 pt for a wide table; past that the words do not fit."""
    columns = list(zip(*rows))
    for size in TABLE_SIZES:
        pdf.set_font(font, size=size)
        words = [max((pdf.get_string_width(word) for cell in column for word in cell.split()), default=0)
                 + CELL_PADDING for column in columns]
        if sum(words) <= width or size == TABLE_SIZES[-1]:
            break
    text = [sum(pdf.get_string_width(cell) for cell in column) / len(column) + CELL_PADDING for column in columns]
    spare = max(width - sum(words), 0)
    extra = [max(t - w, 0) for t, w in zip(text, words)]
    share = sum(extra) or 1
    widths = [w + spare * e / share if sum(extra) else w + spare / len(words) for w, e in zip(words, extra)]
    return size, widths, sum(words) <= width
