"""Tickets with a first-response column (time to first response beside time to
resolution, a response before creation left out and counted), and the answers an import
left out per metric (blank, off the scale), kept with the import for step 10's note."""

import io

import pandas as pd
import polars as pl
import pytest

from cxlib.analytics import aggregates, kpi, metrics
from cxlib.ingest import pipeline
from cxlib.ingest.parsing import FileError
from cxlib.l10n.formats import Formatter
from cxlib.l10n.i18n import Translator
from cxlib.steps import feedback

TICKETS = (b"Ticket,Created at,First response at,Resolved at,Channel\n"
           b"T1,2026-10-01 10:00,2026-10-01 10:30,2026-10-01 12:00,email\n"
           b"T2,2026-10-02 10:00,2026-10-02 09:00,2026-10-02 15:00,chat\n"  # response before creation
           b"T3,2026-10-03 10:00,2026-10-03 11:00,,chat\n"
           b"T4,2026-10-04 10:00,,,email\n")


def tickets_reading(content=TICKETS):
    table = pipeline.open_file(content, "tickets.csv")
    return pipeline.read(table, feedback.TICKETS, pipeline.suggest(table, feedback.TICKETS))


def test_first_response_is_suggested_read_stored_and_loaded(store, workbook):
    reading = tickets_reading()
    mapped = {c.role: c.column for c in reading.columns}
    assert (mapped["created"], mapped["first_response"], mapped["resolved"]) == (
        "Created at", "First response at", "Resolved at")
    rows = feedback.ticket_rows(reading)
    assert rows["first_response"].to_list() == ["2026-10-01T10:30:00", "2026-10-02T09:00:00",
                                                "2026-10-03T11:00:00", None]
    assert feedback.ticket_notes(reading) == {"resolved": {"before_created": 0},
                                              "first_response": {"before_created": 1}}
    feedback.import_rows(store, workbook["id"], "tickets", rows, "tickets.csv", "ana")
    loaded = feedback.load_tickets(store, workbook["id"])
    assert loaded["first_response"].dtype == pl.Datetime
    assert loaded["first_response"].null_count() == 1


def test_time_to_first_response_leaves_out_a_response_before_creation_and_says_so(store, workbook):
    feedback.import_rows(store, workbook["id"], "tickets", feedback.ticket_rows(tickets_reading()),
                         "tickets.csv", "ana")
    tickets = feedback.load_tickets(store, workbook["id"])
    lines = {h.metric: h for h in metrics.headlines(pl.DataFrame(schema=aggregates.SCHEMA), tickets,
                                                     pl.DataFrame(), [])}
    # Independent: T1 30 min, T3 60 min answered after creation; T2 before (left out); T4 none.
    assert lines["frt"].value == pytest.approx(0.75) and lines["frt"].n == 2
    assert lines["frt"].detail["negative_rows"] == [1]
    assert lines["ttr"].value == pytest.approx((2 + 5) / 2) and lines["ttr"].n == 2
    t = Translator("en")
    notes = metrics.data_notes(lines["frt"], {}, t)
    assert notes == ["Left out of this figure: 1 ticket with a first response before it was created. Check its "
                     "times in the tickets file (time zone, day/month order) and import it again."]
    assert metrics.value_words("frt", 0.75, t, Formatter("en")) == t("metrics.unit.hours", value="0.8")
    assert metrics.data_notes(lines["ttr"], {}, t) == []


def test_no_first_response_column_no_frt_headline(store, workbook):
    content = b"created,resolved\n2026-10-01 10:00,2026-10-01 12:00\n"
    feedback.import_rows(store, workbook["id"], "tickets", feedback.ticket_rows(tickets_reading(content)),
                         "t.csv", "ana")
    tickets = feedback.load_tickets(store, workbook["id"])
    assert [h.metric for h in metrics.headlines(pl.DataFrame(schema=aggregates.SCHEMA), tickets,
                                                pl.DataFrame(), [])] == ["ttr"]
    assert kpi.ttr(tickets, resolved="first_response").n == 0


