"""Facilitation: the presenter view for the shared screen, with the agenda and its timers,
quick capture and a live anonymous dot vote."""

import html
from collections.abc import Callable
from datetime import timedelta

import streamlit as st

from cxlib.analytics import aggregates, metrics
from cxlib.report import charts
from cxlib.report.inert import markdown_text
from cxlib.steps import progress
from cxlib.workshop import facilitation, links
from ui import content, errors, fields, show
from ui.context import ctx, flash, page_path

context = ctx()
t = context.t
store = context.store
BIG = """<style>
  [data-testid="stMain"] p, [data-testid="stMain"] li { font-size: 1.5rem !important; }
  .cxw-timer { font-size: 5rem; font-weight: 700; font-variant-numeric: tabular-nums; }
  .cxw-timer.over { color: #D55E00; }
  .cxw-link { font-size: 2rem; font-weight: 600; word-break: break-all; }
</style>"""
HIDE_SIDEBAR = "<style>[data-testid='stSidebar'], [data-testid='stSidebarCollapsedControl'] {display: none;}</style>"

st.html(BIG)
# A viewer watches (the agenda is not created for them); editors drive the workshop.
state = facilitation.workshop(store, context.workbook_id)  # reading it writes nothing
SHOWN_KEY = "cx_workshop_shown"
keys = list(progress.STEP_KEYS)
if st.toggle(t("workshop.full_screen"), key="cx_full_screen"):
    st.html(HIDE_SIDEBAR)

title, timer = st.columns([3, 1], vertical_alignment="center")
step = state["current_step"]
title.title(f"{t('step.number', n=keys.index(step) + 1)}: {t(f'step.{step}.title')}")


def _shown(workshop_state: dict) -> tuple:
    """What of the workshop's state this page draws outside its live fragments."""
    return workshop_state["current_step"], workshop_state["voting_open"], workshop_state["vote_token"]


def acted(new_state: dict) -> None:
    """This screen moved the step or opened/closed the vote: what it will draw next, so its
    own fragment, running before the rerun that follows, sees no other screen's change."""
    st.session_state[SHOWN_KEY] = _shown(new_state)


# What this screen showed when it was last drawn, so what a click here was meant for.
seen = st.session_state.get(SHOWN_KEY) or _shown(state)
acted(state)


def press(action: Callable[[], dict]) -> None:
    """Previous, Start timer or Next, for the step this screen showed: if the room had moved
    on from it, nothing changed and a note says where the room is. Then draw the new state."""
    try:
        new_state = action()
    except facilitation.RoomMoved as moved:
        flash(t("workshop.moved_meanwhile", step=t(f"step.{moved.details['step']}.title")), icon=":material/info:")
        new_state = facilitation.workshop(store, context.workbook_id)
    acted(new_state)
    st.rerun()


@st.fragment(run_every=timedelta(seconds=1))
def countdown() -> None:
    live = facilitation.workshop(store, context.workbook_id)
    if _shown(live) != st.session_state.get(SHOWN_KEY):
        # Another screen (perhaps on another server) moved the step or opened or closed the vote.
        st.rerun()
    left = facilitation.seconds_left(live)
    if left is None:
        st.caption(t("workshop.not_started"))
    else:
        css = "cxw-timer over" if left < 0 else "cxw-timer"
        st.html(f"<div class='{css}' dir='ltr'>{context.fmt.digits(facilitation.clock(left))}</div>")


with timer:
    countdown()

previous, start, following = st.columns(3)
if previous.button(t("workshop.previous"), icon=show.arrow(forward=False), width="stretch", key="cx_prev",
                   disabled=step == keys[0]):
    press(lambda: facilitation.move(store, context.workbook_id, -1, context.user, shown=seen[0]))
if start.button(t("workshop.start_timer"), icon=":material/timer:", width="stretch", key="cx_start"):
    press(lambda: facilitation.start_timer(store, context.workbook_id, seen[0], context.user))
if following.button(t("workshop.next"), icon=show.arrow(), width="stretch", key="cx_next",
                    disabled=step == keys[-1]):
    press(lambda: facilitation.move(store, context.workbook_id, 1, context.user, shown=seen[0]))

st.markdown(t(f"step.{step}.summary"))
st.page_link(page_path(step), label=t("workshop.open_step"), icon=":material/open_in_new:")
with st.container(border=True, key="cx_step_content"):
    content.present(step)


@st.cache_data(show_spinner=False, max_entries=8)
def live_scores(workbook_id: int, data_version: int) -> dict:
    """NPS and CSAT of every answer so far, recomputed only when an answer arrives."""
    counted = aggregates.load(store, workbook_id)  # the kept answer counts, not every answer
    answered = aggregates.answers(counted)
    return {m: aggregates.survey_kpi(counted, m) for m in ("nps", "csat") if answered.get(m, 0)}


