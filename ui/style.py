"""How the app looks: its CSS, the right-to-left rules, and Streamlit's own English hidden.

The frame injects these once per run; pages use the class names (``cxw-swimlane``...).
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping
from pathlib import Path

STATIC = Path(__file__).resolve().parents[1] / "static"

STYLE = """
<style>
  .cxw-swimlane { overflow-x: auto; }
  .cxw-swimlane table { border-collapse: collapse; width: 100%; font-size: 0.95rem; }
  .cxw-swimlane th, .cxw-swimlane td { border: 1px solid rgba(128,128,128,.35);
      padding: .45rem .6rem; vertical-align: top; min-width: 9rem; text-align: start; }
  .cxw-swimlane thead th { background: rgba(0,114,178,.12); }
  .cxw-swimlane tbody th { background: rgba(128,128,128,.08); white-space: nowrap; }
  .cxw-swimlane td.emotion-2 { background: rgba(0,158,115,.30); }
  .cxw-swimlane td.emotion-1 { background: rgba(0,158,115,.15); }
  .cxw-swimlane td.emotion--1 { background: rgba(213,94,0,.15); }
  .cxw-swimlane td.emotion--2 { background: rgba(213,94,0,.30); }
  /* Step titles wrap in the sidebar instead of ending in "…" (long in Armenian and Persian). */
  [data-testid="stSidebarNav"] a { height: auto !important; min-height: 2rem; padding-top: .25rem;
      padding-bottom: .25rem; }
  [data-testid="stSidebarNav"] a > span:last-child { flex: 1 1 0; min-width: 0; width: auto !important; }
  [data-testid="stSidebarNav"] a [data-testid="stMarkdownContainer"],
  [data-testid="stSidebarNav"] a [data-testid="stMarkdownContainer"] p { white-space: normal !important;
      overflow: visible !important; text-overflow: clip !important; line-height: 1.3; }
  /* A chart wider than the column (the journey canvas of a long journey) scrolls inside
     it, instead of running off the page or under the sidebar. */
  [data-testid="stVegaLiteChart"], [data-testid="stArrowVegaLiteChart"] { overflow-x: auto; max-width: 100%; }
  .cxw-avatar { display:inline-flex; align-items:center; justify-content:center; width:3.2rem;
      height:3.2rem; border-radius:50%; background:#0072B2; color:white; font-weight:700;
      font-size:1.25rem; }
</style>
"""

# The participants' vote page is the vote and nothing else: no sidebar, no menu, no toolbar.
PARTICIPANT_STYLE = """
<style>
  [data-testid='stSidebar'], [data-testid='stExpandSidebarButton'], [data-testid='stToolbar'],
  [data-testid='stMainMenu'] { display: none; }
</style>
"""

# Streamlit has no right-to-left mode: mirror the layout (the sidebar moves to the right,
# text and headings start on the right). Grid containers, code and charts keep a left-to-right
# box: the grids still lay their columns out from the right by themselves, and the charts
# that have a reading order (the emotion curve) are mirrored by their builder.
RIGHT_TO_LEFT_STYLE = """
<style>
  .stApp, [data-testid="stSidebar"], [data-testid="stMain"], [data-testid="stHeader"],
  [data-baseweb="popover"], [data-testid="stToast"] { direction: rtl; }
  [data-testid="stDataFrame"], [data-testid="stTable"], .stCode, pre, code,
  [data-testid="stDataFrameResizable"] { direction: ltr; }
  /* A wide chart scrolls from the right (where a mirrored chart starts); inside, Vega keeps
     its left-to-right box. */
  [data-testid="stVegaLiteChart"], [data-testid="stArrowVegaLiteChart"] { direction: rtl; }
  [data-testid="stVegaLiteChart"] > *, [data-testid="stArrowVegaLiteChart"] > * { direction: ltr; }
  [data-testid="stSidebarCollapseButton"] svg, [data-testid="stExpandSidebarButton"] svg { transform: scaleX(-1); }
  .cxw-swimlane table { direction: rtl; }
  .stApp h1, .stApp h2, .stApp h3, .stApp h4, .stApp h5, .stApp h6 { text-align: start !important; }
  /* Streamlit aligns body text to the left whatever the direction: text, captions, lists,
     alerts, metrics and labels start on the right, bullets stand before the text. */
  .stApp [data-testid="stMarkdownContainer"],
  .stApp [data-testid="stMarkdownContainer"] :is(p, li, ol, ul, blockquote, td, th, span, div),
  .stApp [data-testid="stCaptionContainer"], .stApp [data-testid="stCaptionContainer"] *,
  .stApp [data-testid="stMetric"] *, .stApp [data-testid="stWidgetLabel"] *, .stApp [data-testid="stAlert"] *,
  .stApp [data-testid="stExpander"] summary * { text-align: start !important; }
  .stApp [data-testid="stMarkdownContainer"] :is(ul, ol) { padding-left: 0; padding-right: 0;
      padding-inline-start: 1.5em; margin-left: 0; margin-right: 0; }
  .stApp [data-testid="stMarkdownContainer"] li { direction: rtl; }
