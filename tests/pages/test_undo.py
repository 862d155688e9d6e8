"""Undo in two sessions: the sidebar's button undoes the change it names, never a newer one."""

from apptest_helpers import open_page
from pagekit import assert_clean, undo_button

from cxlib.steps import personas


def session(demo_id, who):
    at = open_page("personas", {"wb": str(demo_id)})
    at.sidebar.text_input(key="cx_user").input(who).run()
    return at


def rename_role(store, demo_id, name, role, who):
    person = next(p for p in personas.list_personas(store, demo_id) if p["name"] == name)
    return personas.save_persona(store, demo_id, {**person, "role": role}, who, person["id"], person["version"])


def test_alices_undo_never_restores_over_bobs_newer_edit(app_store, demo_id):
    alice, bob = session(demo_id, "Alice"), session(demo_id, "Bob")
    maya = rename_role(app_store, demo_id, "Maya Novak", "Alice's role", "Alice")
    alice.run()
    assert undo_button(alice).label == "Undo: changed persona by Alice"

    leila = rename_role(app_store, demo_id, "Leila Karimi", "Bob's role", "Bob")
    bob.run()
    assert undo_button(bob).label == "Undo: changed persona by Bob"

    undo_button(alice).click().run()  # the button Alice saw, drawn before Bob saved
    assert_clean(alice)
    assert app_store.get("personas", maya["id"])["role"] != "Alice's role"
    assert app_store.get("personas", leila["id"])["role"] == "Bob's role"


def test_same_record_undo_is_refused_naming_who_changed_it(app_store, demo_id):
    alice = session(demo_id, "Alice")
    maya = rename_role(app_store, demo_id, "Maya Novak", "Alice's role", "Alice")
    alice.run()
    button = undo_button(alice)
    rename_role(app_store, demo_id, "Maya Novak", "Bob's role", "Bob")

    button.click().run()

    assert not alice.exception
    assert len(alice.error) == 1 and "Bob" in alice.error[0].value and "Maya Novak" in alice.error[0].value
    assert app_store.get("personas", maya["id"])["role"] == "Bob's role"


def test_history_tab_undoes_the_change_picked_by_name(app_store, demo_id):
    maya = rename_role(app_store, demo_id, "Maya Novak", "Alice's role", "Alice")
    rename_role(app_store, demo_id, "Leila Karimi", "Bob's role", "Bob")
    alices = next(c for c in app_store.changes(demo_id) if c["who"] == "Alice")
    at = open_page("workbooks", {"wb": str(demo_id)})
    pick = at.selectbox(key="cx_history_pick")
    assert any("Alice" in label and "Maya Novak" in label for label in pick.options)
    pick.set_value(alices["change_id"]).run()
    at.button(key=f"cx_history_undo_{alices['change_id']}").click().run()
    assert_clean(at)
    assert app_store.get("personas", maya["id"])["role"] != "Alice's role"
    assert next(c for c in app_store.changes(demo_id) if c["change_id"] == alices["change_id"])["undone_at"]
