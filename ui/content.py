"""Each step's living content, read-only: drawn by the step pages and by the presenter view.

The presenter view shows on the shared screen what the room is working on (persona cards,
the journey map and its curve, the competitor matrix, the KPI tiles...), so both draw the
same thing from the same code. Nothing here writes.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

import streamlit as st

from cxlib.analytics import aggregates, metrics
from cxlib.report import charts
from cxlib.report.inert import markdown_text
from cxlib.steps import automation, competitors, emotion, feedback, journeys, listening, personas, team, vision
from cxlib.storage import records
from ui import show
from ui.context import ctx, data_version


def bullet_list(text: str | None) -> str:
    return "\n".join(f"- {markdown_text(item)}" for item in records.lines(text))


def persona_card(persona: dict[str, Any], share: float | None) -> None:
    """One persona as a card: who, quote, goals, pain points, channels and segment figures."""
    context = ctx()
    t, fmt = context.t, context.fmt
    with st.container(border=True):
        avatar, heading = st.columns([1, 5], vertical_alignment="center")
        avatar.html(f"<div class='cxw-avatar'>{html.escape(personas.initials(persona['name']))}</div>")
        heading.markdown(f"### {markdown_text(persona['name'])}")
        heading.caption(" · ".join(markdown_text(x) for x in (persona["role"], persona["segment"]) if x))
        if persona["quote"]:
            st.markdown("\n".join(f"> {markdown_text(line)}" for line in persona["quote"].splitlines()))
        for field in ("goals", "pain_points", "looks_for", "objections"):
            if records.lines(persona[field]):
                st.markdown(f"**{t(f'field.{field}')}**")
                st.markdown(bullet_list(persona[field]))
        if persona["channels"]:
            st.markdown(f"**{t('field.channels')}:** " + fmt.join(t(f"channel.{c}") for c in persona["channels"]))
        # The amount gets a row of its own: in a third of a card it was cut to "…٬۰۰۰٫۰۰".
        numbers = st.columns(2)
        numbers[0].metric(t("field.segment_size"), fmt.number(persona["segment_size"]))
        numbers[1].metric(t("personas.revenue_share"), fmt.percent(share))
        st.metric(t("field.segment_value"), fmt.money(persona["segment_value"], context.workbook["currency"]))
        with st.expander(t("personas.more")):
            for field in ("demographics", "identifiers", "preferences", "values_text"):
                if persona[field]:
                    st.markdown(f"**{t(f'field.{field}')}**")
                    st.markdown(bullet_list(persona[field]) or markdown_text(persona[field]))


def persona_cards(all_personas: list[dict[str, Any]], per_row: int = 3) -> None:
    shares = personas.revenue_share(all_personas)
    for start in range(0, len(all_personas), per_row):
        for column, persona in zip(st.columns(per_row), all_personas[start : start + per_row]):
            with column:
                persona_card(persona, shares[persona["id"]])


@st.cache_data(show_spinner=False, max_entries=16)
def _measured(_store: Any, workbook_id: int, data_version: int, database: str) -> dict[str, float]:
    """Per-stage emotion from the answers: recomputed only when the workbook's data changes."""
    return feedback.measured_emotion(_store, workbook_id)


def journey_canvas(persona: dict[str, Any], stages: list[dict[str, Any]]) -> None:
    """The journey map as one picture: the persona's emotion curves above the journey's
    lanes, each stage one column through all of them (the table stays one click away)."""
    context = ctx()
    t = context.t
    if not stages:
        st.info(t("journeys.no_stages"))
        return
    spec = _canvas_spec(context.workbook_id, data_version(), str(context.store.path), persona["id"],
                        stages[0]["journey_id"], t.language, context.fmt.calendar, context.projector,
                        context.store, t, context.fmt)
    if spec is None:  # the stages or the persona were deleted a moment ago
        st.info(t("journeys.no_stages"))
        return
    show.draw_spec(spec)
    with st.expander(t("journeys.as_table"), icon=":material/table:"):
        swimlane(stages)


