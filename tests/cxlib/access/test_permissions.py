"""Every write function of cxlib asks the one permission question before it writes.

The list of write functions is discovered (public functions taking ``store`` and the acting
``who``, or opening ``store.change``), so a new write function without a case
here fails :func:`test_every_write_function_has_a_case`, and one that skips the check fails
the role tests: the role just below the one it needs is refused (nothing written), the role
it needs passes.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import sqlite3
from datetime import datetime
from typing import Any, Callable

import polars as pl
import pytest

import cxlib
from cxlib.access import accounts, roles
from cxlib.access.roles import Actor
from cxlib.analytics import whatif
from cxlib.demo import build as demo
from cxlib.ingest import exchange, pipeline
from cxlib.steps import (automation, competitors, emotion, feedback, journeys, listening, personas, survey_links, team,
                         vision, webhooks)
from cxlib.storage import records, workbooks
from cxlib.storage.store import Forbidden, Store
from cxlib.workshop import facilitation

SYSTEM = Actor.system("setup")
PEOPLE = ("owner", "editor", "viewer", "stranger", "admin")


def _first(store: Store, table: str, wb: int) -> dict[str, Any]:
    return store.list(table, "workbook_id = ?", (wb,))[0]


def _rows(store: Store, table: str, wb: int) -> list[dict[str, Any]]:
    return store.list(table, "workbook_id = ?", (wb,))


def _values(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k not in ("id", "workbook_id", "version", "updated_at", "updated_by")}


Case = Callable[[Store, int, Any, dict[str, Actor]], Any]


def _persona_file() -> Any:
    from cxlib.ingest import pipeline

    table = pipeline.open_file(b"name,goals\nImported persona,Fewer forms\n", "personas.csv")
    return pipeline.read(table, personas.PERSONAS, {"name": "name", "goals": "goals"})

# name → (the least role that may, the call). Roles: "viewer" < "editor" < "owner"; "signed_in"
# (any signed-in person, no role needed); "admin" (instance admin); "intake" (answers from
# a survey link or a webhook token: the intake actor of that workbook, no one signed in).
CASES: dict[str, tuple[str, Case]] = {
    "cxlib.analytics.whatif.save_scenario": ("editor", lambda s, wb, who, p: whatif.save_scenario(
        s, wb, _values(_first(s, "scenarios", wb)), who, _first(s, "scenarios", wb)["id"],
        _first(s, "scenarios", wb)["version"])),
    "cxlib.analytics.whatif.delete_scenario": ("editor", lambda s, wb, who, p: whatif.delete_scenario(
        s, wb, _first(s, "scenarios", wb)["id"], _first(s, "scenarios", wb)["version"], who)),
    "cxlib.ingest.exchange.import_workbook": ("signed_in", lambda s, wb, who, p: exchange.import_workbook(
        s, exchange.export_workbook(s, wb), who)),
    "cxlib.steps.automation.save_edits": ("editor", lambda s, wb, who, p: automation.save_edits(
        s, wb, _rows(s, "automations", wb), {"deleted_rows": [0]}, who)),
    "cxlib.steps.competitors.save_edits": ("editor", lambda s, wb, who, p: competitors.save_edits(
        s, wb, _rows(s, "competitors", wb), {}, who)),
    "cxlib.steps.competitors.save_action_edits": ("editor", lambda s, wb, who, p: competitors.save_action_edits(
        s, wb, _rows(s, "gap_actions", wb), {"deleted_rows": [0]}, who)),
    "cxlib.steps.emotion.save_plan_edits": ("editor", lambda s, wb, who, p: emotion.save_plan_edits(
        s, wb, _rows(s, "personalisation", wb), {}, who)),
    "cxlib.steps.emotion.save_stage_edits": ("editor", lambda s, wb, who, p: emotion.save_stage_edits(
        s, wb, _rows(s, "stages", wb), {}, who)),
    "cxlib.steps.emotion.save_story": ("editor", lambda s, wb, who, p: emotion.save_story(
        s, wb, _values(_first(s, "brand_story", wb)), who, _first(s, "brand_story", wb)["version"])),
    "cxlib.steps.feedback.add_response": ("editor", lambda s, wb, who, p: feedback.add_response(
        s, wb, {"metric": "nps", "score": 9, "at": datetime(2026, 1, 5)}, who)),
    "cxlib.steps.feedback.import_rows": ("editor", lambda s, wb, who, p: feedback.import_rows(
        s, wb, "tickets", pl.DataFrame({c: ["2026-01-05T10:00:00"] if c in ("created", "resolved") else ["x"]
                                        for c in feedback.KIND_COLUMNS["tickets"]}), "tickets.csv", who)),
    "cxlib.steps.feedback.import_checked": ("editor", lambda s, wb, who, p: feedback.import_checked(
        s, wb, feedback.check_import("events", pipeline.read(pipeline.open_file(
            b"When,User\n2026-01-05 10:00,u1\n", "events.csv"), feedback.EVENTS, {"at": "When", "user": "User"})),
        "events.csv", who)),
    "cxlib.steps.feedback.save_follow_up_edits": ("editor", lambda s, wb, who, p: feedback.save_follow_up_edits(
        s, wb, [], {}, who)),
    "cxlib.steps.feedback.save_survey_edits": ("editor", lambda s, wb, who, p: feedback.save_survey_edits(
        s, wb, _rows(s, "surveys", wb), {"deleted_rows": [0]}, who)),
    "cxlib.steps.journeys.create_journey": ("editor", lambda s, wb, who, p: journeys.create_journey(
        s, wb, {"name": "Returns", "kind": "as_is"}, ["Ask"], who)),
    "cxlib.steps.journeys.update_journey": ("editor", lambda s, wb, who, p: journeys.update_journey(
        s, wb, _first(s, "journeys", wb)["id"], {**_values(_first(s, "journeys", wb)), "name": "Renamed"},
        _first(s, "journeys", wb)["version"], who)),
    "cxlib.steps.journeys.delete_journey": ("editor", lambda s, wb, who, p: journeys.delete_journey(
        s, wb, _first(s, "journeys", wb)["id"], _first(s, "journeys", wb)["version"], who)),
    "cxlib.steps.journeys.move_stage": ("editor", lambda s, wb, who, p: journeys.move_stage(
        s, wb, _first(s, "stages", wb)["id"], 1, who)),
    "cxlib.steps.journeys.save_stage_edits": ("editor", lambda s, wb, who, p: journeys.save_stage_edits(
        s, wb, _first(s, "journeys", wb)["id"], [], {}, who)),
    "cxlib.steps.listening.import_mentions": ("editor", lambda s, wb, who, p: listening.import_mentions(
        s, wb, pl.DataFrame({"date": [datetime(2026, 1, 5).date()], "platform": ["x"], "author": ["a"],
                             "text": ["great coffee"], "brand": ["Us"], "stage": [""]}), who)),
    "cxlib.steps.listening.save_stage_tags": ("editor", lambda s, wb, who, p: listening.save_stage_tags(
        s, wb, [], {}, who)),
    "cxlib.steps.personas.save_persona": ("editor", lambda s, wb, who, p: personas.save_persona(
        s, wb, {"name": "Nora", "segment_size": 0}, who)),
    "cxlib.steps.personas.import_personas": ("editor", lambda s, wb, who, p: personas.import_personas(
        s, wb, _persona_file(), who)),
    "cxlib.steps.personas.delete_persona": ("editor", lambda s, wb, who, p: personas.delete_persona(
        s, wb, _first(s, "personas", wb)["id"], _first(s, "personas", wb)["version"], who)),
    "cxlib.steps.team.save_member_edits": ("editor", lambda s, wb, who, p: team.save_member_edits(
        s, wb, _rows(s, "team_members", wb), {"deleted_rows": [0]}, who)),
    "cxlib.steps.team.save_raci_edits": ("editor", lambda s, wb, who, p: team.save_raci_edits(
        s, wb, _rows(s, "team_members", wb), {}, who)),
    "cxlib.steps.team.save_review": ("editor", lambda s, wb, who, p: team.save_review(
        s, wb, _values(_first(s, "team_review", wb)), who, _first(s, "team_review", wb)["version"])),
    "cxlib.steps.vision.save_goal_edits": ("editor", lambda s, wb, who, p: vision.save_goal_edits(
        s, wb, _rows(s, "team_goals", wb), {"deleted_rows": [0]}, who)),
    "cxlib.steps.vision.save_vision": ("editor", lambda s, wb, who, p: vision.save_vision(
        s, wb, _values(_first(s, "vision", wb)), who, _first(s, "vision", wb)["version"])),
    "cxlib.storage.records.save": ("editor", lambda s, wb, who, p: records.save(
        s, "ideas", wb, {"step": "personas", "text": "an idea"}, who, dict)),
    "cxlib.storage.records.remove": ("editor", lambda s, wb, who, p: records.remove(
        s, "personas", wb, _first(s, "personas", wb)["id"], _first(s, "personas", wb)["version"], who)),
    "cxlib.storage.records.save_grid": ("editor", lambda s, wb, who, p: records.save_grid(
        s, "ideas", wb, [], {"added_rows": [{"step": "personas", "text": "x"}]}, who, dict)),
    "cxlib.storage.records.save_cells": ("editor", lambda s, wb, who, p: records.save_cells(
        s, wb, [], {}, who, lambda *a: None)),
    "cxlib.storage.store.Store.undo_last": ("editor", lambda s, wb, who, p: s.undo_last(wb, who)),
    "cxlib.storage.store.Store.undo_change": ("editor", lambda s, wb, who, p: s.undo_change(
        wb, s.last_change(wb)[0]["change_id"], who)),
    "cxlib.storage.records.save_single": ("editor", lambda s, wb, who, p: records.save_single(
        s, "vision", wb, _values(_first(s, "vision", wb)), who, dict, _first(s, "vision", wb)["version"])),
    "cxlib.steps.survey_links.set_open": ("editor", lambda s, wb, who, p: survey_links.set_open(
        s, wb, _first(s, "surveys", wb)["id"], False, _first(s, "surveys", wb)["version"], who)),
    "cxlib.steps.survey_links.answer": ("intake", lambda s, wb, who, p: survey_links.answer(
        s, _open_survey(s, wb), "another phone", "nps", 9, who=who)),
    "cxlib.steps.survey_links.comment": ("intake", lambda s, wb, who, p: survey_links.comment(
        s, _open_survey(s, wb), "a phone", "Friendly staff", who=who)),
    "cxlib.steps.webhooks.create_token": ("editor", lambda s, wb, who, p: webhooks.create_token(
        s, wb, "Survey tool", who)),
    "cxlib.steps.webhooks.revoke_token": ("editor", lambda s, wb, who, p: webhooks.revoke_token(
        s, wb, _first(s, "webhook_tokens", wb)["id"], _first(s, "webhook_tokens", wb)["version"], who)),
    "cxlib.steps.webhooks.save_source": ("editor", lambda s, wb, who, p: webhooks.save_source(
        s, wb, {"name": "forms", "preset": "generic"}, who)),
    "cxlib.steps.webhooks.receive": ("intake", lambda s, wb, who, p: webhooks.receive(
        s, wb, "generic", {"score": 9, "metric": "nps"}, key="delivery-1", who=who)),
    "cxlib.steps.webhooks.receive_many": ("intake", lambda s, wb, who, p: webhooks.receive_many(
        s, wb, [("generic", {"score": 9, "metric": "nps"}, "delivery-2")], who=who)),
    "cxlib.storage.workbooks.create_workbook": ("signed_in", lambda s, wb, who, p: workbooks.create_workbook(
        s, "Another workbook", who)),
    "cxlib.storage.workbooks.duplicate_workbook": ("viewer", lambda s, wb, who, p: workbooks.duplicate_workbook(
        s, wb, "A copy", who)),
    "cxlib.storage.workbooks.rename_workbook": ("owner", lambda s, wb, who, p: workbooks.rename_workbook(
        s, wb, "New name", workbooks.get_workbook(s, wb)["version"], who)),
    "cxlib.storage.workbooks.delete_workbook": ("owner", lambda s, wb, who, p: workbooks.delete_workbook(
        s, wb, workbooks.get_workbook(s, wb)["version"], who)),
    "cxlib.demo.build.create_demo": ("signed_in", lambda s, wb, who, p: demo.create_demo(s, "en", "Demo two", who)),
    "cxlib.workshop.facilitation.capture": ("editor", lambda s, wb, who, p: facilitation.capture(
        s, wb, "personas", "an idea", who)),
    "cxlib.workshop.facilitation.go_to": ("editor", lambda s, wb, who, p: facilitation.go_to(s, wb, "vision", who)),
    "cxlib.workshop.facilitation.move": ("editor", lambda s, wb, who, p: facilitation.move(s, wb, 1, who)),
    "cxlib.workshop.facilitation.start_timer": ("editor", lambda s, wb, who, p: facilitation.start_timer(
        s, wb, facilitation.workshop(s, wb)["current_step"], who)),
    "cxlib.workshop.facilitation.set_minutes": ("editor", lambda s, wb, who, p: facilitation.set_minutes(
        s, wb, {}, who)),
    "cxlib.workshop.facilitation.open_voting": ("editor", lambda s, wb, who, p: facilitation.open_voting(
        s, wb, 3, who)),
    "cxlib.workshop.facilitation.close_voting": ("editor", lambda s, wb, who, p: facilitation.close_voting(
        s, wb, who)),
    "cxlib.workshop.facilitation.cast": ("viewer", lambda s, wb, who, p: _cast(s, wb, who)),
    "cxlib.access.roles.share": ("owner", lambda s, wb, who, p: roles.share(
        s, wb, p["stranger"].principal, "viewer", who)),
    "cxlib.access.roles.transfer_ownership": ("owner", lambda s, wb, who, p: roles.transfer_ownership(
        s, wb, p["editor"].account_id, who)),
    "cxlib.access.accounts.create_account": ("admin", lambda s, wb, who, p: accounts.create_account(
        s, "newcomer", "New Comer", "a long enough password", who)),
    "cxlib.access.accounts.update_account": ("admin", lambda s, wb, who, p: accounts.update_account(
        s, p["viewer"].account_id, s.get("accounts", p["viewer"].account_id)["version"], who, disabled=True)),
}

# Write functions that are not a person's action on a workbook, and why they need no role.
EXEMPT = {
    "cxlib.demo.build.ensure_demo": "the app's first run: writes only into a database with no workbook, as the app",
    "cxlib.access.accounts.sign_in": "signing in itself: records the attempt (throttling), needs no one",
    "cxlib.access.accounts.external_sign_in": "signing in itself: the provider or proxy vouched for the person",
    "cxlib.access.sessions.start": "signing in itself: after the password, the account's own session",
    "cxlib.access.sessions.claim": "signing in itself: a one-time code hands the session's cookie to the browser",
    "cxlib.access.sessions.touch": "the account's own session: when it was last used (idle time)",
    "cxlib.access.sessions.end": "the account's own session: signing out",
    "cxlib.access.sessions.resume": "the account's own session: ends it when idle too long",
}


def _cast(store: Store, wb: int, who: Any) -> None:
    token = facilitation.workshop(store, wb)["vote_token"]
    facilitation.cast(store, wb, token, who, facilitation.vote_items(store, wb)[:2])


def _open_survey(store: Store, wb: int) -> dict[str, Any]:
    """The workbook's first survey as its public link finds it (by slug), asking NPS and a comment."""
    survey = _first(store, "surveys", wb)
    return {**survey_links.by_slug(store, survey["slug"]), "is_open": 1, "questions": ["nps", "open"]}


