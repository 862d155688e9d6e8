"""Retake the README's screenshots from the app as it is now.

    .venv/bin/python docs/screenshots.py

Starts the server (``serve.py``) on a fresh database with the demo workbook, opens the
journey map in English and in Persian in Debian's Chromium, and saves ``docs/screenshot.png``
and ``docs/screenshot-fa.png`` (1440×900, from the journey map's heading down).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "browser")]

from browserkit import CHROMIUM, CHROMIUM_ARGS, AppServer, wait_for_app  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from cxlib.demo import build as demo  # noqa: E402
from cxlib.storage.store import Store  # noqa: E402

SHOTS = {  # file: (page, language, heading to scroll to the top)
    "screenshot.png": ("journeys", "en", "Journey map"),
    "screenshot-fa.png": ("journeys", "fa", "نقشهٔ سفر"),
}


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        database = Path(folder) / "workbook.db"
        store = Store(database)
        ids = {language: demo.create_demo(store, language)["id"] for language in {lang for _, lang, _ in SHOTS.values()}}
        store.close()
        server = AppServer(database)
        server.start()
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
                page = browser.new_page(viewport={"width": 1440, "height": 900})
                for name, (path, language, heading) in SHOTS.items():
                    page.goto(f"{server.url}/{path}?wb={ids[language]}&lang={language}")
                    wait_for_app(page)
                    page.locator("[data-testid='stVegaLiteChart'] canvas, [data-testid='stVegaLiteChart'] svg") \
                        .first.wait_for(timeout=30_000)
                    page.wait_for_timeout(2500)  # the other charts draw a moment later
                    page.get_by_role("heading", name=heading).first.evaluate("e => e.scrollIntoView()")
                    page.wait_for_timeout(500)
                    page.screenshot(path=str(ROOT / "docs" / name))
                    print("saved", name)
                browser.close()
        finally:
            server.stop()


if __name__ == "__main__":
    main()
