"""The three ways to sign in, in a real browser against the real server: built-in accounts,
a trusted proxy's header, and single sign-on through an OpenID Connect provider running
locally (oidc-provider-mock). A viewer's browser changes nothing; a stranger's link to a
workbook shows nothing of it."""

from __future__ import annotations

import re
import socket
import time
from pathlib import Path

import pytest
from browserkit import AppServer, assert_no_exception, free_port, wait_for_app, wait_for_participant_page

from cxlib.access import accounts, roles
from cxlib.access.roles import Actor
from cxlib.demo import build as demo
from cxlib.storage import workbooks
from cxlib.storage.store import Store

SETUP = Actor.system("setup")
PASSWORD = "correct horse battery"


def _database(path: Path) -> dict[str, int]:
    """A demo workbook owned by Olga and shown to Vic, and Sam's own secret workbook."""
    store = Store(path, roles.ACCESS)
    people = {login: Actor.user(accounts.create_account(store, login, login.title(), PASSWORD, SETUP))
              for login in ("olga", "vic", "sam")}
    demo_id = demo.create_demo(store, "en", None, people["olga"])["id"]
    roles.share(store, demo_id, people["vic"].principal, "viewer", people["olga"])
    secret_id = workbooks.create_workbook(store, "Sam's secret plan", people["sam"])["id"]
    store.close()
    return {"demo": demo_id, "secret": secret_id}


def wait_for_sign_in_page(page) -> None:
    page.get_by_role("heading", name="Sign in").wait_for(timeout=30_000)
    wait_for_participant_page(page)  # settled: typing during a rerun would be lost


@pytest.fixture(scope="module")
def accounts_server(tmp_path_factory):
    path = tmp_path_factory.mktemp("accounts") / "workbook.db"
    ids = _database(path)
    app = AppServer(path, {"CXW_AUTH": "accounts"})
    app.start()
    yield app, ids
    app.stop()


