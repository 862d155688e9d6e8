"""The strategy as a document: altair chart builders (charts) and the HTML/PDF/Markdown report (build).
"""
