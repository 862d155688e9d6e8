"""What .streamlit/config.toml sets for safety, as Streamlit itself reads it (the grid
export switch is checked in tests/pages/test_grid_downloads.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def options(monkeypatch):
    from streamlit import config

    monkeypatch.chdir(ROOT)
    config.get_config_options(force_reparse=True)
    yield config.get_option
    monkeypatch.undo()
    config.get_config_options(force_reparse=True)


def test_users_never_see_tracebacks(options):
    assert options("client.showErrorDetails") == "none"


def test_upload_limit_keeps_an_import_within_the_memory_budget(options):
    # Measured in the browser (bench/import_in_browser.py): a 170 MB CSV took the server to
    # 917 MB at most, a 555 MB one to 1,967 MB; the app is sized for 1 GB.
    assert options("server.maxUploadSize") <= 170
    assert options("server.maxUploadSize") >= 70  # a million survey answers still fit

