"""Property: every generated CSV either imports exactly its valid rows, or is refused
naming the right file line and column, and nothing is written on a refusal.

Files vary in delimiter, line endings, blank lines, quoted cells holding delimiters,
quotes and line breaks, Persian text, blank answers and several kinds of bad cell.
"""

import csv
import io
import tempfile
from pathlib import Path

from hypothesis import given, HealthCheck, settings, strategies as st

from cxlib.ingest import pipeline
from cxlib.ingest.parsing import FileError
from cxlib.steps import feedback
from cxlib.storage import workbooks
from cxlib.storage.store import Store, ValidationError

UNREADABLE_DATES = ["soon", "2025-13-01", "31/02/2025"]
EARLY_DATES = ["1850-01-01"]
ERROR_SCORES = ["#DIV/0!"]
TEXT_SCORES = ["x"]
OFF_SCALE = ["11", "-1", "7.5"]
# No letters that could spell a header name or a question id (q1): text must read as data.
TEXT = st.text(alphabet="abcxyz ,;\t\"'\nąśژ۳", max_size=12)

good_date = st.dates(min_value=__import__("datetime").date(2000, 1, 1),
                     max_value=__import__("datetime").date(2025, 12, 31)).flatmap(
    lambda d: st.sampled_from([d.isoformat(), f"{d.isoformat()} 10:30", f"{d.isoformat()}T23:59:59.250Z"]))
date_cell = st.one_of(good_date, good_date, good_date, st.sampled_from(UNREADABLE_DATES + EARLY_DATES))
score_cell = st.one_of(st.integers(0, 10).map(str), st.integers(0, 10).map(str), st.just(""),
                       st.sampled_from(ERROR_SCORES + TEXT_SCORES + OFF_SCALE))
row = st.tuples(st.integers(0, 2), date_cell, score_cell, TEXT, TEXT)
files = st.tuples(st.sampled_from([",", ";", "\t"]), st.sampled_from(["\n", "\r\n"]),
                  st.lists(row, min_size=1, max_size=10))


def build(delimiter, newline, rows):
    """The file's bytes and each data row's first line."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator=newline)
    writer.writerow(["date", "score", "name", "comment"])
    line, lines = 2, []
    for blanks, *cells in rows:
        out.write(newline * blanks)
        line += blanks
        lines.append(line)
        writer.writerow(cells)
        line += 1 + sum(cell.count("\n") for cell in cells)
    return out.getvalue().encode(), lines


def expected_refusal(rows, lines):
    """(code, column, line) of the refusal the pipeline must give, or None."""
    checks = [("date", 1, UNREADABLE_DATES, "not_date"), ("date", 1, EARLY_DATES, "date_too_early"),
              ("score", 2, ERROR_SCORES, "spreadsheet_error"), ("score", 2, TEXT_SCORES, "not_number"),
              ("score", 2, OFF_SCALE, "out_of_range")]
    for column, position, bad, code in checks:
        found = [lines[i] for i, r in enumerate(rows) if r[position] in bad]
        if found:
            return code, column, found[0]
    return None


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(files)
def test_generated_files_import_their_valid_rows_or_are_refused_at_the_right_line(generated):
    delimiter, newline, rows = generated
    content, lines = build(delimiter, newline, rows)
    refusal = expected_refusal(rows, lines)
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "p.db")
        workbook = workbooks.create_workbook(store, "Generated", "prop")
        try:
            table = pipeline.open_file(content, "generated.csv")
            reading = pipeline.read(table, feedback.RESPONSES, {"date": "date", "nps": "score",
                                                                 "customer": "name", "comment": "comment"})
            stored, summary = feedback.response_rows(reading)
            feedback.import_rows(store, workbook["id"], "responses", stored, "generated.csv", "prop", "nps")
        except FileError as error:
            assert refusal is not None, f"refused a valid file: {error}"
            assert (error.code, error.column, error.rows[0]) == refusal, str(error)
        except ValidationError:
            assert refusal is None and all(r[2] == "" for r in rows)  # nothing answered: nothing to import
        else:
            assert refusal is None
            answered = [r for r in rows if r[2] != ""]
            assert summary["nps"] == {"answers": len(answered), "blank": len(rows) - len(answered), "left_out": 0}
            saved = feedback.load_responses(store, workbook["id"])
            assert saved["score"].to_list() == [float(r[2]) for r in answered]
            assert saved["customer"].to_list() == [r[3].strip() or None for r in answered]
        if refusal is not None:
            assert feedback.counts(store, workbook["id"])["responses"] == 0
            assert feedback.list_imports(store, workbook["id"]) == []
        store.close()


hostile_text = st.text(alphabet=st.sampled_from(list("ab1,;\t\"'\n\r ۱٫.-/:#=+N") + ["\x00", "é", "ł", "😀"]),
                       max_size=300)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.binary(max_size=400), hostile_text.map(lambda t: t.encode("utf-8")),
                 hostile_text.map(lambda t: t.encode("utf-16")), hostile_text.map(lambda t: t.encode("cp1250", "ignore"))))
def test_any_bytes_are_read_or_refused_with_a_file_error_never_a_crash(content):
    for spec in (feedback.RESPONSES, feedback.TICKETS, feedback.EVENTS):
        try:
            table = pipeline.open_file(content, "anything.csv")
            # Every column put to use, in the order the spec lists its roles.
            mapping = dict(zip(spec.roles, table.frame.columns))
            reading = pipeline.read(table, spec, mapping)
            if spec is feedback.RESPONSES:
                feedback.response_rows(reading)
        except FileError as error:
            assert error.message("fa") and error.message("en")  # a message in every language
