"""Built-in accounts: Argon2 hashes, throttled sign-in, single sign-on records, the first admin."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from cxlib.access import accounts, roles
from cxlib.access.roles import Actor
from cxlib.storage import workbooks
from cxlib.storage.store import Forbidden, Store, ValidationError

ROOT = Path(__file__).resolve().parents[3]
ADMIN = Actor.system("setup")
PASSWORD = "correct horse battery"


@pytest.fixture
def guarded(db_path) -> Store:
    store = Store(db_path, roles.ACCESS)
    yield store
    store.close()


def test_password_is_kept_as_an_argon2_hash_and_checked(guarded):
    accounts.create_account(guarded, "ana", "Ana Lopez", PASSWORD, ADMIN)
    stored = guarded.rows("select password_hash from accounts where login = 'ana'")[0]["password_hash"]
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    actor = accounts.sign_in(guarded, "ana", PASSWORD)
    assert (actor.name, actor.kind, actor.admin) == ("Ana Lopez", "user", False)
    with pytest.raises(accounts.SignInRefused):
        accounts.sign_in(guarded, "ana", "wrong password!")
    with pytest.raises(accounts.SignInRefused):
        accounts.sign_in(guarded, "nobody", PASSWORD)


def test_short_passwords_and_taken_logins_are_refused(guarded):
    with pytest.raises(ValidationError) as short:
        accounts.create_account(guarded, "ana", "", "short", ADMIN)
    assert short.value.field == "password"
    accounts.create_account(guarded, "ana", "", PASSWORD, ADMIN)
    with pytest.raises(ValidationError) as taken:
        accounts.create_account(guarded, "ANA", "", PASSWORD, ADMIN)
    assert taken.value.details["rule"] == "login_taken"


def test_sign_in_is_throttled_after_failures_even_with_the_right_password(guarded):
    accounts.create_account(guarded, "ana", "", PASSWORD, ADMIN)
    start = datetime(2026, 3, 1, 9, 0, tzinfo=timezone.utc)
    for minute in range(accounts.MAX_FAILURES):
        with pytest.raises(accounts.SignInRefused):
            accounts.sign_in(guarded, "ana", "guess number %d" % minute, now=start + timedelta(minutes=minute))
    with pytest.raises(accounts.TooManyAttempts) as throttled:
        accounts.sign_in(guarded, "ana", PASSWORD, now=start + timedelta(minutes=5))
    assert throttled.value.details["minutes"] >= 1
    later = start + timedelta(minutes=4) + accounts.WINDOW + timedelta(seconds=1)
    assert accounts.sign_in(guarded, "ana", PASSWORD, now=later).name == "ana"


def test_a_disabled_account_cannot_sign_in(guarded):
    made = accounts.create_account(guarded, "ana", "", PASSWORD, ADMIN)
    accounts.update_account(guarded, made["id"], made["version"], ADMIN, disabled=True)
    with pytest.raises(accounts.SignInRefused):
        accounts.sign_in(guarded, "ana", PASSWORD)


def test_single_sign_on_makes_the_account_once_and_names_admins(guarded):
    first = accounts.external_sign_in(guarded, "ana@example.org", "Ana", "oidc", frozenset({"ANA@example.org"}))
    again = accounts.external_sign_in(guarded, "ana@example.org", "Ana L.", "oidc")
    assert first.id == again.id and again.admin and again.name == "Ana L."
    with pytest.raises(accounts.SignInRefused):  # the same login through another door
        accounts.external_sign_in(guarded, "ana@example.org", "Ana", "proxy")


def test_a_signed_in_maker_owns_the_workbook_and_strangers_do_not_see_it(guarded):
    ana = accounts.external_sign_in(guarded, "ana", "Ana", "proxy")
    bob = accounts.external_sign_in(guarded, "bob", "Bob", "proxy")
    made = workbooks.create_workbook(guarded, "Ana's plan", ana)
    assert roles.role_of(guarded, ana, made["id"]) == "owner"
    assert [wb["name"] for wb in roles.visible_workbooks(guarded, bob)] == []
    roles.share(guarded, made["id"], roles.EVERYONE, "viewer", ana)
    assert [wb["name"] for wb in roles.visible_workbooks(guarded, bob)] == ["Ana's plan"]
    with pytest.raises(Forbidden):
        roles.share(guarded, made["id"], ana.principal, "viewer", ana)  # the owner stays owner
    roles.transfer_ownership(guarded, made["id"], bob.account_id, ana)
    assert roles.role_of(guarded, bob, made["id"]) == "owner"
    assert roles.role_of(guarded, ana, made["id"]) == "editor"
    assert [g["role"] for g in roles.grants(guarded, made["id"])] == ["owner", "viewer", "editor"]


def test_workbooks_from_before_sign_in_are_shared_with_everyone_signed_in(db_path):
    Store(db_path)  # an open (laptop) store made this workbook
    workbooks.create_workbook(Store(db_path), "Old plan", "someone")
    guarded = Store(db_path, roles.ACCESS)
    bob = accounts.external_sign_in(guarded, "bob", "Bob", "proxy")
    assert [wb["name"] for wb in roles.visible_workbooks(guarded, bob)] == ["Old plan"]


def test_sharing_is_not_undone_by_an_editor(guarded):
    ana = accounts.external_sign_in(guarded, "ana", "Ana", "proxy")
    bob = accounts.external_sign_in(guarded, "bob", "Bob", "proxy")
    made = workbooks.create_workbook(guarded, "Plan", ana)
    roles.share(guarded, made["id"], bob.principal, "editor", ana)
    assert guarded.last_change(made["id"]) == []


def test_first_admin_from_the_command_line(db_path):
    done = subprocess.run(
        [sys.executable, "-m", "cxlib.access.accounts", "create-admin", "root", "--name", "Root",
         "--password-stdin", "--db", str(db_path)],
        input=PASSWORD + "\n", capture_output=True, text=True, cwd=ROOT, timeout=60,
    )
    assert done.returncode == 0, done.stderr
    actor = accounts.sign_in(Store(db_path, roles.ACCESS), "root", PASSWORD)
    assert actor.admin and actor.name == "Root"
