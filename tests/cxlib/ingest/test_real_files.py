"""Real exports from public repositories (see real/README.md), read through the import
pipeline and checked against pandas reading the same bytes, or the exact refusal."""

import io
from pathlib import Path

import pandas as pd
import polars as pl
import pytest

from cxlib.analytics import clv
from cxlib.ingest import pipeline
from cxlib.ingest.parsing import FileError
from cxlib.steps import listening

REAL = Path(__file__).resolve().parent / "real"


def test_airline_tweets_resaved_by_excel_read_as_mentions():
    content = (REAL / "twitter_airline_excel_resave.csv").read_bytes()
    table = pipeline.open_file(content, "Tweets.csv")
    mapping = pipeline.suggest(table, listening.MENTIONS)
    assert (mapping["date"], mapping["text"], mapping["brand"], mapping["author"]) == (
        "tweet_created", "text", "airline", "name")
    reading = pipeline.read(table, listening.MENTIONS, mapping)
    mentions = listening.mentions_from(reading)

    reference = pd.read_csv(io.BytesIO(content), dtype=str, keep_default_na=False)
    assert mentions.height == len(reference) == 61
    created = pd.to_datetime(reference["tweet_created"], format="%d-%m-%Y %H.%M")
    assert [d.isoformat() for d in mentions["date"]] == [d.date().isoformat() for d in created]
    assert [t.strip() for t in reference["text"]] == mentions["text"].to_list()
    assert mentions["brand"].value_counts().sort("brand").rows() == sorted(
        reference["airline"].value_counts().items())
    said = [p.key for c in reading.columns if c.role == "date" for p in c.phrases]
    assert "ingest.reading.order.dmy" in said  # decided by the 24th of February
    # The quoted tweet over two lines keeps its line break, and the next tweet its line.
    assert "\n" in mentions["text"][5] and table.line(6) == table.line(5) + 2


def retail_log(value_column: str):
    content = (REAL / "online_retail_2010-12-01.csv").read_bytes()
    table = pipeline.open_file(content, "online_retail.csv")
    mapping = {**pipeline.suggest(table, clv.PURCHASES), "value": value_column}
    return content, clv.log_from(pipeline.read(table, clv.PURCHASES, mapping))


def test_online_retail_purchase_log_matches_pandas():
    content, log = retail_log("UnitPrice")
    reference = pd.read_csv(io.BytesIO(content), dtype={"CustomerID": str})
    assert log.height == len(reference) == 161
    assert log["customer"].to_list() == reference["CustomerID"].to_list()
    assert [d.isoformat() for d in log["date"]] == [
        d.date().isoformat() for d in pd.to_datetime(reference["InvoiceDate"])]
    ours = dict(log.group_by("customer").agg(pl.col("value").sum()).rows())
    theirs = reference.groupby("CustomerID")["UnitPrice"].sum().to_dict()
    assert ours.keys() == theirs.keys()
    assert all(ours[k] == pytest.approx(theirs[k]) for k in theirs)


def test_online_retail_cancellations_are_refused_as_purchases_with_their_lines():
    with pytest.raises(clv.TransactionError) as raised:
        retail_log("Quantity")
    assert (raised.value.code, raised.value.column, raised.value.rows) == ("negative_value", "Quantity", [143, 156])
    assert isinstance(raised.value, FileError)
