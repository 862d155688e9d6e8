"""Grid downloads: Streamlit's built-in export is off; every CSV the app offers is
formula-neutralised (the browser test downloads one, see tests/browser/test_hardening_in_browser.py)."""

from __future__ import annotations

import ast
import csv
import io
from pathlib import Path

from apptest_helpers import open_page
from pagekit import assert_clean

from cxlib.ingest import exchange
from cxlib.steps import listening

ROOT = Path(__file__).resolve().parents[2]
FORMULAS = ["=HYPERLINK(\"http://example.invalid\",\"x\")", "+1+1", "@SUM(A1:A2)", "-2+3", "\t=1"]
# Downloads that are not grids: the report and the workbook file.
NOT_GRIDS = {"text/html", "application/pdf", "text/markdown", "application/json",
             "application/vnd.openxmlformats-officedocument.presentationml.presentation", "image/svg+xml",
             "image/png"}


def test_built_in_grid_export_is_off(monkeypatch):
    from streamlit import config

    monkeypatch.chdir(ROOT)
    try:
        config.get_config_options(force_reparse=True)
        assert config.get_option("client.disableDataExport") is True
    finally:
        monkeypatch.undo()
        config.get_config_options(force_reparse=True)


def download_calls():
    """Every ``download_button(...)`` call in the app's code, with the file it is in."""
    for path in [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py")), *sorted((ROOT / "ui").glob("*.py"))]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "download_button":
                yield path.name, node


def test_every_csv_download_goes_through_the_neutraliser():
    calls = list(download_calls())
    assert calls
    for name, call in calls:
        keywords = {k.arg: k.value for k in call.keywords}
        mime = ast.literal_eval(keywords["mime"]) if isinstance(keywords.get("mime"), ast.Constant) else None
        if mime in NOT_GRIDS:
            continue
        assert "exchange.to_csv" in ast.unparse(keywords.get("data") or call.args[1]), name


def test_neutraliser_defuses_every_formula():
    rows = [{"text": formula, "n": 3} for formula in FORMULAS]
    read = list(csv.reader(io.StringIO(exchange.to_csv(rows, ["text", "n"]).decode("utf-8-sig"))))
    assert [row[0] for row in read[1:]] == ["'" + formula for formula in FORMULAS]
    assert [row[1] for row in read[1:]] == ["3"] * len(FORMULAS)


def test_mentions_grid_offers_our_download(app_store, empty_id):
    content = "date,platform,author,text,brand\n" + "".join(
        f"2026-01-0{i + 1},x,a,\"{f.replace(chr(34), chr(34) * 2)}\",Us\n" for i, f in enumerate(FORMULAS[:4]))
    listening.import_mentions(app_store, empty_id, listening.read_mentions(content.encode()), "a")
    at = open_page("listening", {"wb": str(empty_id)})
    assert_clean(at)
    assert [b.label for b in at.get("download_button") if b.key == "cx_mentions_csv"] == ["Download as CSV"]
