"""Personas (customer segments) from a CSV or XLSX file, through the one import pipeline:
validated as the form validates, refused naming line and column, written all or nothing in
one change by a person allowed to edit."""

import csv
import io
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, HealthCheck, settings, strategies as st

from cxlib.access import accounts, roles
from cxlib.access.roles import Actor
from cxlib.ingest import pipeline
from cxlib.ingest.parsing import FileError
from cxlib.steps import personas
from cxlib.storage import workbooks
from cxlib.storage.store import Forbidden, Store

FILE = ("Persona;Job title;Goals;Pain points;Channels;Segment size;Revenue\n"
        "Busy parent;Teacher;\"Save time\nPay less\";Slow delivery;\"web; app\";1 200;35000,50\n"
        "Student;;Cheap;Hidden fees|Long forms;Social;800;\n")


def reading_of(content: bytes, name="personas.csv"):
    table = pipeline.open_file(content, name)
    return pipeline.read(table, personas.PERSONAS, pipeline.suggest(table, personas.PERSONAS))


def test_columns_are_suggested_and_personas_created_in_one_change(store, workbook):
    reading = reading_of(FILE.encode())
    mapped = {c.role: c.column for c in reading.columns}
    assert mapped == {"name": "Persona", "role": "Job title", "goals": "Goals", "pain_points": "Pain points",
                      "channels": "Channels", "segment_size": "Segment size", "segment_value": "Revenue"}
    made = personas.import_personas(store, workbook["id"], reading, "ana")  # channel names in any language
    assert [p["name"] for p in made] == ["Busy parent", "Student"]
    parent, student = personas.list_personas(store, workbook["id"])
    assert parent["goals"] == "Save time\nPay less" and parent["channels"] == ["web", "app"]
    assert (parent["segment_size"], parent["segment_value"]) == (1200, 35000.5)
    assert student["pain_points"] == "Hidden fees\nLong forms" and student["channels"] == ["social"]
    assert student["segment_value"] is None and student["role"] == ""
    assert [h["table_name"] for h in store.last_change(workbook["id"])] == ["personas", "personas"]
    store.undo_last(workbook["id"], "ana")
    assert personas.list_personas(store, workbook["id"]) == []


@pytest.mark.parametrize("content, code, column, line", [
    (FILE.replace("web; app", "web; fax"), "unknown_channel", "Channels", 2),
    (FILE.replace(";800;", ";-3;"), "negative_number", "Segment size", 4),
    (FILE.replace(";800;", ";2.5;"), "not_whole", "Segment size", 4),
    (FILE.replace("Student;", "busy parent;"), "persona_twice", "Persona", 2),
    (FILE.replace("Student;", ";"), "empty_value", "Persona", 4),
    (FILE.replace(";800;", ";many;"), "not_number", "Segment size", 4),
])
def test_a_bad_row_is_refused_naming_line_and_column_and_nothing_is_written(store, workbook, content, code,
                                                                            column, line):
    with pytest.raises(FileError) as refused:
        personas.import_personas(store, workbook["id"], reading_of(content.encode()), "ana")
    assert (refused.value.code, refused.value.column, refused.value.rows[0]) == (code, column, line)
    assert refused.value.message("fa") and refused.value.message("hy") and refused.value.message("pl")
    assert personas.list_personas(store, workbook["id"]) == []


def test_a_name_already_in_the_workbook_is_refused_never_overwritten(store, workbook):
    personas.save_persona(store, workbook["id"], {"name": "Student", "goals": "mine"}, "ana")
    with pytest.raises(FileError) as refused:
        personas.import_personas(store, workbook["id"], reading_of(FILE.encode()), "ana")
    assert (refused.value.code, refused.value.rows) == ("persona_exists", [4])
    (kept,) = personas.list_personas(store, workbook["id"])
    assert kept["goals"] == "mine"


