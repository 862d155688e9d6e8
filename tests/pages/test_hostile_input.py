"""Hostile input on the pages: too-long text, Markdown and HTML, formulas; never a traceback."""

from apptest_helpers import open_page
from pagekit import assert_clean

from cxlib.steps import personas
from cxlib.storage import limits


def edit_view(at):
    at.segmented_control(key="cx_personas_view").set_value("edit").run()
    return at


def test_too_long_name_in_the_form_gets_a_translated_message(app_store, empty_id):
    at = edit_view(open_page("personas", {"wb": str(empty_id), "lang": "pl"}))
    next(w for w in at.text_input if w.label.startswith("Imię") or w.label.startswith("Nazwa")).input(
        "N" * (limits.SHORT + 1))
    at.button[0].click().run()
    assert not at.exception
    assert len(at.error) == 1 and "limit znaków: 200" in at.error[0].value
    assert personas.list_personas(app_store, empty_id) == []


def test_an_unexpected_error_shows_an_id_not_a_traceback(app_store, demo_id, monkeypatch, caplog):
    from cxlib.steps import progress

    def broken(*args, **kwargs):
        raise RuntimeError("/srv/secret/path/app.py exploded")

    monkeypatch.setattr(progress, "step_statuses", broken)
    at = open_page("home", {"wb": str(demo_id), "lang": "fa"})
    assert not at.exception
    assert len(at.error) == 1
    message = at.error[0].value
    assert "/srv/secret" not in message and "Traceback" not in message
    error_id = message.split("شناسهٔ خطای ")[1].split(" ")[0]
    logged = [r for r in caplog.records if r.name == "cxw" and error_id in r.getMessage()]
    assert logged and "exploded" in str(logged[0].exc_info[1])
