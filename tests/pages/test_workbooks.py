"""Workbooks page: create, rename, duplicate, delete with confirmation, history."""

from apptest_helpers import open_page
from pagekit import assert_clean

from cxlib.storage import workbooks


def names(store):
    return [w["name"] for w in workbooks.list_workbooks(store)]


def test_create_opens_the_new_workbook(app_store, demo_id):
    at = open_page("workbooks", {"wb": str(demo_id)})
    assert_clean(at)
    at.text_input(key="cx_new_wb_name").input("Client B")
    next(b for b in at.button if b.label == "Create").click().run()
    assert_clean(at)
    created = next(w for w in workbooks.list_workbooks(app_store) if w["name"] == "Client B")
    assert at.sidebar.selectbox[1].value == created["id"]
    assert at.query_params["wb"] in (str(created["id"]), [str(created["id"])])


def test_duplicate_name_is_refused(app_store, demo_id):
    at = open_page("workbooks", {"wb": str(demo_id)})
    at.text_input(key="cx_new_wb_name").input(names(app_store)[0])
    next(b for b in at.button if b.label == "Create").click().run()
    assert "already exists" in at.error[0].value
    assert len(names(app_store)) == 1


def test_rename_and_duplicate(app_store, demo_id):
    at = open_page("workbooks", {"wb": str(demo_id)})
    at.text_input(key=f"cx_rename_{demo_id}").set_value("Coffee CX")
    at.selectbox(key=f"cx_currency_{demo_id}").set_value("PLN")
    next(b for b in at.button if b.label == "Name and currency").click().run()
    assert_clean(at)
    assert names(app_store) == ["Coffee CX"]
    assert workbooks.get_workbook(app_store, demo_id)["currency"] == "PLN"
    at.text_input(key=f"cx_copy_name_{demo_id}").set_value("Coffee CX to-be")
    next(b for b in at.button if b.label == "Duplicate").click().run()
    assert_clean(at)
    assert names(app_store) == ["Coffee CX", "Coffee CX to-be"]


def test_delete_needs_the_name_typed(app_store, demo_id, empty_id):
    at = open_page("workbooks", {"wb": str(empty_id)})
    delete = next(b for b in at.button if b.label == "Delete")
    assert delete.disabled
    at.text_input(key="cx_delete_confirm").input("Empty").run()
    next(b for b in at.button if b.label == "Delete").click().run()
    assert_clean(at)
    assert [w["id"] for w in workbooks.list_workbooks(app_store)] == [demo_id]
    assert at.sidebar.selectbox[1].value == demo_id


def test_history_lists_changes(demo_id):
    at = open_page("workbooks", {"wb": str(demo_id)})
    assert_clean(at)
    assert len(at.dataframe) == 2  # the workbook list and the history


def test_export_then_import_creates_a_new_workbook(app_store, demo_id):
    from cxlib.ingest import exchange

    content = exchange.to_json(exchange.export_workbook(app_store, demo_id))
    at = open_page("workbooks", {"wb": str(demo_id)})
    at.file_uploader(key="cx_workbook_file_0").upload("demo.cxw.json", content, "application/json").run()
    at.button(key="cx_import_workbook").click().run()
    assert_clean(at)
    assert len(names(app_store)) == 2 and at.sidebar.selectbox[1].value != demo_id


def test_import_of_a_foreign_file_is_refused(app_store, demo_id):
    at = open_page("workbooks", {"wb": str(demo_id)})
    at.file_uploader(key="cx_workbook_file_0").upload("x.json", b'{"hello": 1}', "application/json").run()
    at.button(key="cx_import_workbook").click().run()
    assert "not a workbook exported by this app" in at.error[0].value
    assert len(names(app_store)) == 1


def test_a_spoiled_workbook_file_is_refused_with_the_path_of_the_bad_value(app_store, demo_id):
    import json

    from cxlib.ingest import exchange

    data = exchange.export_workbook(app_store, demo_id)
    data["tables"]["personas"][0]["segment_size"] = "lots"
    at = open_page("workbooks", {"wb": str(demo_id)})
    at.file_uploader[0].upload("spoiled.cxw.json", json.dumps(data).encode(), "application/json").run()
    at.button(key="cx_import_workbook").click().run()
    assert "tables/personas/0/segment_size" in at.error[0].value and "lots" in at.error[0].value
    assert len(names(app_store)) == 1
