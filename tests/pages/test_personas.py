"""Step 1 page: cards, creating and editing through the form, errors and conflicts."""

from apptest_helpers import open_page
from pagekit import assert_clean, undo_button

from cxlib.steps import personas


def edit_view(at):
    at.segmented_control(key="cx_personas_view").set_value("edit").run()
    return at


def text_input(at, label):
    return next(w for w in at.text_input if w.label.startswith(label))


def test_cards_on_demo(demo_id):
    at = open_page("personas", {"wb": str(demo_id)})
    assert_clean(at)
    names = [m.value for m in at.markdown if m.value.startswith("### ")]
    assert names == ["### Leila Karimi", "### Maya Novak", "### Tomasz Wójcik"]


def test_empty_workbook_invites_to_add(empty_id):
    at = open_page("personas", {"wb": str(empty_id)})
    assert_clean(at)
    assert "No personas yet" in at.info[0].value


def test_create_persona_through_the_form(app_store, empty_id):
    at = edit_view(open_page("personas", {"wb": str(empty_id)}))
    text_input(at, "Name").input("Olga")
    text_input(at, "Role").input("Buyer")
    next(w for w in at.text_area if w.label == "Goals").input("Save time")
    at.button[0].click().run()
    assert_clean(at)
    saved = personas.list_personas(app_store, empty_id)
    assert [(p["name"], p["role"], p["goals"]) for p in saved] == [("Olga", "Buyer", "Save time")]
    assert saved[0]["updated_by"] == "anonymous"


def test_missing_name_is_reported_and_nothing_saved(app_store, empty_id):
    at = edit_view(open_page("personas", {"wb": str(empty_id)}))
    text_input(at, "Role").input("Buyer")
    at.button[0].click().run()
    assert "Name is required" in at.error[0].value
    assert personas.list_personas(app_store, empty_id) == []


def save_over_a_colleague(app_store, demo_id):
    """Edit Maya's role while a colleague saves another role; returns the app and Maya."""
    at = edit_view(open_page("personas", {"wb": str(demo_id)}))
    maya = next(p for p in personas.list_personas(app_store, demo_id) if p["name"] == "Maya Novak")
    at.selectbox(key="cx_persona_pick").set_value(maya["id"]).run()
    text_input(at, "Role").set_value("Mine")
    personas.save_persona(app_store, demo_id, {**maya, "role": "Theirs"}, "colleague", maya["id"], maya["version"])
    at.button[0].click().run()
    return at, maya


def test_stale_edit_shows_conflict_then_keep_mine(app_store, demo_id):
    at, maya = save_over_a_colleague(app_store, demo_id)
    assert "Someone else saved this" in at.error[0].value
    assert app_store.get("personas", maya["id"])["role"] == "Theirs"
    keep = next(b for b in at.button if b.label.startswith("Keep mine"))
    keep.click().run()
    assert_clean(at)
    assert app_store.get("personas", maya["id"])["role"] == "Mine"


def test_stale_edit_take_theirs_discards_mine(app_store, demo_id):
    at, maya = save_over_a_colleague(app_store, demo_id)
    next(b for b in at.button if b.label.startswith("Take theirs")).click().run()
    assert_clean(at)
    assert app_store.get("personas", maya["id"])["role"] == "Theirs"
    assert text_input(at, "Role").value == "Theirs"


def test_delete_and_undo_from_sidebar(app_store, demo_id):
    at = edit_view(open_page("personas", {"wb": str(demo_id)}))
    leila = next(p for p in personas.list_personas(app_store, demo_id) if p["name"] == "Leila Karimi")
    at.selectbox(key="cx_persona_pick").set_value(leila["id"]).run()
    at.button(key="cx_persona_delete").click().run()
    assert app_store.get("personas", leila["id"]) is None
    undo = undo_button(at)
    assert undo.label == "Undo: deleted persona by anonymous"
    undo.click().run()
    assert_clean(at)
    assert app_store.get("personas", leila["id"])["name"] == "Leila Karimi"
