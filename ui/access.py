"""Who is using this session: the sign-in ways (built-in accounts, trusted proxy, single
sign-on), sign-out, the idle timeout, and the safe default for a server without sign-in.

The permission checks themselves live in :mod:`cxlib.access.roles` and run inside every
write; this module only finds out who the actor is and keeps them for the session.
"""

from __future__ import annotations

import time

import streamlit as st

from cxlib.access import accounts, sessions, voters
from cxlib.access.config import ConfigError, SignInConfig
from cxlib.access.roles import Actor
from cxlib.l10n.i18n import Translator
from cxlib.storage.store import Store, ValidationError
from ui.context import flash

class NotSignedIn(Exception):
    """Raised once the sign-in page (or a refusal) is drawn: the frame keeps the page the
    address asks for, so it opens after signing in, and runs nothing else."""


ACTOR_KEY = "cx_actor"
VOUCHED_KEY = "cx_vouched"  # (login, source) the cached actor was made from
SEEN_KEY = "cx_seen"
SESSION_KEY = "cx_session"  # the id of the sign-in session that survives a refresh
CLAIM_KEY = "cx_claim"  # its one-time code, until the browser has claimed its cookie


def sign_in_config(t: Translator) -> SignInConfig:
    """This server's sign-in settings; a setting that cannot be served stops every page."""
    try:
        return SignInConfig.from_env()
    except ConfigError as error:
        st.error(t("access.config_error"), icon=":material/lock:")
        st.code(str(error), language=None)
        raise NotSignedIn


def refuse_network_visitor_without_sign_in(config: SignInConfig, t: Translator) -> None:
    """The safe default: without sign-in, only this computer may use the app, unless the
    operator chose open mode, which every page then says. (The server itself refuses to
    start on a network address: see ``serve.py``.)"""
    if config.signs_in:
        return
    if config.open_mode:
        st.warning(t("access.open_banner"), icon=":material/public:")
        return
    if _peer() is not None:  # None: the visitor is on this computer
        st.error(t("access.local_only"), icon=":material/lock:")
        raise NotSignedIn


def _idle_expired(config: SignInConfig) -> bool:
    """Whether the session sat idle too long; every run counts as activity."""
    now = time.monotonic()
    seen = st.session_state.get(SEEN_KEY)
    st.session_state[SEEN_KEY] = now
    return seen is not None and now - seen > config.idle_minutes * 60


def current_actor(store: Store, config: SignInConfig, t: Translator) -> Actor:
    """The actor of this run; draws the sign-in page and stops when nobody is signed in."""
    if not config.signs_in:
        name = st.sidebar.text_input(t("frame.your_name"), key="cx_user", placeholder=t("frame.your_name_hint"))
        if not config.open_mode:
            st.sidebar.caption(t("access.private_here"))
        return Actor.local(name.strip() or t("frame.anonymous"))
    if _idle_expired(config) and st.session_state.get(ACTOR_KEY) is not None:
        sign_out(store, config, t, idle=True)
    if config.method == "proxy":
        return _from_proxy(store, config, t)
    if config.method == "oidc":
        return _from_single_sign_on(store, config, t)
    actor = st.session_state.get(ACTOR_KEY)
    if actor is None:
        resumed = sessions.resume(store, st.context.cookies.get(sessions.COOKIE), config.idle_minutes)
        if resumed is None:
            _sign_in_form(store, t)
            raise NotSignedIn
        st.session_state[SESSION_KEY], actor = resumed
    elif SESSION_KEY in st.session_state and not sessions.touch(
            store, st.session_state[SESSION_KEY], actor, config.idle_minutes):
        sign_out(store, config, t)  # signed out in another tab of this browser, or by the idle time
    _hand_over_cookie()
    return _refreshed(store, t, actor)


def _hand_over_cookie() -> None:
    """Right after the password, the browser claims the session's cookie: the page loads
    ``/sign-in/claim`` as an invisible image (Streamlit cannot set a cookie itself)."""
    code = st.session_state.pop(CLAIM_KEY, None)
    if code:
        st.html(f'<img src="sign-in/claim?code={code}" alt="" width="1" height="1" style="position:absolute">')


def _from_proxy(store: Store, config: SignInConfig, t: Translator) -> Actor:
    """The person the trusted proxy names in its header (re-read on every run)."""
    vouched = config.proxy_login(_peer(), st.context.headers)
    if vouched is None:
        st.session_state.pop(ACTOR_KEY, None)
        st.error(t("access.proxy_missing"), icon=":material/lock:")
        raise NotSignedIn
    return _external(store, config, t, *vouched, "proxy")


def _peer() -> str | None:
    """The address the connection comes from (None: this computer, as Streamlit says
    for 127.0.0.1 and ::1; a test run without a connection has no address either)."""
    address = st.context.ip_address
    return address if isinstance(address, str) else None


