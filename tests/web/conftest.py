"""HTTP tests run against the real server (``streamlit run serve.py``), as the browser tests do."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # httpkit
from browserkit import server  # noqa: E402,F401  (the browser tests' server fixture; tests/browser is on the path)
