"""Text length limits, enforced on every write path: forms, grids, single records, file
imports, workbook files; charts shorten long labels."""

from __future__ import annotations

import json
from datetime import date

import polars as pl
import pytest

from cxlib.ingest import exchange, importers, pipeline
from cxlib.ingest.parsing import FileError
from cxlib.report import charts
from cxlib.steps import feedback, listening, personas, vision
from cxlib.storage import limits
from cxlib.storage.store import ValidationError

TOO_LONG_NAME = "N" * (limits.SHORT + 1)
TOO_LONG_TEXT = "t" * (limits.LONG + 1)


def test_limits_come_from_one_place():
    assert limits.max_length("personas", "name") == limits.SHORT
    assert limits.max_length("personas", "quote") == limits.LONG
    assert limits.max_length("personas", "channels") == limits.LISTS
    assert limits.max_length("votes", "item") > limits.LONG


def test_form_save_refuses_a_long_field_and_writes_nothing(store, workbook):
    with pytest.raises(ValidationError) as refused:
        personas.save_persona(store, workbook["id"], {"name": "Ana", "quote": TOO_LONG_TEXT}, "a")
    assert (refused.value.field, refused.value.details["rule"]) == ("quote", "too_long")
    assert refused.value.details["max"] == limits.LONG
    assert personas.list_personas(store, workbook["id"]) == []
    fits = personas.save_persona(store, workbook["id"], {"name": "Ana", "quote": "q" * limits.LONG}, "a")
    with pytest.raises(ValidationError):  # the update path too
        personas.save_persona(store, workbook["id"], {**fits, "name": TOO_LONG_NAME}, "a", fits["id"], 1)


def test_single_record_save_refuses_a_long_field(store, workbook):
    with pytest.raises(ValidationError) as refused:
        vision.save_vision(store, workbook["id"], {"statement": TOO_LONG_TEXT}, "a")
    assert refused.value.field == "statement"
    assert vision.get_vision(store, workbook["id"]) is None


def test_grid_edit_names_the_row_of_the_long_cell(store, workbook):
    edits = {"added_rows": [{"team": "support", "goal": "ok"}, {"team": "sales", "goal": "g", "kpi": TOO_LONG_NAME}]}
    with pytest.raises(ValidationError) as refused:
        vision.save_goal_edits(store, workbook["id"], [], edits, "a")
    assert refused.value.field == "kpi" and refused.value.details["row"] == 2
    assert vision.list_goals(store, workbook["id"]) == []


def test_mentions_file_with_a_10_mb_brand_is_refused_naming_row_and_column():
    huge = "B" * 10_000_000
    content = f"date,platform,author,text,brand\n2026-01-02,x,a,fine,Us\n2026-01-03,x,b,hi,{huge}\n".encode()
    with pytest.raises(FileError) as refused:
        listening.read_mentions(content)
    assert (refused.value.code, refused.value.column, refused.value.rows) == ("too_long", "brand", [3])
    assert "brand" in refused.value.message("en") and str(limits.SHORT) in refused.value.message("en")
    assert "۳" in refused.value.message("fa")  # the row in Persian digits


def test_survey_export_with_a_long_comment_is_refused_naming_file_column_and_line():
    content = f"Date;Score;Kommentar\n03.11.2026;9;ok\n04.11.2026;7;{TOO_LONG_TEXT}\n".encode()
    table = importers.read_table(content, "export.csv")
    with pytest.raises(FileError) as refused:
        pipeline.read(table, feedback.RESPONSES, {"date": "Date", "nps": "Score", "comment": "Kommentar"})
    assert (refused.value.code, refused.value.column, refused.value.rows) == ("too_long", "Kommentar", [3])


def test_bulk_store_refuses_rows_the_reader_did_not_check(store, workbook):
    rows = pl.DataFrame({"created": ["2026-01-01T00:00:00"], "resolved": [None], "customer": [TOO_LONG_NAME],
                         "channel": [None], "stage": [None], "segment": [None]},
                        schema={c: pl.String for c in ("created", "resolved", "customer", "channel", "stage", "segment")})
    with pytest.raises(ValidationError) as refused:
        feedback.import_rows(store, workbook["id"], "tickets", rows, "t.csv", "a")
    assert refused.value.field == "customer" and refused.value.details["row"] == 1
    assert feedback.list_imports(store, workbook["id"]) == []


def test_workbook_file_with_a_long_value_is_refused_and_nothing_is_created(store, demo_workbook):
    data = json.loads(exchange.to_json(exchange.export_workbook(store, demo_workbook["id"])))
    before = len(store.list("workbooks"))
    data["tables"]["personas"][0]["name"] = TOO_LONG_NAME
    with pytest.raises(ValidationError) as refused:
        exchange.import_workbook(store, exchange.read_json(json.dumps(data).encode()), "a")
    assert refused.value.field == "name"
    data = json.loads(exchange.to_json(exchange.export_workbook(store, demo_workbook["id"])))
    data["imported"]["responses"][0]["comment"] = TOO_LONG_TEXT
    with pytest.raises(ValidationError) as refused:
        exchange.import_workbook(store, exchange.read_json(json.dumps(data).encode()), "a")
    assert refused.value.field == "comment"
    assert len(store.list("workbooks")) == before


def test_charts_shorten_long_labels_and_keep_them_apart():
    first, second = "A" * 1_000_000 + "1", "A" * 1_000_000 + "2"
    frame = pl.DataFrame({"date": [date(2026, 1, 5)] * 3, "brand": [first, second, "Us"], "mentions": [1, 2, 3]})
    spec = charts.mention_volume(frame, {"date": "d", "mentions": "m", "brand": "b", "title": "t"}).to_dict()
    brands = [row["brand"] for row in next(iter(spec["datasets"].values()))]
    assert len(set(brands)) == 3 and max(map(len, brands)) <= charts.LABEL_MAX
    assert len(json.dumps(spec)) < 10_000