def _from_single_sign_on(store: Store, config: SignInConfig, t: Translator) -> Actor:
    """The person the identity provider signed in (Streamlit's ``st.login``)."""
    if not st.user.is_logged_in:
        st.session_state.pop(ACTOR_KEY, None)
        st.title(t("access.sign_in"))
        if st.button(t("access.sign_in_sso"), type="primary", icon=":material/login:"):
            st.login()
        raise NotSignedIn
    login = st.user.get("email") or st.user.get("preferred_username") or st.user.get("sub") or ""
    return _external(store, config, t, str(login), str(st.user.get("name") or login), "oidc")


def _external(store: Store, config: SignInConfig, t: Translator, login: str, name: str, source: str) -> Actor:
    """The account the provider or proxy vouches for, made on first sign-in; kept for the
    session while the same person is vouched for (one write per session, not per click)."""
    known = st.session_state.get(ACTOR_KEY)
    if known is not None and st.session_state.get(VOUCHED_KEY) == (login, source):
        return _refreshed(store, t, known)
    try:
        actor = accounts.external_sign_in(store, login, name, source, config.admins)
    except (accounts.SignInRefused, ValidationError):  # disabled, or a login we cannot take
        st.error(t("access.refused"), icon=":material/lock:")
        raise NotSignedIn
    st.session_state[ACTOR_KEY] = actor
    st.session_state[VOUCHED_KEY] = (login, source)
    return actor


def _refreshed(store: Store, t: Translator, actor: Actor) -> Actor:
    """The session's actor as their account is now: a disabled account is signed out at
    once, a changed name or admin flag shows on the next click."""
    account = store.get("accounts", actor.account_id) if actor.account_id else None
    if account is None or account["disabled"]:
        st.session_state.pop(ACTOR_KEY, None)
        st.error(t("access.refused"), icon=":material/lock:")
        raise NotSignedIn
    fresh = Actor.user(account)
    st.session_state[ACTOR_KEY] = fresh
    return fresh


def _sign_in_form(store: Store, t: Translator) -> None:
    """Login and password for a built-in account."""
    st.title(t("access.sign_in"))
    with st.form("cx_sign_in"):
        login = st.text_input(t("access.login"), key="cx_login", max_chars=accounts.MAX_LOGIN)
        password = st.text_input(t("access.password"), type="password", key="cx_password")
        if st.form_submit_button(t("access.sign_in"), type="primary", icon=":material/login:"):
            try:
                actor = accounts.sign_in(store, login, password)
            except accounts.TooManyAttempts as error:
                st.error(t("access.throttled", minutes=error.details["minutes"]), icon=":material/timer:")
            except accounts.SignInRefused:
                st.error(t("access.wrong_password"), icon=":material/lock:")
            else:
                st.session_state[ACTOR_KEY] = actor
                st.session_state[SESSION_KEY], st.session_state[CLAIM_KEY] = sessions.start(store, actor)
                st.rerun()


def sign_out(store: Store, config: SignInConfig, t: Translator, idle: bool = False) -> None:
    """End the session here, in every tab of this browser (its cookie opens nothing any
    more) and at the identity provider for single sign-on."""
    actor, session_id = st.session_state.get(ACTOR_KEY), st.session_state.get(SESSION_KEY)
    if actor is not None and session_id is not None:
        sessions.end(store, session_id, actor)
    for key in (ACTOR_KEY, SEEN_KEY, VOUCHED_KEY, SESSION_KEY, CLAIM_KEY):
        st.session_state.pop(key, None)
    if idle:
        flash(t("access.idle_ended"))
    if config.method == "oidc" and st.user.is_logged_in:
        st.logout()
    st.rerun()


def sign_out_button(store: Store, config: SignInConfig, actor: Actor, t: Translator) -> None:
    """Who is signed in, and the way out (a proxy's sign-out is the proxy's own page)."""
    if not config.signs_in:
        return
    st.sidebar.caption(t("access.signed_in_as", name=actor.name))
    if config.method == "proxy":
        return
    if st.sidebar.button(t("access.sign_out"), icon=":material/logout:", key="cx_sign_out"):
        sign_out(store, config, t)


PARTICIPANT_KEY = "cx_voter"


def participant(store: Store, workbook_id: int) -> Actor:
    """The anonymous participant of this browser: the id in the server-signed cookie
    (``/join-vote`` sets it), else one the server issues for this session. Never the link:
    a ``voter=`` in the address is dropped."""
    st.query_params.pop("voter", None)
    voter_id = voters.read(store, st.context.cookies.get(voters.COOKIE))
    if voter_id is None:
        voter_id = st.session_state.setdefault(PARTICIPANT_KEY, voters.new_id())
    return Actor.participant(voter_id, workbook_id)