</style>
"""

# Streamlit writes a few words of its own in English. Outside English: the upload button
# gets the language's word; the size-limit line, the "Press Enter to apply" hints, the
# "Running..." label and an uploaded file's size chip (``61.0B``, written the English way)
# go (the running icon and the file name stay).
STREAMLIT_WORDS_STYLE = """
<style>
  [data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p { display: none; }
  [data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"]::after { content: "UPLOAD"; }
  [data-testid="stFileUploaderDropzoneInstructions"], [data-testid="InputInstructions"],
  [data-testid="stStatusWidget"] label, [data-testid="stFileChipName"] + * { display: none; }
</style>
"""

# Projector mode (a sidebar switch; always on in the presenter view): type read from 4 m on
# a 1920×1080 screen. Body text 22 px, captions as dark as body text, tables in HTML (the
# canvas grid cannot be scaled), wide metric values never cut off.
PROJECTOR_STYLE = """
<style>
  [data-testid="stMain"] p, [data-testid="stMain"] li, [data-testid="stMain"] label,
  [data-testid="stMain"] td, [data-testid="stMain"] th, [data-testid="stMain"] input,
  [data-testid="stMain"] textarea { font-size: 22px !important; line-height: 1.45; }
  [data-testid="stMain"] [data-testid="stCaptionContainer"],
  [data-testid="stMain"] [data-testid="stCaptionContainer"] p { font-size: 20px !important; color: inherit !important; opacity: .85; }
  [data-testid="stMain"] h1 { font-size: 3rem !important; }
  [data-testid="stMain"] h2 { font-size: 2.3rem !important; }
  [data-testid="stMain"] h3 { font-size: 1.9rem !important; }
  [data-testid="stMain"] [data-testid="stMetricValue"], [data-testid="stMain"] [data-testid="stMetricValue"] * {
      font-size: 2.8rem !important; white-space: normal !important; overflow: visible !important;
      text-overflow: clip !important; line-height: 1.15; }
  [data-testid="stMetricLabel"] p { font-size: 20px !important; white-space: normal !important; }
  .cxw-swimlane table { font-size: 20px !important; }
</style>
"""

# Streamlit's own English words that have no setting: the grid toolbar and column menu,
# "Select all", the "Page not found" dialog. Each is shown in the language instead (its
# catalogue key is ``streamlit.<name>``). The grid's cells are drawn on a canvas and
# Streamlit's internal error texts are not listed: those stay as Streamlit writes them.
STREAMLIT_WORDS = {
    "Add row": "add_row", "Delete row(s)": "delete_rows", "Download as CSV": "download_csv", "Search": "search",
    "Fullscreen": "fullscreen", "Close fullscreen": "close_fullscreen", "Exit fullscreen": "exit_fullscreen",
    "Show/hide columns": "show_hide_columns", "Select all": "select_all", "Clear selection": "clear_selection",
    "Sort ascending": "sort_ascending", "Sort descending": "sort_descending", "Autosize": "autosize",
    "Pin column": "pin_column", "Unpin column": "unpin_column", "Hide column": "hide_column", "Format": "format",
    "Copy to clipboard": "copy", "Close": "close", "Page not found": "page_not_found",
    "Show data": "show_data", "Download as PNG": "download_png", "Copy Vega-Lite spec": "copy_spec",
    "Open in Vega Editor": "open_editor",
}

# Replaces those words where the page shows them (text, tooltips, labels), also in parts
# Streamlit draws later (menus, tooltips): a MutationObserver on the document.
def streamlit_words_script(language: str, translated: Mapping[str, str]) -> str:
    """Shows Streamlit's own English words in ``language`` (``translated`` maps each English
    word to the language's): the words travel in a data attribute and the script is the
    app's own file (static/streamlit-words.js), so the content security policy, which
    allows no inline script of ours, lets it run."""
    data = html.escape(json.dumps({"language": language, "words": dict(translated)}, ensure_ascii=False), quote=True)
    return (f"<div hidden data-cxw-words=\"{data}\"></div>"
            "<script src=\"/app/static/streamlit-words.js\"></script>")

