"""CX Strategy Workbook's library, importable from a notebook; it never imports streamlit.

Sub-packages, from the top layer down (a module imports only from layers below its own;
``make test`` checks this with the import-linter contract in ``.importlinter``):

- ``report``, ``workshop``, ``demo``: the document, the shared screen, the demo workbook
- ``steps``: the ten strategy steps
- ``analytics``: KPIs, step 10's figures, CLV and what-if
- ``ingest``: reading files and workbook exchange
- ``storage``: the store (one write path), schema, records, workbooks
- ``l10n``: messages, plurals, locale formats, digits
"""