# What must be true before a case can run at all (done by the app, before the snapshot).
PREPARE = {
    "cxlib.workshop.facilitation.cast": lambda s, wb: facilitation.open_voting(s, wb, 3, SYSTEM),
    # A comment belongs to this phone's rating of today.
    "cxlib.steps.survey_links.comment": lambda s, wb: survey_links.answer(
        s, _open_survey(s, wb), "a phone", "nps", 8, who=Actor.intake("survey link", wb)),
    "cxlib.steps.webhooks.revoke_token": lambda s, wb: webhooks.create_token(s, wb, "Old tool", SYSTEM),
}


def _write_functions() -> set[str]:
    """Public functions of cxlib that take the store and the one acting, or open a change."""
    found = set()
    for info in pkgutil.walk_packages(cxlib.__path__, "cxlib."):
        module = importlib.import_module(info.name)
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if function.__module__ != info.name or name.startswith("_"):
                continue
            parameters = inspect.signature(function).parameters
            acts = "store" in parameters and "who" in parameters
            if acts or ".change(" in inspect.getsource(function):
                found.add(f"{info.name}.{name}")
    return found | {"cxlib.storage.store.Store.undo_last", "cxlib.storage.store.Store.undo_change"}


def test_every_write_function_has_a_case():
    missing = _write_functions() - set(CASES) - set(EXEMPT)
    assert not missing, f"write functions without a permission case: {sorted(missing)}"
    assert not set(CASES) - _write_functions(), "cases for functions that no longer exist"


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> tuple[str, int, dict[str, Actor]]:
    """One demo workbook owned by "owner", shared with an editor and a viewer; a stranger
    and an admin have accounts too. Copied for every test (building it once is the slow part)."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    store = Store(path, roles.ACCESS)
    people = {}
    for login in PEOPLE:
        made = accounts.create_account(store, login, login.title(), "correct horse battery", SYSTEM,
                                       admin=login == "admin")
        people[login] = Actor.user(made)
    wb = demo.create_demo(store, "en", None, people["owner"])["id"]
    roles.share(store, wb, people["editor"].principal, "editor", people["owner"])
    roles.share(store, wb, people["viewer"].principal, "viewer", people["owner"])
    facilitation.capture(store, wb, "personas", "seed idea", people["editor"])
    # Undo must have something to undo that is not the workbook's creation.
    store.close()
    return str(path), wb, people


@pytest.fixture
def setup(template, tmp_path):
    source, wb, people = template
    path = tmp_path / "workbook.db"
    with sqlite3.connect(source) as src, sqlite3.connect(path) as dst:
        src.backup(dst)
    store = Store(path, roles.ACCESS)
    yield store, wb, people
    store.close()


BELOW = {"viewer": "stranger", "editor": "viewer", "owner": "editor", "admin": "owner"}


def _snapshot(store: Store) -> tuple:
    counts = tuple(store.rows(f"select count(*) as n from [{t}]")[0]["n"]
                   for t in ("workbooks", "history", "grants", "accounts", "votes", "workshops", "ideas"))
    return counts, tuple(r["data_version"] for r in store.rows("select data_version from workbooks order by id"))


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_role_below_is_refused_and_nothing_is_written(setup, name):
    store, wb, people = setup
    needs, call = CASES[name]
    if needs == "signed_in":
        refused = [Actor.participant("forged", wb), "a bare name"]
    elif needs == "intake":  # another workbook's link or token, a participant, a viewer
        refused = [Actor.intake("webhook:generic", wb + 1), Actor.participant("forged", wb), people["viewer"]]
    else:
        refused = [people[BELOW[needs]]]
    PREPARE.get(name, lambda s, wb: None)(store, wb)
    before = _snapshot(store)
    for who in refused:
        with pytest.raises(Forbidden):
            call(store, wb, who, people)
    assert _snapshot(store) == before


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_role_it_needs_passes(setup, name):
    store, wb, people = setup
    needs, call = CASES[name]
    who = Actor.intake("webhook:generic", wb) if needs == "intake" else people["stranger" if needs == "signed_in"
                                                                               else needs]
    PREPARE.get(name, lambda s, wb: None)(store, wb)
    call(store, wb, who, people)


def test_admins_and_owners_can_do_everything_editors_can(setup):
    store, wb, people = setup
    for who in (people["owner"], people["admin"]):
        assert roles.allowed(store, who, "edit", wb) and roles.allowed(store, who, "share", wb)
    assert not roles.allowed(store, people["editor"], "share", wb)
    assert roles.allowed(store, people["viewer"], "view", wb)
    assert not roles.allowed(store, people["stranger"], "view", wb)


def test_an_intake_actor_records_answers_in_its_own_workbook_and_does_nothing_else(setup):
    store, wb, people = setup
    intake = Actor.intake("webhook:generic", wb)
    before = _snapshot(store)
    for write in (lambda: personas.save_persona(store, wb, {"name": "Nora", "segment_size": 0}, intake),
                  lambda: workbooks.create_workbook(store, "Mine now", intake),
                  lambda: webhooks.create_token(store, wb, "More tokens", intake),
                  lambda: store.undo_last(wb, intake),
                  lambda: roles.share(store, wb, roles.EVERYONE, "editor", intake)):
        with pytest.raises(Forbidden):
            write()
    assert _snapshot(store) == before
    assert roles.allowed(store, intake, "answer", wb) and not roles.allowed(store, intake, "view", wb)


def test_sharing_is_never_undone(setup):
    from cxlib.storage.store import UndoBlocked

    store, wb, people = setup
    roles.share(store, wb, people["stranger"].principal, "viewer", people["owner"])
    sharing = store.changes(wb, limit=1)[0]
    assert not sharing["undoable"]
    assert not any(r["table_name"] == "grants" for r in store.last_change(wb))
    with pytest.raises(UndoBlocked) as refused:
        store.undo_change(wb, sharing["change_id"], people["owner"])
    assert refused.value.reason == "sharing"
    assert roles.allowed(store, people["stranger"], "view", wb)
