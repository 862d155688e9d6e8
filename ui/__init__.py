"""Streamlit helpers shared by the frame and the pages, one module per job.

``style`` (CSS), ``context`` (the session's store, workbook, language, user), ``errors``
(messages and conflict panels), ``editing`` (edit sessions, grids), ``fields`` (typed
number and date fields), ``show`` (charts, tables, guidance). Nothing here computes a
business result: pages read from ``cxlib`` and write back through it.
"""
