"""/s/{slug} on the running server: the phone's survey page in four languages, one tap per
answer, one answer per device per day, closed surveys."""

import re

import pytest
from httpkit import Client

from cxlib.l10n.i18n import t
from cxlib.steps import feedback, survey_links
from cxlib.storage import workbooks
from cxlib.storage.store import Store


@pytest.fixture(scope="module")
def survey(server):
    store = Store(server.db_path)
    workbook = workbooks.create_workbook(store, "Survey shop", "tester", language="pl")
    feedback.save_survey_edits(store, workbook["id"], [], {"added_rows": [
        {"name": "Checkout", "stage": "Purchase", "touchpoint": "Till", "channel": "in_app",
         "questions": ["nps", "open"]}]}, "tester")
    return store, feedback.list_surveys(store, workbook["id"])[0]


def _text(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", html)


@pytest.mark.parametrize("language, direction", [("en", "ltr"), ("fa", "rtl"), ("hy", "ltr"), ("pl", "ltr")])
def test_the_page_speaks_the_respondents_language(server, survey, language, direction):
    _, row = survey
    page = Client(server.url).request("GET", f"/s/{row['slug']}?lang={language}")
    assert page.status == 200
    assert f"lang='{language}' dir='{direction}'" in page.text
    assert t("survey.ask.nps", language) in page.text
    assert t("survey.low.nps", language) in page.text
    assert "<script" not in page.text and "http" not in page.text  # nothing fetched from elsewhere
    if language == "fa":
        assert "۱۰" in page.text  # the score buttons in Persian digits


def test_browser_language_is_used_and_the_workbook_language_is_the_fallback(server, survey):
    _, row = survey
    client = Client(server.url)
    armenian = client.request("GET", f"/s/{row['slug']}", headers={"Accept-Language": "de-DE,hy;q=0.8,en;q=0.5"})
    assert "lang='hy'" in armenian.text
    polish = client.request("GET", f"/s/{row['slug']}", headers={"Accept-Language": "de"})
    assert "lang='pl'" in polish.text


def test_one_tap_stores_an_answer_with_the_surveys_context_once_per_day(server, survey):
    store, row = survey
    phone = Client(server.url)
    first = phone.request("GET", f"/s/{row['slug']}?c=C-5&lang=en")
    assert first.headers.get("Set-Cookie", "").startswith("cxw_device=")
    assert "HttpOnly" in first.headers["Set-Cookie"] and first.headers["Cache-Control"] == "no-store"
    tap = phone.request("POST", f"/s/{row['slug']}", b"q=nps&score=3&lang=en&c=C-5", follow=False)
    assert tap.status == 303
    after = phone.request("GET", tap.headers["Location"].replace(server.url, ""))
    assert t("survey.ask.open", "en") in after.text
    stored = store.rows("select * from responses where workbook_id = ? order by id desc limit 1",
                        (row["workbook_id"],))[0]
    assert (stored["score"], stored["customer"], stored["stage"], stored["touchpoint"], stored["channel"]) == (
        3.0, "C-5", "Purchase", "Till", "in_app")
    # The same phone again, a double tap: still one answer.
    phone.request("POST", f"/s/{row['slug']}", b"q=nps&score=10&lang=en")
    assert store.rows("select count(*) as n from responses where workbook_id = ?", (row["workbook_id"],))[0]["n"] == 1
    done = phone.request("POST", f"/s/{row['slug']}", b"q=open&comment=Queue+too+long&send=1&lang=en")
    assert t("survey.thanks", "en") in done.text
    assert store.get("responses", stored["id"])["comment"] == "Queue too long"
    assert t("survey.already", "en") in phone.request("GET", f"/s/{row['slug']}?lang=en").text


def test_a_post_without_the_device_cookie_stores_nothing(server, survey):
    store, row = survey
    before = store.rows("select count(*) as n from responses")[0]["n"]
    answer = Client(server.url).request("POST", f"/s/{row['slug']}", b"q=nps&score=9", follow=False)
    assert answer.status == 200 and "cxw_device=" in answer.headers.get("Set-Cookie", "")
    assert store.rows("select count(*) as n from responses")[0]["n"] == before


def test_closed_and_unknown_surveys_say_so_politely(server, survey):
    store, row = survey
    current = store.get("surveys", row["id"])
    survey_links.set_open(store, row["workbook_id"], row["id"], False, current["version"], "tester")
    try:
        phone = Client(server.url)
        closed = phone.request("GET", f"/s/{row['slug']}?lang=fa")
        assert closed.status == 200 and t("survey.closed", "fa") in closed.text and "<button" not in closed.text
        before = store.rows("select count(*) as n from responses")[0]["n"]
        phone.request("POST", f"/s/{row['slug']}", b"q=nps&score=9")
        assert store.rows("select count(*) as n from responses")[0]["n"] == before
    finally:
        current = store.get("surveys", row["id"])
        survey_links.set_open(store, row["workbook_id"], row["id"], True, current["version"], "tester")
    unknown = Client(server.url).request("GET", "/s/%3Cscript%3E?lang=hy")
    assert unknown.status == 404 and t("survey.unknown", "hy") in unknown.text and "<script>" not in unknown.text
