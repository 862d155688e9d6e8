"""Sign-in sessions that survive a refresh: one-time claim codes, idle time, sign-out."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from cxlib.access import accounts, roles, sessions
from cxlib.access.roles import Actor
from cxlib.storage.store import Store

ADMIN = Actor.system("setup")
PASSWORD = "correct horse battery"
T0 = datetime(2026, 11, 30, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
def guarded(db_path) -> Store:
    store = Store(db_path, roles.ACCESS)
    yield store
    store.close()


@pytest.fixture
def olga(guarded) -> Actor:
    accounts.create_account(guarded, "olga", "Olga", PASSWORD, ADMIN)
    return accounts.sign_in(guarded, "olga", PASSWORD)


def signed_in(store: Store, actor: Actor, at: datetime = T0) -> tuple[int, str]:
    session_id, code = sessions.start(store, actor, now=at)
    token = sessions.claim(store, code, now=at + timedelta(seconds=1))
    assert token
    return session_id, token


def test_a_claimed_token_signs_the_account_in_and_only_hashes_are_kept(guarded, olga):
    session_id, token = signed_in(guarded, olga)
    assert sessions.resume(guarded, token, idle_minutes=60, now=T0 + timedelta(minutes=5)) == (session_id, olga)
    stored = guarded.rows("select * from sign_in_sessions")[0]
    assert token not in str(stored.values()) and stored["claim_hash"] is None


def test_a_claim_code_works_once_and_only_for_two_minutes(guarded, olga):
    _, code = sessions.start(guarded, olga, now=T0)
    assert sessions.claim(guarded, code, now=T0 + timedelta(minutes=3)) is None  # too late
    _, code = sessions.start(guarded, olga, now=T0)
    assert sessions.claim(guarded, code, now=T0 + timedelta(seconds=5))
    assert sessions.claim(guarded, code, now=T0 + timedelta(seconds=6)) is None  # spent


@pytest.mark.parametrize("token", [None, "", "made-up", "x" * 10_000])
def test_unknown_or_hostile_tokens_open_nothing(guarded, olga, token):
    signed_in(guarded, olga)
    assert sessions.resume(guarded, token, idle_minutes=60, now=T0) is None
    assert sessions.claim(guarded, token, now=T0) is None


def test_idle_time_ends_the_session_for_good(guarded, olga):
    _, token = signed_in(guarded, olga)
    assert sessions.resume(guarded, token, idle_minutes=30, now=T0 + timedelta(minutes=20))  # seen at 20
    assert sessions.resume(guarded, token, idle_minutes=30, now=T0 + timedelta(minutes=45))  # 25 idle: fine
    assert sessions.resume(guarded, token, idle_minutes=30, now=T0 + timedelta(minutes=80)) is None  # 35 idle
    assert sessions.resume(guarded, token, idle_minutes=30, now=T0 + timedelta(minutes=81)) is None  # stays ended


def test_sign_out_ends_the_cookie_too(guarded, olga):
    session_id, token = signed_in(guarded, olga)
    sessions.end(guarded, session_id, olga, now=T0 + timedelta(minutes=1))
    assert sessions.resume(guarded, token, idle_minutes=60, now=T0 + timedelta(minutes=2)) is None
    assert not sessions.touch(guarded, session_id, olga, 60, now=T0 + timedelta(minutes=2))


def test_a_disabled_account_or_a_new_password_ends_its_sessions(guarded, olga):
    _, token = signed_in(guarded, olga)
    _, other = signed_in(guarded, olga)
    account = accounts.find(guarded, "olga")
    account = accounts.update_account(guarded, account["id"], account["version"], ADMIN, password="a brand new password")
    assert sessions.resume(guarded, token, idle_minutes=60, now=T0) is None
    assert sessions.resume(guarded, other, idle_minutes=60, now=T0) is None
    _, token = signed_in(guarded, accounts.sign_in(guarded, "olga", "a brand new password"))
    accounts.update_account(guarded, account["id"], account["version"], ADMIN, disabled=True)
    assert sessions.resume(guarded, token, idle_minutes=60, now=T0) is None
