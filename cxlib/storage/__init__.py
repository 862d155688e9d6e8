"""Storage: the one write path (store), the schema and its migrations, versioned records and workbooks.

The lowest layer above ``l10n``: SQL lives only here.
"""