@st.cache_resource(show_spinner=False, max_entries=64)
def _canvas_spec(workbook_id: int, version: int, database: str, persona_id: int, journey_id: int,
                 language: str, calendar: str, projector: bool, _store: Any, _t: Any, _fmt: Any) -> dict | None:
    """The canvas as the spec Streamlit draws, built once per data version (every write
    moves it), journey, language, calendar and screen for all sessions: altair takes a
    quarter of a second to build it, which was most of a switch to step 3.

    The persona and stages are read here, after ``version`` was: what is cached under a
    version is never older than it (a save between the caller's reads and its version
    would otherwise be cached under the newer number and shown to everyone)."""
    t, store = _t, _store
    persona, stages = store.get("personas", persona_id), journeys.list_stages(store, journey_id)
    if persona is None or not stages:
        return None
    curve = journeys.emotion_frame(store, workbook_id, persona_id, _measured(store, workbook_id, version, database))
    return show.chart_spec(charts.journey_canvas(
        journeys.canvas_cells(stages, {lane: t(f"field.{lane}") for lane in journeys.LANES},
                              {value: t(f"emotion.{value}") for value in range(-2, 3)},
                              {c: t(f"channel.{c}") for c in journeys.CHANNELS},
                              {team_code: t(f"team.{team_code}") for team_code in vision.TEAMS}),
        curve, [stage["name"] for stage in stages],
        {"title": t("journeys.curve_title", persona=persona["name"]), "stage": t("journeys.stage"),
         "emotion": t("field.emotion"), "journey": t("journeys.journey"), "pain_points": t("field.pain_points")},
        {kind: t(f"journeys.kind.{kind}") for kind in (*journeys.KINDS, "target", "measured")},
        right_to_left=t.direction == "rtl"), _fmt, t.direction == "rtl", projector)


def swimlane(stages: list[dict[str, Any]]) -> None:
    """A journey's stages as columns and its lanes (goal, touchpoints, emotion...) as rows."""
    t = ctx().t
    lane_labels = {lane: t(f"field.{lane}") for lane in journeys.LANES}
    emotion_labels = {value: t(f"emotion.{value}") for value in range(-2, 3)}
    st.html(journeys.swimlane_html(stages, lane_labels, emotion_labels, t.direction,
                                   {"channels": {c: t(f"channel.{c}") for c in journeys.CHANNELS},
                                    "owner_team": {code: t(f"team.{code}") for code in vision.TEAMS}}))


def competitor_matrix(rows: list[dict[str, Any]]) -> None:
    """The 1–5 scores of us and each competitor as a heatmap, then where we trail."""
    t = ctx().t
    factor_labels = {f: t(f"factor.{f}") for f in competitors.FACTORS}
    scores = competitors.score_frame(rows).drop_nulls("score")
    if scores.height:
        show.chart(charts.score_heatmap(scores, {"factor": t("competitors.factor"), "score": t("competitors.score"),
                                                 "title": t("competitors.heatmap_title")}, factor_labels))
    st.subheader(t("competitors.gaps"))
    gaps = competitors.gaps(rows)
    if gaps.height == 0:
        st.info(t("competitors.no_gaps"))
    for gap in gaps.iter_rows(named=True):
        st.markdown(t("competitors.gap_line", factor=factor_labels[gap["factor"]], leader=markdown_text(gap["leader"]),
                      best=gap["best"], ours=gap["ours"], gap=gap["gap"]))


# -- the presenter view: one function per step ---------------------------------------------


def _present_personas() -> None:
    context = ctx()
    found = personas.list_personas(context.store, context.workbook_id)
    if not found:
        st.info(context.t("personas.empty"))
    persona_cards(found)


def _present_vision() -> None:
    context = ctx()
    t = context.t
    current = vision.get_vision(context.store, context.workbook_id) or {}
    if current.get("statement"):
        st.markdown(f"## {markdown_text(' '.join(current['statement'].splitlines()))}")
    principles = records.lines(current.get("principles"))
    if principles:
        st.markdown(f"**{t('report.principles')}**")
        st.markdown(bullet_list(current.get("principles")))
    goals = vision.list_goals(context.store, context.workbook_id)
    if goals:
        show.table([{t("field.team"): t(f"team.{g['team']}") if g.get("team") else "", t("field.goal"): g["goal"],
                     t("field.kpi"): g["kpi"], t("field.target"): g["target"]} for g in goals])
    if not (current.get("statement") or principles or goals):
        st.info(t("report.empty_step"))


def _present_journeys() -> None:
    context = ctx()
    t = context.t
    found = journeys.list_journeys(context.store, context.workbook_id)
    if not found:
        st.info(t("report.empty_step"))
        return
    by_persona = {p["id"]: p for p in personas.list_personas(context.store, context.workbook_id)}
    mapped = [by_persona[i] for i in dict.fromkeys(j["persona_id"] for j in found) if i in by_persona]
    persona = mapped[0]
    if len(mapped) > 1:
        chosen = st.segmented_control(t("journeys.persona"), [p["id"] for p in mapped], default=mapped[0]["id"],
                                      format_func=lambda i: by_persona[i]["name"], key="cx_present_persona")
        persona = by_persona.get(chosen, mapped[0])
    first = next(j for j in found if j["persona_id"] == persona["id"])
    journey_canvas(persona, journeys.list_stages(context.store, first["id"]))


def _present_competitors() -> None:
    context = ctx()
    competitor_matrix(competitors.list_competitors(context.store, context.workbook_id))


def _present_team() -> None:
    context = ctx()
    t = context.t
    members = team.list_members(context.store, context.workbook_id)
    if not members:
        st.info(t("report.empty_step"))
        return
    show.table([{t(f"field.{c}"): m[c] for c in ("name", "role", "skills")} for m in members])
    stage_names = journeys.stage_names(context.store, context.workbook_id)
    unowned = team.unowned_stages(members, stage_names)
    if unowned:
        st.warning(t("team.unowned", stages=", ".join(unowned)), icon=":material/warning:")


