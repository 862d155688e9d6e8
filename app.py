"""The frame: page config, language, sign-in, workbook picker, undo, navigation.

The open workbook (``wb``) and language (``lang``) live in the URL, so a refresh or a
shared link opens the same workbook, if the person may open it. ``main(start_page)`` lets
tests run any page inside this frame, as a user landing on it would. The participants'
vote page runs in a frame of its own: no sidebar, no sign-in, nothing but the vote.
"""

from urllib.parse import urlparse

import streamlit as st

from cxlib.access import roles
from cxlib.access.roles import Actor
from cxlib.l10n.formats import Formatter
from cxlib.l10n.i18n import default_language, languages, Translator
from cxlib.report.inert import markdown_text
from cxlib.storage import workbooks
from cxlib.storage.store import main_row, Store
from ui import access, context, editing, errors, imports, live, style

# (file stem = url path, icon, title key), grouped by section title key.
PAGES = {
    "nav.workbook": (
        ("home", ":material/home:", "nav.home"),
        ("workbooks", ":material/folder_open:", "nav.workbooks"),
        ("report", ":material/summarize:", "nav.report"),
    ),
    "nav.steps": (
        ("personas", ":material/groups:", "step.personas.title"),
        ("vision", ":material/visibility:", "step.vision.title"),
        ("journeys", ":material/route:", "step.journeys.title"),
        ("competitors", ":material/leaderboard:", "step.competitors.title"),
        ("team", ":material/diversity_3:", "step.team.title"),
        ("automation", ":material/smart_toy:", "step.automation.title"),
        ("listening", ":material/campaign:", "step.listening.title"),
        ("emotion", ":material/favorite:", "step.emotion.title"),
        ("feedback", ":material/forum:", "step.feedback.title"),
        ("metrics", ":material/monitoring:", "step.metrics.title"),
    ),
    "nav.analysis": (("whatif", ":material/calculate:", "whatif.title"),),
    "nav.workshop": (("workshop", ":material/co_present:", "nav.presenter"),),
}
AFTER_SIGN_IN = "cx_after_sign_in"
# Reached by link only (participants' phones), in a frame of their own (see run_vote_page).
PARTICIPANT_PAGES = (("vote", ":material/how_to_vote:", "nav.vote"),)
# The start page's own name in st.navigation (it is served at "/"): its stem stays free
# for a hidden copy, so its address works too.
START_SUFFIX = "start"


def pick_language(participant: bool = False) -> Translator:
    """Language from the URL, else this session's choice; the sidebar picker changes it
    (participants have no sidebar: theirs comes from the link)."""
    available = languages()
    language = st.query_params.get("lang") or st.session_state.get("cx_lang", default_language())
    if language not in available:
        language = default_language()
    t = Translator(language)
    if participant:
        return t
    chosen = st.sidebar.selectbox(
        t("frame.language"),
        list(available),
        index=list(available).index(language),
        format_func=available.get,
        key="cx_lang_picker",
    )
    if chosen != language:
        st.session_state["cx_lang"] = chosen
        st.query_params["lang"] = chosen
        st.rerun()
    st.session_state["cx_lang"] = language
    if language != "en" or "lang" in st.query_params:
        st.query_params["lang"] = language
    return t


def pick_calendar(t: Translator) -> str:
    """Persian teams may read dates in the Solar Hijri calendar (``?cal=persian``)."""
    if t.language != "fa":
        return "gregorian"
    wanted = st.query_params.get("cal") or st.session_state.get("cx_cal", "gregorian")
    st.session_state.setdefault("cx_cal_toggle", wanted == "persian")
    calendar = "persian" if st.sidebar.toggle(t("frame.solar_hijri"), key="cx_cal_toggle") else "gregorian"
    st.session_state["cx_cal"] = calendar
    if calendar == "persian":
        st.query_params["cal"] = calendar
    else:
        st.query_params.pop("cal", None)
    return calendar


