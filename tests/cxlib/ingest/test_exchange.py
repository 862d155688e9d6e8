"""Whole-workbook export and import, and spreadsheet-safe CSV."""

import copy
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


@pytest.fixture(scope="module")
def demo_export(tmp_path_factory):
    """The demo workbook's export, made once for the tests that spoil a copy of it."""
    from cxlib.demo import build
    from cxlib.storage.store import Store

    source = Store(tmp_path_factory.mktemp("demo") / "demo.db")
    made = build.create_demo(source)
    yield exchange.export_workbook(source, made["id"])
    source.close()


def poisoned(export, change):
    """The export with one change applied, as file bytes."""
    data = copy.deepcopy(export)
    change(data)
    return exchange.to_json(data)


def set_first(table, column, value):
    def change(data):
        data["tables"][table][0][column] = value
    return change


@pytest.mark.parametrize("change, path, rule", [
    (set_first("personas", "segment_size", "lots"), "tables/personas/0/segment_size", "schema"),
    (set_first("stages", "emotion", 9), "tables/stages/0/emotion", "schema"),
    (set_first("personas", "favourite_colour", "red"), "tables/personas/0", "schema"),
    (lambda d: d["tables"]["personas"][0].pop("id"), "tables/personas/0", "schema"),
    (set_first("journeys", "persona_id", 999_999), "tables/journeys/0/persona_id", "dangling"),
    (lambda d: d["imported"]["responses"][0].update(score="high"), "imported/responses/0/score", "schema"),
    (lambda d: d["followups"].append({"id": 1, "response_id": 10**9, "owner": None, "status": "open",
                                      "note": None}), "followups/0/response_id", "dangling"),
    (lambda d: d["tables"].update(secrets=[]), "tables", "schema"),
])
def test_a_bad_workbook_file_is_refused_with_the_path_and_nothing_is_written(store, demo_export, change, path,
                                                                              rule):
    content = poisoned(demo_export, change)
    before = len(workbooks.list_workbooks(store))
    with pytest.raises(ValidationError) as raised:
        exchange.import_workbook(store, exchange.read_json(content), "ana")
    assert raised.value.field.startswith(path) and raised.value.details["rule"] == rule
    assert len(workbooks.list_workbooks(store)) == before


def test_deeply_nested_json_is_refused_not_a_crash():
    content = b'{"format": "cx-strategy-workbook", "format_version": 1, "x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    with pytest.raises(ValidationError) as raised:
        exchange.read_json(content)
    assert raised.value.details["rule"] in ("format", "schema")


def test_answers_from_links_and_webhooks_keep_their_touchpoint_and_source(store, workbook):
    from cxlib.steps import webhooks

    webhooks.receive(store, workbook["id"], "generic", {"score": 4, "metric": "nps", "touchpoint": "Till"}, key="k")
    copy = exchange.import_workbook(store, exchange.read_json(exchange.to_json(
        exchange.export_workbook(store, workbook["id"]))), "ana")
    row = store.rows("select touchpoint, source from responses where workbook_id = ?", (copy["id"],))[0]
    assert (row["touchpoint"], row["source"]) == ("Till", "generic")


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