def sign_in(page, server, login: str, query: str = "") -> None:
    page.goto(f"{server.url}/{query}")
    wait_for_sign_in_page(page)
    page.get_by_role("textbox", name="Login").fill(login)
    page.get_by_role("textbox", name="Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    wait_for_app(page)


def session_cookie(page) -> dict:
    """The sign-in session's cookie, once the page has claimed it (just after the password)."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        found = [c for c in page.context.cookies() if c["name"] == "cxw_session"]
        if found:
            return found[0]
        page.wait_for_timeout(200)
    raise AssertionError("the sign-in session's cookie never arrived")


def test_built_in_account_signs_in_and_out(browser, accounts_server):
    server, ids = accounts_server
    page = browser.new_context().new_page()
    page.goto(f"{server.url}/?wb={ids['demo']}")
    wait_for_sign_in_page(page)
    assert "Bean" not in page.content()
    sign_in(page, server, "olga", f"?wb={ids['demo']}")
    page.get_by_text("Signed in as Olga").wait_for()
    assert_no_exception(page)
    # A refresh, or the same address in a second tab, keeps the person signed in (the
    # session's HttpOnly cookie), on the page the address names.
    cookie = session_cookie(page)
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    page.reload()
    page.get_by_text("Signed in as Olga").wait_for(timeout=30_000)
    second = page.context.new_page()
    second.goto(f"{server.url}/workbooks?wb={ids['demo']}")
    second.get_by_text("Signed in as Olga").wait_for(timeout=30_000)
    second.close()
    page.get_by_role("button", name="Sign out").click()
    wait_for_sign_in_page(page)
    page.reload()  # the cookie is still there, but opens nothing any more
    wait_for_sign_in_page(page)


def test_a_viewers_browser_cannot_change_anything(browser, accounts_server):
    server, ids = accounts_server
    page = browser.new_context().new_page()
    sign_in(page, server, "vic", f"workshop?wb={ids['demo']}")
    following = page.get_by_role("button", name=re.compile("Next step"))
    following.wait_for(timeout=60_000)
    assert page.get_by_role("button", name=re.compile("^Undo")).count() == 0
    store = Store(server.db_path)
    before = store.history(ids["demo"], limit=1000)
    following.click()
    page.get_by_text("You may not change this workbook").wait_for(timeout=15_000)
    assert store.history(ids["demo"], limit=1000) == before
    assert_no_exception(page)


def test_a_strangers_link_shows_nothing_of_the_workbook(browser, accounts_server):
    server, ids = accounts_server
    page = browser.new_context().new_page()
    sign_in(page, server, "vic", f"?wb={ids['secret']}")
    page.get_by_text("does not exist or is not shared with you").wait_for(timeout=15_000)
    assert "Sam's secret plan" not in page.content()
    assert f"wb={ids['demo']}" in page.url


@pytest.fixture(scope="module")
def proxy_server(tmp_path_factory):
    path = tmp_path_factory.mktemp("proxy") / "workbook.db"
    ids = _database(path)
    # FORWARDED_ALLOW_IPS="": uvicorn must not replace the proxy's address by X-Forwarded-For.
    app = AppServer(path, {"CXW_AUTH": "proxy", "CXW_TRUSTED_PROXIES": "127.0.0.1", "FORWARDED_ALLOW_IPS": ""})
    app.start()
    yield app, ids
    app.stop()


def test_trusted_proxy_header_signs_in(browser, proxy_server):
    server, ids = proxy_server
    # The browser plays the proxy on 127.0.0.1: every request carries the proxy's header.
    page = browser.new_context(extra_http_headers={"X-Forwarded-User": "pat@example.org",
                                                   "X-Forwarded-Preferred-Username": "Pat"}).new_page()
    page.goto(f"{server.url}/?wb={ids['demo']}")
    wait_for_app(page)
    page.get_by_text("Signed in as Pat").wait_for()
    assert "Bean" not in page.content()  # Pat has no grant on Olga's workbook
    assert page.get_by_role("button", name="Sign out").count() == 0  # the proxy signs out
    without = browser.new_context().new_page()
    without.goto(f"{server.url}/?wb={ids['demo']}")
    without.get_by_text("You are not signed in").wait_for(timeout=30_000)
    assert "Bean" not in without.content()
    # A built-in account's login in the header is not taken over through another door.
    olga = browser.new_context(extra_http_headers={"X-Forwarded-User": "olga"}).new_page()
    olga.goto(f"{server.url}/?wb={ids['demo']}")
    olga.get_by_text("This account may not sign in here").wait_for(timeout=30_000)


@pytest.fixture(scope="module")
def oidc_server(tmp_path_factory):
    from oidc_provider_mock import run_server_in_thread

    folder = tmp_path_factory.mktemp("oidc")
    path = folder / "workbook.db"
    ids = _database(path)
    with run_server_in_thread(port=free_port()) as provider:
        port = free_port()
        secrets = folder / "secrets.toml"
        secrets.write_text(
            "[auth]\n"
            f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
            'cookie_secret = "a-long-random-cookie-secret-for-tests"\n'
            'client_id = "cx-strategy-workbook"\n'
            'client_secret = "test-secret"\n'
            f'server_metadata_url = "http://127.0.0.1:{provider.server_port}/.well-known/openid-configuration"\n'
        )
        app = AppServer(path, {"CXW_AUTH": "oidc", "STREAMLIT_SECRETS_FILES": str(secrets)})
        app.port = port
        app.start()
        yield app, ids
        app.stop()


def test_single_sign_on_through_a_local_oidc_provider(browser, oidc_server):
    server, ids = oidc_server
    page = browser.new_context().new_page()
    page.goto(f"{server.url}/?wb={ids['demo']}")
    wait_for_sign_in_page(page)
    page.get_by_role("button", name="Sign in with your organisation's account").click()
    page.locator("input[name=sub]").wait_for(timeout=30_000)
    page.locator("input[name=sub]").fill("rita@example.org")
    page.get_by_role("button", name="Authorize").click()
    wait_for_app(page)
    page.get_by_text("Signed in as rita@example.org").wait_for(timeout=30_000)
    # A newcomer sees no one else's workbook: only an empty one of her own.
    assert "Bean" not in page.content() and "Sam's secret plan" not in page.content()
    assert_no_exception(page)