def test_only_a_person_who_may_edit_can_import(tmp_path):
    store = Store(tmp_path / "a.db", roles.ACCESS)
    owner = Actor.user(accounts.create_account(store, "owner", "Owner", "correct horse battery", Actor.system("setup")))
    viewer = Actor.user(accounts.create_account(store, "viewer", "Viewer", "correct horse battery", Actor.system("setup")))
    wb = workbooks.create_workbook(store, "W", owner)["id"]
    roles.share(store, wb, viewer.principal, "viewer", owner)
    with pytest.raises(Forbidden):
        personas.import_personas(store, wb, reading_of(FILE.encode()), viewer)
    assert personas.list_personas(store, wb) == []
    personas.import_personas(store, wb, reading_of(FILE.encode()), owner)
    assert len(personas.list_personas(store, wb)) == 2
    store.close()


def test_an_xlsx_of_personas_reads_the_chosen_sheet(store, workbook):
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "Notes"
    book.active.append(["This workbook lists our segments"])
    sheet = book.create_sheet("Segments")
    sheet.append(["Name", "Segment size"])
    sheet.append(["Retiree", 40])
    out = io.BytesIO()
    book.save(out)
    table = pipeline.open_file(out.getvalue(), "segments.xlsx", sheet="Segments")
    reading = pipeline.read(table, personas.PERSONAS, pipeline.suggest(table, personas.PERSONAS))
    personas.import_personas(store, workbook["id"], reading, "ana")
    assert [(p["name"], p["segment_size"]) for p in personas.list_personas(store, workbook["id"])] == [("Retiree", 40)]


# -- property: any generated personas file imports exactly its rows or is refused at the right line

NAMES = st.text(alphabet="abcxyząśژ ", min_size=1, max_size=8).map(str.strip).filter(bool)
CHANNEL_CELLS = st.one_of(st.lists(st.sampled_from(["web", "app", "email", "phone", "fax"]), max_size=3).map(
    lambda c: ";".join(c)))
SIZES = st.one_of(st.integers(0, 5000).map(str), st.just(""), st.sampled_from(["-1", "2.5", "lots"]))
ROW = st.tuples(st.integers(0, 1), NAMES, st.text(alphabet="ab ,;\n\"", max_size=10), CHANNEL_CELLS, SIZES)


def expected(rows, lines):
    """(code, line) of the first refusal, in the order the pipeline checks: the typed
    reading of the size column first, then row by row channels, size rules, names."""
    typed = [lines[i] for i, r in enumerate(rows) if r[4] == "lots"]
    if typed:
        return "not_number", typed[0]
    seen: dict[str, int] = {}
    for i, (_, name, _, channels, size) in enumerate(rows):
        if "fax" in channels.split(";"):
            return "unknown_channel", lines[i]
        if size == "-1":
            return "negative_number", lines[i]
        if size == "2.5":
            return "not_whole", lines[i]
        if name.lower() in seen:
            return "persona_twice", seen[name.lower()]  # the message names both lines, the first first
        seen[name.lower()] = lines[i]
    return None


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from([",", ";", "\t"]), st.lists(ROW, min_size=1, max_size=8))
def test_generated_persona_files_import_exactly_or_are_refused_at_the_right_line(delimiter, rows):
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(["name", "goals", "channels", "segment size"])
    line, lines = 2, []
    for blanks, *cells in rows:
        out.write("\n" * blanks)
        line += blanks
        lines.append(line)
        writer.writerow(cells)
        line += 1 + sum(cell.count("\n") for cell in cells)
    refusal = expected(rows, lines)
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "p.db")
        wb = workbooks.create_workbook(store, "Generated", "prop")["id"]
        try:
            table = pipeline.open_file(out.getvalue().encode(), "generated.csv")
            reading = pipeline.read(table, personas.PERSONAS, {"name": "name", "goals": "goals",
                                                               "channels": "channels", "segment_size": "segment size"})
            personas.import_personas(store, wb, reading, "prop")
        except FileError as error:
            assert refusal is not None, f"refused a valid file: {error}"
            assert (error.code, error.rows[0]) == refusal, str(error)
            assert personas.list_personas(store, wb) == []
        else:
            assert refusal is None
            stored = sorted(personas.list_personas(store, wb), key=lambda p: p["id"])
            assert [p["name"] for p in stored] == [r[1] for r in rows]
            assert [p["segment_size"] for p in stored] == [int(r[4]) if r[4] else None for r in rows]
            assert [p["channels"] for p in stored] == [list(dict.fromkeys(c for c in r[3].split(";") if c))
                                                       for r in rows]
        store.close()
