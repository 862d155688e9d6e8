"""The server imports every module the pages use before it answers its health check."""

from __future__ import annotations

import sys
from pathlib import Path

from ui.warmup import PACKAGES, preload

ROOT = Path(__file__).resolve().parents[2]


def test_preload_imports_every_module_of_the_app_packages():
    on_disk = {".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
               for package in PACKAGES for path in (ROOT / package).rglob("*.py")}
    assert preload() == len(on_disk - set(PACKAGES))  # walked: every module below the packages
    assert on_disk <= set(sys.modules)
