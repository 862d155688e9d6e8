"""The per-address limit on the running server: a survey page says so in the page's
language (429, ``Retry-After``); the webhook answers JSON; nothing refused is stored."""

import json

import pytest
from browserkit import AppServer
from httpkit import Client

from cxlib.l10n.i18n import t
from cxlib.steps import feedback, webhooks
from cxlib.storage import workbooks
from cxlib.storage.store import Store


@pytest.fixture(scope="module")
def limited(tmp_path_factory):
    # Three survey requests and four deliveries a minute from one address (the test's: 127.0.0.1).
    app = AppServer(tmp_path_factory.mktemp("limits") / "workbook.db",
                    env={"CXW_RATE_SURVEY": "3/60", "CXW_RATE_WEBHOOK": "4/60"})
    app.start()
    yield app
    app.stop()


def test_the_survey_page_refuses_in_the_respondents_language_once_the_address_is_over(limited):
    store = Store(limited.db_path)
    workbook = workbooks.create_workbook(store, "Limits shop", "tester", language="pl")
    feedback.save_survey_edits(store, workbook["id"], [], {"added_rows": [
        {"name": "Till", "stage": "Purchase", "touchpoint": "Till", "channel": "in_app", "questions": ["nps"]}]},
        "tester")
    slug = feedback.list_surveys(store, workbook["id"])[0]["slug"]
    phone = Client(limited.url)
    first = phone.request("GET", f"/s/{slug}?lang=en")
    assert first.status == 200 and t("survey.ask.nps", "en") in first.text
    assert phone.request("POST", f"/s/{slug}", b"q=nps&score=9&lang=en", follow=False).status == 303
    assert phone.request("GET", f"/s/{slug}?lang=en").status == 200
    refused = phone.request("POST", f"/s/{slug}", b"q=nps&score=1&lang=fa", follow=False)
    assert refused.status == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 20
    # A refused POST's form is never read: the page speaks the address's ?lang= or the browser's language.
    assert "lang='en'" in refused.text and t("survey.rate_limited", "en") in refused.text
    for language in ("fa", "hy", "pl"):
        page = phone.request("GET", f"/s/{slug}?lang={language}")
        assert page.status == 429 and t("survey.rate_limited", language) in page.text
    polish = Client(limited.url).request("GET", f"/s/{slug}", headers={"Accept-Language": "pl-PL,pl;q=0.9"})
    assert polish.status == 429 and "lang='pl'" in polish.text  # a new device on the same address: still over
    assert "Traceback" not in polish.text
    answers = store.rows("select score from responses where workbook_id = ?", (workbook["id"],))
    assert [a["score"] for a in answers] == [9.0]  # the refused tap was not stored


def test_the_webhook_answers_json_once_the_address_is_over(limited):
    store = Store(limited.db_path)
    workbook = workbooks.create_workbook(store, "Limits hook", "tester")
    _, token = webhooks.create_token(store, workbook["id"], "tests", "tester")
    client = Client(limited.url)
    answer = {"score": 8, "metric": "nps"}
    statuses = [client.post_json("/api/answers/generic", answer, token, key=f"k-{n}").status for n in range(4)]
    assert statuses == [201, 201, 201, 201]
    refused = client.post_json("/api/answers/generic", answer, token, key="k-4")
    assert refused.status == 429
    assert refused.headers["Content-Type"].startswith("application/json")
    body = refused.json()
    assert body["error"] == "rate_limited" and "CXW_RATE_WEBHOOK" in body["message"] and body["field"] is None
    assert 1 <= int(refused.headers["Retry-After"]) <= 15
    wrong_token = client.post_json("/api/answers/generic", answer, "cxw_guess", key="k-5")
    assert wrong_token.status == 429  # guessing tokens is limited too: refused before the token is looked up
    keys = {r["key"] for r in store.rows("select key from webhook_deliveries where workbook_id = ?", (workbook["id"],))}
    assert keys == {"k-0", "k-1", "k-2", "k-3"}
    json.dumps(body)
