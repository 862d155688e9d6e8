"""Browser tests: the real app under `streamlit run`, driven by Playwright in Chromium.

Playwright cannot download browsers here, so it drives Debian's Chromium. The server runs
on a free port with its own database file and is stopped after each test module.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
ARTIFACTS = ROOT / "test-artifacts"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def healthy_within(url: str, seconds: float, poll: float) -> bool:
    """Whether ``{url}/_stcore/health`` answers "ok" within ``seconds`` (a server, or the
    proxy in front of one, has started)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                if answer.read() == b"ok":
                    return True
        except OSError:
            time.sleep(poll)
    return False


class AppServer:
    """`streamlit run serve.py` (the pages and the web/ routes) on a free port; can be
    stopped and started again. ``env`` adds settings (sign-in ways)."""

    def __init__(self, db_path: Path | str, env: dict[str, str] | None = None, log: Path | None = None,
                 script: str = "serve.py"):
        self.script = script  # what `streamlit run` serves (a benchmark's reference app)
        self.db_path = db_path  # a SQLite file, or a postgresql:// URL (then ``log`` names the log file)
        self.env = env or {}
        self.port = free_port()
        self.process: subprocess.Popen | None = None
        self.log = log or Path(db_path).with_suffix(".log")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        env = {**os.environ, "CXW_DB": str(self.db_path), **self.env}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", self.script, "--server.port", str(self.port),
             "--server.address", "127.0.0.1", "--server.headless", "true"],
            cwd=ROOT, env=env, stdout=self.log.open("ab"), stderr=subprocess.STDOUT,
        )
        if not healthy_within(self.url, 60, 0.3):
            raise RuntimeError(f"streamlit did not start: {self.log.read_text()[-2000:]}")

    def stop(self) -> None:
        if self.process:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:  # a loaded machine; open websockets can hold uvicorn's stop
                self.process.kill()
                self.process.wait(timeout=20)
            self.process = None

    def errors(self) -> str:
        text = self.log.read_text(errors="replace")
        return text if "Traceback" in text else ""


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (make test installs it when run as root)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[AppServer]:
    app = AppServer(tmp_path_factory.mktemp("browser") / "workbook.db")
    app.start()
    yield app
    app.stop()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    page = context.new_page()
    yield page
    context.close()


def wait_for_app(page) -> None:
    """Wait until Streamlit has drawn the page and finished running the script."""
    page.wait_for_selector("[data-testid='stSidebar']", state="attached", timeout=30_000)
    page.wait_for_selector("[data-testid='stMain'] h1", timeout=30_000)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=30_000
    )
    page.wait_for_timeout(300)


def wait_for_participant_page(page) -> None:
    """Like wait_for_app, for the participants' page, which has no sidebar."""
    page.wait_for_selector("[data-testid='stMain'] h1", timeout=30_000)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=30_000
    )
    page.wait_for_timeout(300)


def assert_no_exception(page) -> None:
    shown = page.locator("[data-testid='stException']")
    assert shown.count() == 0, shown.first.inner_text()
