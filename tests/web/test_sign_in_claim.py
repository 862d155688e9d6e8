"""``/sign-in/claim`` on the real server: a one-time code in, an HttpOnly session cookie out."""

from __future__ import annotations

from httpkit import Client

from cxlib.access import accounts, roles, sessions
from cxlib.access.roles import Actor
from cxlib.storage.store import Store

PASSWORD = "correct horse battery"


def _code(server) -> str:
    store = Store(server.db_path, roles.ACCESS)
    try:
        if accounts.find(store, "olga") is None:
            accounts.create_account(store, "olga", "Olga", PASSWORD, Actor.system("setup"))
        return sessions.start(store, accounts.sign_in(store, "olga", PASSWORD))[1]
    finally:
        store.close()


def test_a_code_gives_the_cookie_once(server):
    code = _code(server)
    browser = Client(server.url)
    answer = browser.request("GET", f"/sign-in/claim?code={code}")
    assert answer.status == 200 and answer.headers["Content-Type"] == "image/gif"
    cookie = answer.headers["Set-Cookie"]
    assert cookie.startswith(f"{sessions.COOKIE}=") and "HttpOnly" in cookie and "SameSite=strict" in cookie
    assert answer.headers["Cache-Control"] == "no-store"
    again = Client(server.url).request("GET", f"/sign-in/claim?code={code}")
    assert again.status == 200 and "Set-Cookie" not in again.headers  # spent


def test_made_up_codes_and_other_sites_get_no_cookie(server):
    for path in ("/sign-in/claim", "/sign-in/claim?code=made-up", "/sign-in/claim?code=" + "x" * 5000):
        answer = Client(server.url).request("GET", path)
        assert answer.status == 200 and "Set-Cookie" not in answer.headers
    code = _code(server)
    answer = Client(server.url).request("GET", f"/sign-in/claim?code={code}", headers={"Sec-Fetch-Site": "cross-site"})
    assert answer.status == 403 and "Set-Cookie" not in answer.headers
