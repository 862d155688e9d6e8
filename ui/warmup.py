"""The server imports what the pages need before it says it is ready.

Streamlit imports a page's modules during its first script run, so the first person to
open any page after a start waited for polars, altair, the whole of ``cxlib`` and ``ui``
and altair's Vega-Lite schema (about 1.5 s of imports on the project's 2-core machine,
measured: step 10's first run took 1.1–2.2 s on a fresh server against 0.45 s on a warm
one). Done once in the server's start-up instead, before ``/_stcore/health`` answers,
that wait moves to the operator's restart, where nobody is looking at a spinner.
"""

from __future__ import annotations

import importlib
import pkgutil

PACKAGES = ("cxlib", "ui")  # pages/ are scripts Streamlit runs, not modules; their imports are here


def preload() -> int:
    """Import every module of the app's packages and build one chart as the pages do
    (altair loads and compiles its schema on the first); returns how many modules."""
    imported = 0
    for name in PACKAGES:
        package = importlib.import_module(name)
        for module in pkgutil.walk_packages(package.__path__, f"{name}."):
            importlib.import_module(module.name)
            imported += 1
    import altair as alt
    import polars as pl
    from streamlit.elements.vega_charts import _convert_altair_to_vega_lite_spec

    _convert_altair_to_vega_lite_spec(alt.Chart(pl.DataFrame({"month": ["2026-01"], "value": [1.0]}))
                                      .mark_line().encode(x="month:N", y="value:Q"))
    return imported
