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


# -- survey tools' own exports (see real/README.md) --------------------------------------

from cxlib.ingest.pipeline import Field, Spec  # noqa: E402
from cxlib.steps import feedback  # noqa: E402


def numbers_spec(roles):
    """A date and the named number columns: what a KPI is computed from, read as the app reads."""
    return Spec("responses", (Field("date", "datetime", True),
                              *(Field(role, "answer") for role in roles)))


def test_qualtrics_v3_export_three_header_rows_and_question_text_used_for_mapping():
    content = (REAL / "qualtrics_v3_sample.csv").read_bytes()
    table = pipeline.open_file(content, "qualtrics.csv")
    # Names, question texts, ImportIds: one header of three rows; data from line 4.
    assert table.header_lines == (1, 2, 3) and table.lines == [4]
    reference = pd.read_csv(io.BytesIO(content), skiprows=[1, 2])  # Qualtrics' documented reading
    assert table.frame.columns == list(reference.columns)
    mapping = pipeline.suggest(table, feedback.RESPONSES)
    # "Q2" says nothing; its question text in the second header row says "free text question".
    assert (mapping["date"], mapping["customer"], mapping["comment"]) == ("StartDate", "ResponseId", "Q2")
    reading = pipeline.read(table, numbers_spec(["duration", "q1"]),
                            {"date": "StartDate", "duration": "Duration (in seconds)", "q1": "Q1"})
    assert reading.frame["date"].to_list() == list(pd.to_datetime(reference["StartDate"]))
    assert reading.frame["duration"].to_list() == reference["Duration (in seconds)"].astype(float).to_list()
    assert reading.frame["q1"].to_list() == reference["Q1"].astype(float).to_list()


def test_qualtrics_legacy_export_with_a_byte_order_mark_and_v_columns():
    content = (REAL / "qualtrics_legacy_sample.csv").read_bytes()
    assert content.startswith(b"\xef\xbb\xbf")
    table = pipeline.open_file(content, "legacy.csv")
    assert table.header_lines == (1, 2) and table.lines == [3] and table.encoding == "utf-8"
    reference = pd.read_csv(io.BytesIO(content), header=1, encoding="utf-8-sig")
    mapping = pipeline.suggest(table, feedback.RESPONSES)
    assert mapping["date"] == "V8 / StartDate" and mapping["customer"] == "V1 / ResponseID"
    spec = Spec("responses", (Field("date", "datetime", True), Field("customer", "text")))
    reading = pipeline.read(table, spec, {"date": mapping["date"], "customer": mapping["customer"]})
    assert reading.frame["date"].to_list() == list(pd.to_datetime(reference["StartDate"]))
    assert reading.frame["customer"].to_list() == reference["ResponseID"].to_list()


SURVEYMONKEY = "surveymonkey_candidate_questionnaire.csv"


def test_surveymonkey_export_two_header_rows_merged_questions_month_first_two_digit_years():
    content = (REAL / SURVEYMONKEY).read_bytes()
    table = pipeline.open_file(content, SURVEYMONKEY)
    assert table.header_lines == (1, 2) and table.lines == [3, 4, 5, 6]
    reference = pd.read_csv(io.BytesIO(content), header=[0, 1])
    assert len(reference) == table.frame.height == 4
    ranking = [c for c in table.frame.columns if c.startswith("Planned unit developments")]
    # The merged question is carried over its eight answer columns, each named by its option.
    assert len(ranking) == 8 and ranking[1].endswith(" / Inclusionary zoning units restricted to lower income "
                                                     "levels than initially proposed by the developer")
    mapping = pipeline.suggest(table, feedback.RESPONSES)
    assert (mapping["date"], mapping["customer"], mapping["nps"]) == ("Start Date", "Respondent ID", None)
    roles = [f"rank{i}" for i in range(8)]
    reading = pipeline.read(table, numbers_spec(roles), {"date": "Start Date", **dict(zip(roles, ranking))})
    said = [p.key for c in reading.columns if c.role == "date" for p in c.phrases]
    assert "ingest.reading.order.mdy" in said and "ingest.reading.two_digit_year" in said  # 8/22/22 15:44
    started = pd.to_datetime(reference[("Start Date", "Unnamed: 2_level_1")], format="%m/%d/%y %H:%M")
    assert reading.frame["date"].to_list() == list(started)
    theirs = reference.iloc[:, 18:26]
    for role, position in zip(roles, range(8)):
        assert reading.frame[role].to_list() == [None if pd.isna(v) else float(v) for v in theirs.iloc[:, position]]
    # "N/A" (line 4, a benefit the candidate would not rank) is an unanswered cell, counted as
    # blank, as pandas reads it too; never a number, never a refusal of the whole file.
    assert reading.blanks == {role: int(theirs.iloc[:, i].isna().sum()) for i, role in enumerate(roles)}
    assert reading.blanks["rank6"] == 1 and table.frame[ranking[6]][1] == "N/A"


GOOGLE_FORMS = "google_forms_ask_a_manager_2021.csv"


def test_google_forms_export_month_first_timestamps_and_thousands_separators():
    content = (REAL / GOOGLE_FORMS).read_bytes()
    table = pipeline.open_file(content, GOOGLE_FORMS)
    reference = pd.read_csv(io.BytesIO(content), thousands=",")
    assert table.frame.height == len(reference) == 20 and table.lines == list(range(2, 22))
    assert pipeline.suggest(table, feedback.RESPONSES)["date"] == "Timestamp"
    reading = pipeline.read(table, numbers_spec(["salary", "other"]),
                            {"date": "Timestamp", "salary": "Annual salary", "other": "Other monetary comp"})
    said = [p.key for c in reading.columns if c.role == "date" for p in c.phrases]
    assert "ingest.reading.order.mdy" in said  # decided by the 27th of April
    stamps = pd.to_datetime(reference["Timestamp"], format="%m/%d/%Y %H:%M:%S")
    assert reading.frame["date"].to_list() == list(stamps)
    assert reading.frame["salary"].to_list() == reference["Annual salary"].astype(float).to_list()
    assert reading.frame["salary"].sum() == reference["Annual salary"].sum()
    assert reading.frame["other"].to_list() == [None if pd.isna(v) else float(v)
                                                for v in reference["Other monetary comp"]]
    assert reading.blanks["other"] == int(reference["Other monetary comp"].isna().sum())
