"""Sign-in sessions of built-in accounts that survive a refresh.

Streamlit forgets a browser tab's state on reload, so without this a password would be
asked again at every F5. After a good password the page starts a session here and hands
the browser a one-time claim code; the browser exchanges it (``web/sign_in.py``) for a
random token kept in an HttpOnly cookie. The server keeps only SHA-256 hashes. A token
opens the session while it is not ended (sign-out), not idle for longer than the server's
idle time, and its account is enabled: the same rules as inside a tab.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta, timezone

from cxlib.access.roles import Actor
from cxlib.storage.store import Store

COOKIE = "cxw_session"
CLAIM_WITHIN = timedelta(minutes=2)  # a claim code not used by then opens nothing
TOUCH_EVERY = timedelta(minutes=1)  # last_seen is written at most this often per session
_MAX_SECRET = 100


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def _now(now: datetime | None) -> datetime:
    return now or datetime.now(timezone.utc)


def _usable(secret: object) -> bool:
    return isinstance(secret, str) and 0 < len(secret) <= _MAX_SECRET


def start(store: Store, actor: Actor, now: datetime | None = None) -> tuple[int, str]:
    """A new session for an account that just gave its password: the session's id (for
    the tab) and the one-time code the browser claims its cookie with."""
    now = _now(now)
    code = secrets.token_urlsafe(24)
    with store.change(actor, None, "sign_in") as change:
        made = change.insert("sign_in_sessions", {"claim_hash": _hash(code), "account_id": actor.account_id,
                                                  "started_at": _iso(now), "last_seen": _iso(now)})
    return made["id"], code


def claim(store: Store, code: str | None, now: datetime | None = None) -> str | None:
    """The cookie token for a fresh, unused claim code (then the code is spent), else None."""
    if not _usable(code):
        return None
    now = _now(now)
    found = store.rows("select * from sign_in_sessions where claim_hash = ? and ended_at is null", (_hash(code),))
    if not found or now - datetime.fromisoformat(found[0]["started_at"]) > CLAIM_WITHIN:
        return None
    token = secrets.token_urlsafe(32)
    actor = Actor.user(store.get("accounts", found[0]["account_id"]))
    with store.change(actor, None, "sign_in") as change:
        spent = change.db.execute(
            "update sign_in_sessions set token_hash = ?, claim_hash = null where id = ? and claim_hash = ?",
            (_hash(token), found[0]["id"], _hash(code)))
        if spent.rowcount != 1:  # claimed meanwhile by another request
            return None
    return token


def resume(store: Store, token: str | None, idle_minutes: int, now: datetime | None = None) -> tuple[int, Actor] | None:
    """The session id and account a cookie token signs in, or None when it is unknown,
    ended, idle too long or its account disabled. An idle session is ended on the way."""
    if not _usable(token):
        return None
    found = store.rows(
        "select a.*, s.id as session_id from sign_in_sessions s join accounts a on a.id = s.account_id "
        "where s.token_hash = ? and s.ended_at is null", (_hash(token),))
    if not found or found[0]["disabled"]:
        return None
    session_id, actor = found[0]["session_id"], Actor.user(found[0])
    return (session_id, actor) if touch(store, session_id, actor, idle_minutes, now) else None


def touch(store: Store, session_id: int, actor: Actor, idle_minutes: int, now: datetime | None = None) -> bool:
    """Note activity on a session; False (and the session ended) when it sat idle too long."""
    now = _now(now)
    found = store.rows("select last_seen, ended_at from sign_in_sessions where id = ?", (session_id,))
    if not found or found[0]["ended_at"]:
        return False
    idle = now - datetime.fromisoformat(found[0]["last_seen"])
    if idle > timedelta(minutes=idle_minutes):
        end(store, session_id, actor, now)
        return False
    if idle >= TOUCH_EVERY:
        with store.change(actor, None, "sign_in") as change:
            change.db.execute("update sign_in_sessions set last_seen = ? where id = ?", (_iso(now), session_id))
    return True


def end(store: Store, session_id: int, actor: Actor, now: datetime | None = None) -> None:
    """Sign-out (or idle): the session's cookie opens nothing any more."""
    with store.change(actor, None, "sign_in") as change:
        change.db.execute("update sign_in_sessions set ended_at = coalesce(ended_at, ?) where id = ?",
                          (_iso(_now(now)), session_id))


def end_all(change, account_id: int) -> None:
    """Inside an account's change (a new password): every session of the account ends."""
    change.db.execute("update sign_in_sessions set ended_at = ? where account_id = ? and ended_at is null",
                      (change.at, account_id))