def pick_workbook(store: Store, t: Translator, actor: Actor) -> dict:
    """Workbook from the URL, else this session's choice, else the first one, among those
    the actor may open. A workbook they may not open is treated as one that does not
    exist: the same message, and nothing of it shown, not even its name."""
    all_workbooks = roles.visible_workbooks(store, actor)
    if not all_workbooks:
        # Nothing to open (every workbook deleted, or a newcomer): start a fresh, empty
        # one of their own so the app stays usable.
        workbooks.create_workbook(store, t("workbooks.default_name"), actor)
        all_workbooks = roles.visible_workbooks(store, actor)
    by_id = {wb["id"]: wb for wb in all_workbooks}
    wanted = st.query_params.get("wb") or st.session_state.get("cx_wb")
    workbook_id = int(wanted) if wanted and str(wanted).isdigit() else None
    if workbook_id not in by_id:
        if wanted is not None:
            st.warning(t("frame.workbook_missing"), icon=":material/warning:")
        workbook_id = all_workbooks[0]["id"]
    picked = st.sidebar.selectbox(
        t("frame.workbook"),
        list(by_id),
        index=list(by_id).index(workbook_id),
        format_func=lambda i: by_id[i]["name"],
        key=f"cx_wb_picker_{workbook_id}",
    )
    if picked != workbook_id:
        st.session_state.pop(errors.CONFLICT_KEY, None)
        workbook_id = picked
    st.session_state["cx_wb"] = workbook_id
    st.query_params["wb"] = str(workbook_id)
    return by_id[workbook_id]


def pick_projector(t: Translator) -> bool:
    """Projector mode (``?screen=projector``): type and charts sized for a shared screen."""
    wanted = st.query_params.get("screen") == "projector"
    st.session_state.setdefault("cx_projector", wanted)
    on = st.sidebar.toggle(t("frame.projector"), key="cx_projector", help=t("frame.projector_help"))
    if on and st.query_params.get("screen") != "projector":
        st.query_params["screen"] = "projector"
    elif not on and "screen" in st.query_params:
        st.query_params.pop("screen")
    return on


def warn_unsaved(t: Translator) -> None:
    """Grid edits left unsaved on another page are kept: say where, with a way back."""
    for stem, changes in editing.unsaved_elsewhere():
        title = next(title for pages in PAGES.values() for s, _, title in pages if s == stem)
        st.warning(t("editing.unsaved_elsewhere", changes=changes, page=t(title)), icon=":material/edit_note:")
        st.page_link(context.page_path(stem), label=t(title), icon=":material/undo:")


def undo_button(store: Store, t: Translator, workbook_id: int) -> None:
    """Offer to undo the newest change of the open workbook, naming it, and undo exactly
    that change when clicked (its id is bound to the button as it was drawn), even if
    someone saved something newer in between; only for those who may edit it. Votes, the
    presenter's screen and sharing are never what it offers."""
    if not context.ctx().can("edit"):
        return
    last = store.last_change(workbook_id, skip_live=True)
    if not last:
        return
    row = main_row(last)
    label = t(
        "frame.undo",
        what=t(f"history.action.{row['action']}"),
        table=t(f"history.table.{row['table_name']}"),
        who=markdown_text(context.author(row["who"], t)),  # a typed name: shown as typed, never as Markdown
    )
    st.sidebar.button(label, icon=":material/undo:", key=f"cx_undo_{row['change_id']}", width="stretch",
                      on_click=errors.undo, args=(store, workbook_id, row["change_id"], context.ctx().user))