def _present_automation() -> None:
    context = ctx()
    t = context.t
    items = automation.list_items(context.store, context.workbook_id)
    if not items:
        st.info(t("report.empty_step"))
        return
    ranked = automation.scored(items)
    show.chart(charts.impact_effort(ranked, {"effort": t("field.effort"), "impact": t("field.impact"),
                                             "priority": t("field.priority"), "name": t("field.name"),
                                             "title": t("automation.matrix_title")}))


def _present_listening() -> None:
    context = ctx()
    t = context.t
    share = _share_of_voice(context.store, context.workbook_id, data_version(), str(context.store.path))
    if share is None:
        st.info(t("listening.empty"))
        return
    show.chart(charts.bars(share, "brand", "share", {"category": t("listening.col.brand"),
                                                     "value": t("listening.col.share"),
                                                     "title": t("listening.share")}, value_format=".0%"))


def _present_emotion() -> None:
    context = ctx()
    t = context.t
    story = emotion.get_story(context.store, context.workbook_id) or {}
    for name in ("story", "transparency", "people"):
        if story.get(name):
            st.markdown(f"**{t(f'field.{name}')}**")
            st.markdown(markdown_text(story[name]))
    moments = [s for s in journeys.all_stages(context.store, context.workbook_id) if s.get("moment_that_matters")]
    if moments:
        st.markdown(f"**{t('field.moment_that_matters')}**")
        st.markdown("\n".join(f"- {markdown_text(s['name'])}: {markdown_text(s['moment_that_matters'])}"
                               for s in moments))
    if not (story or moments):
        st.info(t("report.empty_step"))


def _present_feedback() -> None:
    context = ctx()
    t = context.t
    surveys = feedback.list_surveys(context.store, context.workbook_id)
    if surveys:
        show.table([{t("field.name"): s["name"], t("field.stage"): s.get("stage") or "",
                     t("field.channel"): t(f"feedback.channel.{s['channel']}") if s.get("channel") else ""}
                    for s in surveys])
    waiting = [f for f in feedback.follow_ups(context.store, context.workbook_id) if f.get("status") in (None, "open")]
    st.metric(t("workshop.follow_ups_open"), context.fmt.number(len(waiting)))


def kpi_tiles(headlines: list[metrics.Headline]) -> None:
    """The headline KPIs as large tiles: value, target and interval (details on step 10)."""
    context = ctx()
    t, fmt = context.t, context.fmt
    for column, headline in zip(st.columns(max(len(headlines), 1)), headlines):
        with column.container(border=True):
            st.metric(t(f"metrics.name.{headline.metric}"), metrics.value_words(headline.metric, headline.value, t, fmt))
            if headline.target is not None:
                st.caption(f"{t('field.target')}: {fmt.shortest(headline.target)}")
            if headline.ci_low is not None:
                st.caption(t("metrics.ci", low=fmt.number(headline.ci_low, 1), high=fmt.number(headline.ci_high, 1),
                             n=headline.n))


@st.cache_data(show_spinner=False, max_entries=16)
def _share_of_voice(_store: Any, workbook_id: int, data_version: int, database: str) -> Any:
    """Share of voice, once per change of the workbook's data (every capture reruns the page)."""
    mentions = listening.load(_store, workbook_id)
    return listening.share_of_voice(mentions) if mentions.height else None


@st.cache_data(show_spinner=False, max_entries=16)
def _headlines(_store: Any, workbook_id: int, data_version: int, database: str, calendar: str) -> list[metrics.Headline]:
    """The KPI tiles' figures, once per change of the workbook's data, not on every rerun
    (``database`` keeps two stores in one process apart; churn is for the last full month
    of ``calendar``)."""
    return metrics.headlines(aggregates.load(_store, workbook_id), feedback.load_tickets(_store, workbook_id),
                             feedback.load_events(_store, workbook_id), vision.list_goals(_store, workbook_id),
                             calendar)


def _present_metrics() -> None:
    context = ctx()
    lines = _headlines(context.store, context.workbook_id, data_version(), str(context.store.path), context.fmt.calendar)
    if not lines:
        st.info(context.t("metrics.empty"))
    kpi_tiles(lines)


PRESENT: dict[str, Callable[[], None]] = {
    "personas": _present_personas, "vision": _present_vision, "journeys": _present_journeys,
    "competitors": _present_competitors, "team": _present_team, "automation": _present_automation,
    "listening": _present_listening, "emotion": _present_emotion, "feedback": _present_feedback,
    "metrics": _present_metrics,
}


def present(step: str) -> None:
    """Draw step ``step``'s content for the shared screen."""
    PRESENT[step]()