ANSWERS = ("date,nps,csat\n2026-10-01,9,5\n2026-10-02,12,\n2026-10-03,,4\n2026-10-04,7,9\n"
           "2026-10-05,,\n")


def test_an_import_keeps_what_it_left_out_per_metric_and_undo_takes_it_away(store, workbook):
    table = pipeline.open_file(ANSWERS.encode(), "answers.csv")
    reading = pipeline.read(table, feedback.RESPONSES, {"date": "date", "nps": "nps", "csat": "csat"})
    rows, summary = feedback.response_rows(reading, {"csat": 5}, leave_out_off_scale=True)
    # Independent count from the same bytes: pandas.
    frame = pd.read_csv(io.StringIO(ANSWERS))
    for metric, high, low in (("nps", 10, 0), ("csat", 5, 1)):
        answered = frame[metric].dropna()
        off = ((answered < low) | (answered > high)).sum()
        assert summary[metric] == {"answers": int(len(answered) - off), "blank": int(frame[metric].isna().sum()),
                                   "left_out": int(off)}
    feedback.import_rows(store, workbook["id"], "responses", rows, "answers.csv", "ana", "nps,csat", notes=summary)
    assert feedback.left_out(store, workbook["id"]) == {"nps": {"blank": 2, "left_out": 1},
                                                        "csat": {"blank": 2, "left_out": 1}}
    feedback.import_rows(store, workbook["id"], "responses", rows, "again.csv", "ana", "nps,csat", notes=summary)
    assert feedback.left_out(store, workbook["id"])["nps"] == {"blank": 4, "left_out": 2}
    store.undo_last(workbook["id"], "ana")
    assert feedback.left_out(store, workbook["id"])["nps"] == {"blank": 2, "left_out": 1}

    counted = aggregates.load(store, workbook["id"])  # the answer counts step 10 reads
    nps = next(h for h in metrics.headlines(counted, pl.DataFrame(), pl.DataFrame(), []) if h.metric == "nps")
    assert nps.n == 2  # 9 and 7: the 12 and the blanks are not in the number …
    t = Translator("pl")
    assert metrics.data_notes(nps, feedback.left_out(store, workbook["id"]), t) == [  # … and the note says so
        "Poza tą liczbą: 1 odpowiedź spoza skali, pominięta przy imporcie.",
        "Poza tą liczbą: 2 puste odpowiedzi (pytanie pozostało bez odpowiedzi)."]


def test_an_import_with_nothing_left_out_keeps_no_note(store, workbook):
    table = pipeline.open_file(b"date,nps\n2026-10-01,9\n", "a.csv")
    reading = pipeline.read(table, feedback.RESPONSES, {"date": "date", "nps": "nps"})
    rows, summary = feedback.response_rows(reading)
    feedback.import_rows(store, workbook["id"], "responses", rows, "a.csv", "ana", "nps", notes=summary)
    assert feedback.left_out(store, workbook["id"]) == {}


def test_a_first_response_after_the_resolution_is_kept_and_said(store, workbook):
    content = (b"created,first response,resolved\n"
               b"2026-10-01 10:00,2026-10-01 13:00,2026-10-01 12:00\n"  # answered after it was resolved
               b"2026-10-02 10:00,2026-10-02 10:30,2026-10-02 11:00\n")
    feedback.import_rows(store, workbook["id"], "tickets", feedback.ticket_rows(tickets_reading(content)),
                         "t.csv", "ana")
    tickets = feedback.load_tickets(store, workbook["id"])
    frt = next(h for h in metrics.headlines(pl.DataFrame(schema=aggregates.SCHEMA), tickets, pl.DataFrame(), [])
               if h.metric == "frt")
    assert frt.n == 2 and frt.value == pytest.approx((3 + 0.5) / 2)  # kept in the figure …
    assert metrics.data_notes(frt, {}, Translator("en")) == [  # … and said beside it
        "1 ticket has its first response after its resolution; it is kept in both figures. If that cannot "
        "happen in your tool, check which export columns were mapped to “first response” and “resolved”."]


