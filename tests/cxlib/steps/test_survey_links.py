"""Public survey links: slugs, answers from devices (once a day), comments, QR codes."""

import io

import pytest
import zxingcpp
from PIL import Image

from cxlib.ingest import exchange
from cxlib.steps import feedback, survey_links
from cxlib.storage import workbooks
from cxlib.storage.store import ValidationError


@pytest.fixture
def survey(store, workbook):
    feedback.save_survey_edits(store, workbook["id"], [], {"added_rows": [
        {"name": "Checkout NPS", "stage": "Purchase", "touchpoint": "Checkout page", "channel": "email",
         "persona": "Maya", "questions": ["open", "csat", "nps"]}]}, "ana")
    return feedback.list_surveys(store, workbook["id"])[0]


def test_every_survey_gets_its_own_unguessable_link_also_in_a_copy(store, workbook, survey):
    assert len(survey["slug"]) == 24
    copy = workbooks.duplicate_workbook(store, workbook["id"], "Copy", "ana")
    copied = feedback.list_surveys(store, copy["id"])[0]
    assert copied["slug"] and copied["slug"] != survey["slug"]
    imported = exchange.import_workbook(store, exchange.read_json(exchange.to_json(
        exchange.export_workbook(store, workbook["id"]))), "ana")
    assert feedback.list_surveys(store, imported["id"])[0]["slug"] not in (survey["slug"], copied["slug"])
    assert survey_links.by_slug(store, survey["slug"])["id"] == survey["id"]
    assert survey_links.by_slug(store, "nope") is None and survey_links.by_slug(store, "") is None


def test_answers_carry_the_survey_context_once_per_device_and_day(store, workbook, survey):
    phone = survey_links.new_device()
    assert survey_links.questions(survey) == ["nps", "csat", "open"]
    assert survey_links.next_question(store, survey, phone) == "nps"
    first = survey_links.answer(store, survey, phone, "nps", "4", customer="C-1")
    assert survey_links.answer(store, survey, phone, "nps", "10") is None  # a double tap counts once
    row = store.get("responses", first)
    assert (row["metric"], row["score"], row["scale"], row["customer"], row["stage"], row["touchpoint"],
            row["channel"], row["persona"], row["updated_by"]) == (
        "nps", 4.0, 10, "C-1", "Purchase", "Checkout page", "email", "Maya", "survey link")
    assert survey_links.next_question(store, survey, phone) == "csat"
    survey_links.answer(store, survey, phone, "csat", 5)
    assert survey_links.next_question(store, survey, phone) == "open"
    survey_links.comment(store, survey, phone, "  Friendly  ")
    assert store.get("responses", first)["comment"] == "Friendly"
    assert survey_links.next_question(store, survey, phone) is None
    # Another phone starts afresh; the detractor is on the follow-up list.
    assert survey_links.next_question(store, survey, survey_links.new_device()) == "nps"
    assert first in [r["response_id"] for r in feedback.follow_ups(store, workbook["id"])]


def test_refusals_closed_surveys_and_scores_off_the_scale(store, workbook, survey):
    phone = survey_links.new_device()
    for question, score in (("nps", 11), ("csat", 0), ("nps", "x"), ("ces", 3)):
        with pytest.raises(ValidationError):
            survey_links.answer(store, survey, phone, question, score)
    closed = survey_links.set_open(store, workbook["id"], survey["id"], False, survey["version"], "ana")
    with pytest.raises(ValidationError) as caught:
        survey_links.answer(store, closed, phone, "nps", 9)
    assert caught.value.details["rule"] == "survey_closed"
    assert feedback.counts(store, workbook["id"])["responses"] == 0


def test_a_skipped_comment_stores_nothing_and_a_comment_needs_a_rating(store, workbook, survey):
    phone = survey_links.new_device()
    survey_links.comment(store, survey, phone, "no rating yet")  # ignored: nothing to attach to
    assert feedback.counts(store, workbook["id"])["responses"] == 0
    rated = survey_links.answer(store, survey, phone, "nps", 9)
    survey_links.answer(store, survey, phone, "csat", 4)
    survey_links.comment(store, survey, phone, "")
    assert store.get("responses", rated)["comment"] is None
    assert survey_links.next_question(store, survey, phone) is None


def test_link_and_qr_code_open_the_survey(survey):
    url = survey_links.link("http://cx.local:8501/", survey, customer="C 7", language="fa")
    assert url == f"http://cx.local:8501/s/{survey['slug']}?lang=fa&c=C+7"
    decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(survey_links.qr_png(url))))
    assert [code.text for code in decoded] == [url]
    svg = survey_links.qr_svg(url)
    assert svg.startswith("<svg") and "href" not in svg  # self-contained: prints without fetching anything