@st.fragment(run_every=timedelta(seconds=1))
def live_tile() -> None:
    """The workshop's live tile: answers from phones and webhooks show within a second."""
    version = store.get("workbooks", context.workbook_id)["data_version"]  # the fragment runs outside the frame
    scores = live_scores(context.workbook_id, version)
    if not scores:
        st.info(t("workshop.live_none"), icon=":material/qr_code_2:")
        return
    for column, (metric, result) in zip(st.columns(len(scores)), scores.items()):
        with column.container(border=True):
            st.metric(t(f"metrics.name.{metric}"), metrics.value_words(metric, result.value, t, context.fmt))
            st.caption(t("workshop.live_n", n=result.n))


if st.toggle(t("workshop.live_tile"), key="cx_live_tile"):
    live_tile()


def add_idea() -> None:
    facilitation.capture(store, context.workbook_id, None, st.session_state["cx_capture"], context.user)
    st.session_state["cx_capture"] = ""


st.text_input(t("workshop.capture"), key="cx_capture", on_change=add_idea,
              placeholder=t("workshop.capture_hint"))
for idea in facilitation.ideas(store, context.workbook_id, step):
    st.markdown("- " + markdown_text(" ".join(idea["text"].splitlines())))

st.header(t("workshop.vote"))
if not state["voting_open"]:
    dots = fields.number_field(t("workshop.dots"), state["dots"], key="cx_dots", minimum=1, maximum=facilitation.MAX_DOTS)
    if st.button(t("workshop.open_vote"), type="primary", key="cx_open_vote"):
        if errors.attempt(lambda: acted(facilitation.open_voting(store, context.workbook_id, dots, context.user))):
            st.rerun()
    if state["ranking"]:
        st.caption(t("workshop.saved_ranking"))
        show.table([{t("workshop.item"): row["item"], t("workshop.dots_label"): row["dots"]}
                    for row in state["ranking"]])
else:
    headers = st.context.headers
    base = links.base_url(headers.get("Host"), headers.get("X-Forwarded-Proto", "http"))
    # /join-vote gives each phone its server-signed voter identity, then opens the vote page.
    vote_link = links.page_link(base, "join-vote", wb=context.workbook_id, token=state["vote_token"])
    code, words = st.columns([1, 2], vertical_alignment="center")
    code.image(links.qr_png(vote_link.url), caption=t("workshop.scan"), width="stretch")
    words.markdown(t("workshop.link"))
    words.html(f"<div class='cxw-link' dir='ltr'>{html.escape(vote_link.url)}</div>")
    if not vote_link.reachable:
        words.warning(t("workshop.unreachable"), icon=":material/wifi_off:")

    @st.fragment(run_every=timedelta(seconds=1))  # a vote cast through any server shows within a second or two
    def live_results() -> None:
        table = facilitation.results(store, context.workbook_id)
        st.caption(t("workshop.voters", n=facilitation.voters(store, context.workbook_id)))
        if table.height:
            show.chart(charts.bars(table, "item", "dots", {"category": t("workshop.item"),
                                                                 "value": t("workshop.dots_label"),
                                                                 "title": t("workshop.results")}))

    live_results()
    if st.button(t("workshop.close_vote"), type="primary", key="cx_close_vote"):
        acted(facilitation.close_voting(store, context.workbook_id, context.user))
        st.rerun()

with st.expander(t("workshop.agenda"), icon=":material/schedule:"):
    st.caption(t("workshop.agenda_help", total=sum(state["agenda"].values())))
    with st.form("cx_agenda"):
        minutes = {
            key: fields.number_field(f"{t('step.number', n=i + 1)}: {t(f'step.{key}.title')}",
                                 state["agenda"].get(key, facilitation.DEFAULT_MINUTES[key]), key=f"cx_minutes_{key}",
                                 minimum=1, maximum=240, in_form=True)
            for i, key in enumerate(keys)
        }
        if st.form_submit_button(t("save")):
            if errors.attempt(lambda: facilitation.set_minutes(store, context.workbook_id, minutes, context.user),
                          success=t("saved")):
                st.rerun()
    jump = st.selectbox(t("workshop.jump"), keys, index=keys.index(step),
                        format_func=lambda k: t(f"step.{k}.title"), key="cx_jump")
    if jump != step and st.button(t("workshop.go"), key="cx_go"):
        acted(facilitation.go_to(store, context.workbook_id, jump, context.user))
        st.rerun()
