"""Whole-workbook export and import, and spreadsheet-safe CSV."""

import csv
import io
import json

import pytest

from cxlib.ingest import exchange
from cxlib.steps import feedback, journeys, personas
from cxlib.storage import workbooks
from cxlib.storage.store import ValidationError


def test_round_trip_is_lossless_and_never_overwrites(store, demo_workbook):
    exported = exchange.export_workbook(store, demo_workbook["id"])
    content = exchange.to_json(exported)
    copy = exchange.import_workbook(store, exchange.read_json(content), "ana")
    assert copy["id"] != demo_workbook["id"]
    assert copy["name"] == demo_workbook["name"] + " (1)"  # the original keeps its name
    again = exchange.export_workbook(store, copy["id"])
    assert exchange.comparable(again) == exchange.comparable(exported)
    # Links survive with new ids: each journey still belongs to a persona of the copy.
    copied_personas = {p["id"] for p in personas.list_personas(store, copy["id"])}
    assert {j["persona_id"] for j in journeys.list_journeys(store, copy["id"])} <= copied_personas
    assert feedback.counts(store, copy["id"]) == feedback.counts(store, demo_workbook["id"])
    assert len(workbooks.list_workbooks(store)) == 2


def test_follow_ups_keep_their_answers(store, demo_workbook):
    loop = feedback.follow_ups(store, demo_workbook["id"])
    feedback.save_follow_up_edits(store, demo_workbook["id"], loop, {0: {"owner": "Piotr"}}, "ana")
    copy = exchange.import_workbook(store, exchange.read_json(exchange.to_json(
        exchange.export_workbook(store, demo_workbook["id"]))), "ana")
    (followed,) = [r for r in feedback.follow_ups(store, copy["id"]) if r["owner"] == "Piotr"]
    assert followed["score"] == loop[0]["score"] and followed["at"] == loop[0]["at"]


@pytest.mark.parametrize("content, rule", [
    (b"not json", "format"),
    (json.dumps({"format": "something else"}).encode(), "format"),
    (json.dumps({"format": exchange.FORMAT, "format_version": 99}).encode(), "format_version"),
])
def test_bad_files_are_refused_before_writing(store, content, rule):
    with pytest.raises(ValidationError) as raised:
        exchange.read_json(content)
    assert raised.value.details["rule"] == rule


def test_csv_cells_that_look_like_formulas_are_neutralised():
    rows = [{"name": "=HYPERLINK(\"http://x\")", "score": -3, "note": "+1 call", "who": "@ana", "ok": "fine"}]
    text = exchange.to_csv(rows, ["name", "score", "note", "who", "ok"]).decode("utf-8-sig")
    (header, cells) = list(csv.reader(io.StringIO(text)))
    assert cells == ["'=HYPERLINK(\"http://x\")", "-3", "'+1 call", "'@ana", "fine"]


def test_csv_headers_in_the_readers_language():
    data = exchange.to_csv([{"owner": "سارا", "status": "باز"}], ["owner", "status"], ["مسئول", "وضعیت"])
    assert data.startswith("\ufeff".encode())
    assert list(csv.reader(io.StringIO(data.decode("utf-8-sig")))) == [["مسئول", "وضعیت"], ["سارا", "باز"]]


def test_the_vote_link_token_never_travels_in_an_export(store, demo_workbook):
    from cxlib.workshop import facilitation

    state = facilitation.open_voting(store, demo_workbook["id"], 3, "facilitator")
    data = exchange.export_workbook(store, demo_workbook["id"])
    assert state["vote_token"] not in exchange.to_json(data).decode()
    data["tables"]["workshops"][0]["vote_token"] = "planted"
    data["tables"]["workshops"][0]["voting_open"] = 1
    copy = exchange.import_workbook(store, data, "tester")
    imported = facilitation.workshop(store, copy["id"])
    assert (imported["vote_token"], imported["voting_open"]) == (None, 0)
