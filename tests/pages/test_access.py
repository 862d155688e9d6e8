"""Sign-in and roles in the frame: each role sees and may do what it should, nothing more."""

from __future__ import annotations

import pytest
from apptest_helpers import open_page
from pagekit import assert_clean

from cxlib.access import accounts, roles
from cxlib.access.roles import Actor
from cxlib.workshop import facilitation
from cxlib.storage import workbooks
from cxlib.storage.store import Store

ADMIN = Actor.system("setup")
PASSWORD = "correct horse battery"


@pytest.fixture
def team(app_store, demo_id, monkeypatch):
    """Built-in accounts: Olga owns the demo, Ed edits it, Vic views it, Sam has no grant;
    Sam owns a workbook of his own whose name nobody else may learn."""
    monkeypatch.setenv("CXW_AUTH", "accounts")
    people = {}
    for login in ("olga", "ed", "vic", "sam"):
        people[login] = Actor.user(accounts.create_account(app_store, login, login.title(), PASSWORD, ADMIN))
    guarded = Store(app_store.path, roles.ACCESS)
    roles.share(guarded, demo_id, roles.EVERYONE, None, ADMIN)
    roles.transfer_ownership(guarded, demo_id, people["olga"].account_id, ADMIN)
    roles.share(guarded, demo_id, people["ed"].principal, "editor", people["olga"])
    roles.share(guarded, demo_id, people["vic"].principal, "viewer", people["olga"])
    secret = workbooks.create_workbook(guarded, "Sam's secret plan", people["sam"])
    return people, secret["id"]


def signed_in(login: str, page: str = "workbooks", query: dict | None = None):
    at = open_page(page, query)
    at.text_input(key="cx_login").input(login)
    at.text_input(key="cx_password").input(PASSWORD)
    at.button[0].click().run()
    return at


def test_nobody_sees_anything_before_signing_in(team, demo_id):
    at = open_page("personas", {"wb": str(demo_id)})
    assert at.title[0].value == "Sign in"
    assert not [m for m in at.markdown if "Bean" in m.value]
    at.text_input(key="cx_login").input("olga")
    at.text_input(key="cx_password").input("not the password")
    at.button[0].click().run()
    assert "Wrong login or password." in at.error[0].value


def test_owner_shares_and_sees_every_tab(team, demo_id, app_store):
    people, _ = team
    at = signed_in("olga", query={"wb": str(demo_id)})
    assert_clean(at)
    labels = [tab.label for tab in at.tabs]
    assert {"Sharing", "Delete", "Name and currency"} <= set(labels)
    assert any("Signed in as Olga" in c.value for c in at.sidebar.caption)
    at.selectbox(key="cx_share_with").select(people["sam"].principal)
    at.selectbox(key="cx_share_role").select("viewer")
    at.button(key="FormSubmitter:cx_share-Save access").click().run()
    assert_clean(at)
    assert roles.role_of(app_store, people["sam"], demo_id) == "viewer"
    # History names the signed-in person, not a typed name.
    assert app_store.history(demo_id, limit=1)[0]["who"] == "Olga"


def test_viewer_sees_everything_and_changes_nothing(team, demo_id, app_store):
    at = signed_in("vic", "personas", {"wb": str(demo_id)})
    assert_clean(at)
    assert not [b for b in at.sidebar.button if "Undo" in b.label]
    # A button still on the page (hidden buttons are a convenience) is refused by the store.
    presenter = signed_in("vic", "workshop", {"wb": str(demo_id)})
    assert_clean(presenter)
    history = app_store.history(demo_id, limit=500)
    presenter.button(key="cx_next").click().run()
    assert "You may not change this workbook" in presenter.error[0].value
    assert app_store.history(demo_id, limit=500) == history
    assert facilitation.workshop(app_store, demo_id)["current_step"] == "personas"
    workbooks_page = signed_in("vic", "workbooks", {"wb": str(demo_id)})
    assert not {"Sharing", "Delete", "Name and currency"} & {tab.label for tab in workbooks_page.tabs}


def test_editor_changes_content_but_cannot_share_or_delete(team, demo_id):
    at = signed_in("ed", query={"wb": str(demo_id)})
    assert_clean(at)
    labels = {tab.label for tab in at.tabs}
    assert "Sharing" not in labels and "Delete" not in labels
    assert [b for b in at.sidebar.button if "Undo" in b.label]


def test_a_strangers_link_shows_nothing_of_the_workbook(team, demo_id):
    _, secret_id = team
    at = signed_in("vic", "home", {"wb": str(secret_id)})
    assert "does not exist or is not shared with you" in at.warning[0].value
    shown = " ".join(e.value for e in (*at.markdown, *at.title, *at.caption, *at.sidebar.selectbox) if isinstance(e.value, str))
    assert "Sam's secret plan" not in shown
    assert at.query_params["wb"] == str(demo_id)
    options = at.sidebar.selectbox(key=f"cx_wb_picker_{demo_id}").options
    assert len(options) == 1 and "Sam's secret plan" not in options


def test_single_sign_on_user_is_taken_from_st_user(app_store, demo_id, monkeypatch):
    monkeypatch.setenv("CXW_AUTH", "oidc")
    monkeypatch.setenv("CXW_ADMINS", "ana@example.org")
    at = open_page("workbooks", {"wb": str(demo_id)},
                   user={"is_logged_in": True, "email": "ana@example.org", "name": "Ana Admin"})
    assert_clean(at)
    assert any("Signed in as Ana Admin" in c.value for c in at.sidebar.caption)
    assert "People" in {tab.label for tab in at.tabs}
    out = open_page("home", user={"is_logged_in": False})
    assert out.title[0].value == "Sign in"


def test_laptop_mode_needs_no_sign_in_and_says_the_workbooks_are_private(app_store, demo_id):
    at = open_page("home", {"wb": str(demo_id)})
    assert_clean(at)
    assert any("private to this computer" in c.value for c in at.sidebar.caption)


def test_open_mode_shows_the_banner(app_store, demo_id, monkeypatch):
    monkeypatch.setenv("CXW_OPEN", "1")
    at = open_page("home", {"wb": str(demo_id)})
    assert "anyone on this network can edit" in at.warning[0].value.lower()


def test_an_idle_session_ends_and_asks_to_sign_in_again(team, demo_id, monkeypatch):
    import time

    monkeypatch.setenv("CXW_IDLE_MINUTES", "5")
    at = signed_in("olga", "home", {"wb": str(demo_id)})
    assert_clean(at)
    at.session_state["cx_seen"] = time.monotonic() - 6 * 60
    at.run()
    assert at.title[0].value == "Sign in"


def test_an_admin_creates_a_person_who_can_then_sign_in(team, demo_id, app_store):
    guarded = Store(app_store.path, roles.ACCESS)
    accounts.create_account(guarded, "root", "Root", PASSWORD, ADMIN, admin=True)
    at = signed_in("root", "workbooks", {"wb": str(demo_id)})
    assert "People" in {tab.label for tab in at.tabs}
    inputs = {i.label: i for i in at.text_input}
    inputs["Login"].input("nina")
    inputs["Password"].input("another long password")
    at.button(key="FormSubmitter:cx_new_account-Create account").click().run()
    assert_clean(at)
    assert accounts.sign_in(app_store, "nina", "another long password").name == "nina"