def test_first_responses_and_left_out_counts_travel_with_the_workbook(store, workbook):
    import json as json_module

    from cxlib.ingest import exchange
    from cxlib.storage import workbooks

    table = pipeline.open_file(ANSWERS.encode(), "answers.csv")
    reading = pipeline.read(table, feedback.RESPONSES, {"date": "date", "nps": "nps", "csat": "csat"})
    rows, summary = feedback.response_rows(reading, {"csat": 5}, leave_out_off_scale=True)
    feedback.import_rows(store, workbook["id"], "responses", rows, "answers.csv", "ana", "nps,csat", notes=summary)
    feedback.import_rows(store, workbook["id"], "tickets", feedback.ticket_rows(tickets_reading()), "t.csv", "ana")
    expected = feedback.left_out(store, workbook["id"])
    firsts = feedback.load_tickets(store, workbook["id"])["first_response"].to_list()

    data = json_module.loads(json_module.dumps(exchange.export_workbook(store, workbook["id"])))
    imported = exchange.import_workbook(store, data, "ana")
    copied = workbooks.duplicate_workbook(store, workbook["id"], "Copy", "ana")
    for other in (imported["id"], copied["id"]):
        assert feedback.left_out(store, other) == expected
        assert feedback.load_tickets(store, other)["first_response"].to_list() == firsts


MINUTES = (b"ticket_id,created_date,channel,first_response_minutes,resolution_hours,resolved_date\n"
           b"T1,2024-10-29 22:00:00,Chat,261.3160766843023,17.25,2024-10-30 15:15:11.744884\n"
           b"T2,2024-02-05 20:00:00,Email,15.237594559232997,1.98,\n"
           b"T3,2024-08-12 14:00:00,Phone,-5,2.0,2024-08-12 16:00:00\n")


def test_a_first_response_given_in_minutes_after_creation_is_read_as_a_time(store, workbook):
    reading = tickets_reading(MINUTES)
    mapped = {c.role: c.column for c in reading.columns}
    assert (mapped["created"], mapped["resolved"], mapped["response_minutes"]) == (
        "created_date", "resolved_date", "first_response_minutes")
    assert "first_response" not in mapped and "response_hours" not in mapped
    rows = feedback.ticket_rows(reading)
    # Independent: pandas on the same bytes, created + minutes, to the second.
    frame = pd.read_csv(io.BytesIO(MINUTES))
    theirs = (pd.to_datetime(frame["created_date"]) + pd.to_timedelta(frame["first_response_minutes"], unit="m")
              ).dt.round("1s").dt.strftime("%Y-%m-%dT%H:%M:%S").to_list()
    assert rows["first_response"].to_list() == theirs
    assert feedback.ticket_notes(reading)["response_minutes"] == {"before_created": 1}
    feedback.import_rows(store, workbook["id"], "tickets", rows, "t.csv", "ana")
    tickets = feedback.load_tickets(store, workbook["id"])
    frt = next(h for h in metrics.headlines(pl.DataFrame(schema=aggregates.SCHEMA), tickets, pl.DataFrame(), [])
               if h.metric == "frt")
    answered = frame["first_response_minutes"][frame["first_response_minutes"] >= 0] / 60
    assert frt.n == 2 and frt.value == pytest.approx(answered.median(), abs=1 / 3600)
    assert frt.detail["negative_rows"] == [2]


@pytest.mark.parametrize("minutes", ["1000000000", "1e12", "1e300", "-1000000000", "-1e12"])
def test_a_first_response_duration_past_tomorrow_or_before_1900_is_refused_by_line(minutes):
    """Seconds exported as minutes put the response in the year 3900 or 0124 (or, past
    polars' range, nowhere: an empty first response). Refused like such a date, naming the line."""
    content = MINUTES.replace(b"15.237594559232997", minutes.encode())
    with pytest.raises(FileError) as refused:
        feedback.ticket_rows(tickets_reading(content))
    assert refused.value.code == "response_out_of_range"
    message = refused.value.message("en")
    assert "“first_response_minutes”" in message and "line(s) 3" in message and "minutes or hours" in message