def main(start_page: str = "home") -> None:
    """Draw the frame and run the current page; ``start_page`` is where a new visit lands."""
    # The icon is a file of the app: a Material icon here would be fetched from Google.
    st.set_page_config(page_title="CX Strategy Workbook", page_icon=str(style.STATIC / "favicon.png"), layout="wide")
    st.html(style.STYLE)
    store = context.get_store()
    participant = requested_page(start_page) == "vote"
    t = pick_language(participant)
    st.set_page_config(page_title=t("app.title"))
    if t.language != "en":
        st.html(style.STREAMLIT_WORDS_STYLE.replace("UPLOAD", t("frame.upload")))
    # Always sent: in English it stops the replacing a previous language started.
    st.html(style.streamlit_words_script(t.language, {} if t.language == "en" else {
        english: t(f"streamlit.{key}") for english, key in style.STREAMLIT_WORDS.items()}),
        unsafe_allow_javascript=True)
    if t.direction == "rtl":
        st.html(style.RIGHT_TO_LEFT_STYLE)
    if participant:
        run_vote_page(store, t)
        return
    try:
        config = access.sign_in_config(t)
        access.refuse_network_visitor_without_sign_in(config, t)
        actor = access.current_actor(store, config, t)
    except access.NotSignedIn:
        # The page the address asks for opens once signed in (see below).
        st.session_state.setdefault(AFTER_SIGN_IN, requested_page(start_page))
        st.stop()
    fmt = Formatter(t.language, pick_calendar(t))
    workbook = pick_workbook(store, t, actor)
    access.sign_out_button(store, config, actor, t)
    context.set_context(context.Context(store, workbook, t, actor, fmt))
    undo_button(store, t, workbook["id"])

    def make_page(stem: str, icon: str, title: str, url_path: str | None = None, **options) -> st.Page:
        return st.Page(context.page_path(stem), title=t(title), icon=icon, url_path=url_path or stem, **options)

    # The start page is served at the root under another name; its own address (/home?lang=fa)
    # opens a hidden twin of it, instead of Streamlit's English "Page not found".
    by_stem = {stem: make_page(stem, icon, title, f"{stem}-{START_SUFFIX}" if stem == start_page else None,
                               default=stem == start_page)
               for pages in PAGES.values() for stem, icon, title in pages}
    twins = {start_page: make_page(stem, icon, title, visibility="hidden")
             for pages in PAGES.values() for stem, icon, title in pages if stem == start_page}
    navigation = {t(section): [by_stem[stem] for stem, _, _ in pages] for section, pages in PAGES.items()}
    navigation[t("nav.workshop")] += list(twins.values())
    page = st.navigation(navigation, expanded=True)
    current = context.ctx()
    current.page = next(stem for stem, known in (*by_stem.items(), *twins.items()) if known is page)
    imports.let_go_elsewhere(current.page)
    wanted = st.session_state.pop(AFTER_SIGN_IN, None)
    if wanted and wanted != current.page and wanted in by_stem:
        st.switch_page(by_stem[wanted], query_params=dict(st.query_params))
    if pick_projector(t) or current.page == "workshop":  # the presenter view is always for the room
        st.html(style.PROJECTOR_STYLE)
        current.projector = True
    try:
        context.show_flash()
        warn_unsaved(t)
        errors.undo_outcome()
        errors.conflict_panel()
        errors.guarded(page.run)
    finally:
        context.clear_context()
        live.forget_request()


def requested_page(start_page: str) -> str:
    """The page in the address (the last part of its path), or where a new visit lands."""
    path = urlparse(st.context.url or "").path.rstrip("/")
    return path.rsplit("/", 1)[-1] if path and path.rsplit("/", 1)[-1] else start_page


def run_vote_page(store: Store, t: Translator) -> None:
    """Participants' phones: the vote and nothing else (no sidebar, no sign-in, no undo).

    The workbook comes from the link, and the page shows nothing of it unless the link's
    vote token is the open vote's; who votes is the identity the server issued."""
    st.html(style.PARTICIPANT_STYLE)
    # The default page of a navigation is served at "/", so when the address names the
    # vote page it must not be the default: the default then says there is no vote here.
    # (A run with no address, as under test, lands on the vote page itself.)
    named = bool(urlparse(st.context.url or "").path.strip("/"))
    page = st.navigation(
        [st.Page(lambda: st.info(t("vote.closed")), title=t("nav.vote"), url_path="no-vote", default=named)]
        + [st.Page(context.page_path(stem), title=t(title), icon=icon, url_path=stem, default=not named)
           for stem, icon, title in PARTICIPANT_PAGES],
        position="hidden",
    )
    wanted = st.query_params.get("wb", "")
    workbook = store.get("workbooks", int(wanted)) if str(wanted).isdigit() else None
    if workbook is None:
        st.info(t("vote.closed"))
        return
    voter = access.participant(store, workbook["id"])
    context.set_context(context.Context(store, workbook, t, voter, Formatter(t.language)))
    try:
        context.show_flash()
        errors.guarded(page.run)
    finally:
        context.clear_context()


if __name__ == "__main__":
    main()
