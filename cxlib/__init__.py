"""CX Strategy Workbook's library: storage, domain records, charts and i18n.

Importable from a notebook; it never imports streamlit.
"""