def test_a_first_response_chosen_twice_is_refused_naming_both_columns():
    table = pipeline.open_file(b"created,first response,first response minutes\n2026-10-01 10:00,"
                               b"2026-10-01 10:30,30\n", "t.csv")
    reading = pipeline.read(table, feedback.TICKETS, {"created": "created", "first_response": "first response",
                                                      "response_minutes": "first response minutes"})
    with pytest.raises(FileError) as refused:
        feedback.ticket_rows(reading)
    assert refused.value.code == "first_response_twice"
    assert "“first response” and “first response minutes”" in refused.value.message("en")


# -- properties of the two new readings -----------------------------------------------------

from datetime import datetime as _datetime, timedelta as _timedelta  # noqa: E402

from hypothesis import example, given, HealthCheck, settings, strategies as st  # noqa: E402


@example([(_datetime(2001, 1, 1), 4096.525)])  # 31.5 s past the minute: 31.49999… s in floating point
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.datetimes(min_value=_datetime(2001, 1, 1), max_value=_datetime(2025, 12, 31)),
                          st.one_of(st.integers(-600, 100_000), st.floats(0, 5000, allow_nan=False).map(
                              lambda f: round(f, 3)))),
                min_size=1, max_size=8))
def test_a_duration_after_creation_becomes_created_plus_that_duration(tickets):
    for unit in ("minutes", "hours"):
        lines = [f"{c.replace(microsecond=0):%Y-%m-%d %H:%M:%S},{d}" for c, d in tickets]
        content = (f"created,first response {unit}\n" + "\n".join(lines) + "\n").encode()
        table = pipeline.open_file(content, "t.csv")
        role = "response_minutes" if unit == "minutes" else "response_hours"
        reading = pipeline.read(table, feedback.TICKETS, {"created": "created", role: f"first response {unit}"})
        expected = []
        for created, duration in tickets:
            moment = created.replace(microsecond=0) + _timedelta(**{unit: float(duration)})
            moment = (moment + _timedelta(microseconds=500_000)).replace(microsecond=0) \
                if moment.microsecond >= 500_000 else moment.replace(microsecond=0)
            expected.append(moment)
        if max(expected) > _datetime.now() + _timedelta(days=1) or min(expected) < _datetime(1900, 1, 1):
            with pytest.raises(FileError) as refused:
                feedback.ticket_rows(reading)
            assert refused.value.code == "response_out_of_range"
            continue
        rows = feedback.ticket_rows(reading)
        assert rows["first_response"].to_list() == [m.strftime("%Y-%m-%dT%H:%M:%S") for m in expected]
        assert feedback.ticket_notes(reading)[role]["before_created"] == sum(1 for _, d in tickets if d < 0)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.integers(0, 10).map(str), st.sampled_from(["", "N/A", "n/a", " NA ", "nie dotyczy"])),
                min_size=1, max_size=12))
def test_not_applicable_answers_are_counted_as_blank_never_scored(cells):
    content = ("date,score\n" + "\n".join(f"2025-01-0{1 + i % 9},{c}" for i, c in enumerate(cells)) + "\n").encode()
    try:
        table = pipeline.open_file(content, "a.csv")
    except FileError as error:  # a file of blank answers only has no data rows to read
        assert error.code == "no_data_rows" and all(not c.strip() for c in cells)
        return
    reading = pipeline.read(table, feedback.RESPONSES, {"date": "date", "nps": "score"})
    scored = [float(c) for c in cells if c.strip().isdigit()]
    assert [v for v in reading.frame["nps"].to_list() if v is not None] == scored
    assert reading.blanks["nps"] == len(cells) - len(scored)
