"""How the app looks: its CSS, the right-to-left rules, and Streamlit's own English hidden.

The frame injects these once per run; pages use the class names (``cxw-swimlane``...).
"""

from __future__ import annotations

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
  [data-testid="stVegaLiteChart"], [data-testid="stArrowVegaLiteChart"],
  [data-testid="stDataFrameResizable"] { direction: ltr; }
  [data-testid="stSidebarCollapseButton"] svg, [data-testid="stExpandSidebarButton"] svg { transform: scaleX(-1); }
  .cxw-swimlane table { direction: rtl; }
  .stApp h1, .stApp h2, .stApp h3, .stApp h4, .stApp h5, .stApp h6 { text-align: start !important; }
</style>
"""

# Streamlit writes a few words of its own in English. Outside English: the upload button
# gets the language's word; the size-limit line, the "Press Enter to apply" hints and the
# "Running..." label go (the running icon stays).
STREAMLIT_WORDS_STYLE = """
<style>
  [data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p { display: none; }
  [data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"]::after { content: "UPLOAD"; }
  [data-testid="stFileUploaderDropzoneInstructions"], [data-testid="InputInstructions"],
  [data-testid="stStatusWidget"] label { display: none; }
</style>
"""
