"""Step 7: mention import (validated, all or nothing), sentiment, volume, share of voice."""

from pathlib import Path

import polars as pl
import pytest

from cxlib.ingest.parsing import FileError
from cxlib.steps import listening
from cxlib.storage import workbooks

SAMPLE = Path(__file__).resolve().parents[3] / "data" / "mentions_sample.csv"
GOOD = (
    "\ufeffdate,platform,author,text,brand,stage\n"
    "03.08.2026,X,@a,Love the new beans,Us,Use\n"
    "04.08.2026,X,@b,Terrible late delivery again,Rival,\n"
    "13.08.2026,X,@c,Kawa świetna,Us,\n"
)


def test_read_and_import_scores_english_only(store, workbook):
    mentions = listening.read_mentions(GOOD.encode())
    assert mentions["date"].to_list()[1].isoformat() == "2026-08-04"
    assert listening.import_mentions(store, workbook["id"], mentions, "a") == 3
    loaded = listening.load(store, workbook["id"])
    scores = dict(zip(loaded["text"], loaded["sentiment"]))
    assert scores["Love the new beans"] > 0.05 and scores["Terrible late delivery again"] < -0.05
    assert scores["Kawa świetna"] is None  # Polish: counted, not scored
    assert listening.counts(store, workbook["id"]) == {"mentions": 3, "tagged": 1}


@pytest.mark.parametrize(
    "content, column, rows",
    [
        ("date,platform,author,text\n2026-01-01,X,@a,hi\n", "brand", []),
        ("date,platform,author,text,brand\n2026-01-01,X,@a,hi,Us\nsoon,X,@b,hey,Us\n", "date", [3]),
        ("date,platform,author,text,brand\n2026-01-01,X,@a,,Us\n", "text", [2]),
    ],
)
def test_bad_files_name_row_and_column(content, column, rows):
    with pytest.raises(FileError) as raised:
        listening.read_mentions(content.encode())
    assert raised.value.column == column and raised.value.rows == rows


def test_failed_import_writes_nothing(store, workbook, monkeypatch):
    mentions = listening.read_mentions(GOOD.encode())
    before = store.history(workbook["id"])
    calls = []

    def failing(text):
        calls.append(text)
        if len(calls) == 3:
            raise RuntimeError("disk full")
        return 0.0

    monkeypatch.setattr(listening, "sentiment", failing)
    with pytest.raises(RuntimeError):
        listening.import_mentions(store, workbook["id"], mentions, "a")
    assert listening.counts(store, workbook["id"])["mentions"] == 0
    assert store.history(workbook["id"]) == before


def test_summaries_on_the_sample_file(store, workbook):
    mentions = listening.read_mentions(SAMPLE.read_bytes())
    listening.import_mentions(store, workbook["id"], mentions, "a")
    loaded = listening.load(store, workbook["id"])
    share = listening.share_of_voice(loaded)
    assert share["share"].sum() == pytest.approx(1.0)
    assert share["brand"][0] == "Bean & Bloom"
    weekly = listening.volume(loaded)
    assert weekly["mentions"].sum() == loaded.height
    themes = listening.themes(loaded, ignore=share["brand"].to_list())["theme"].to_list()
    assert "bean" not in themes and "delivery" in themes
    assert "delivery" in listening.pain_points(loaded, "Bean & Bloom")["theme"].to_list()
    undone = store.undo_last(workbook["id"], "a")
    assert len(undone) == loaded.height and listening.counts(store, workbook["id"])["mentions"] == 0


def test_tag_mentions_to_stages(store, workbook):
    listening.import_mentions(store, workbook["id"], listening.read_mentions(GOOD.encode()), "a")
    loaded = listening.load(store, workbook["id"]).to_dicts()
    listening.save_stage_tags(store, workbook["id"], loaded, {1: {"stage": "Delivery"}}, "a")
    by_stage = listening.by_stage(listening.load(store, workbook["id"]))
    assert set(by_stage["stage"]) == {"Use", "Delivery"}


def test_language_detection():
    assert [listening.detect_language(t) for t in ("hello", "سلام", "Բարեւ", "dzięki")] == ["en", "fa", "hy", "pl"]
