"""Step 9's links, QR codes and webhook tabs, and the presenter's live tile, inside the frame."""


from apptest_helpers import open_page
from pagekit import assert_clean

from cxlib.steps import feedback, survey_links, webhooks


def test_every_planned_survey_has_a_link_and_a_qr_code_that_opens_it(app_store, demo_id):
    at = open_page("feedback", {"wb": str(demo_id)})
    assert_clean(at)
    surveys = feedback.list_surveys(app_store, demo_id)
    links = [c.value for c in at.code if "/s/" in c.value]
    assert sorted(links) == sorted(f"http://localhost:8501/s/{s['slug']}" for s in surveys)
    images = at.get("image")
    assert len(images) == len(surveys)
    # The customer id and the language ride along in the link.
    at.text_input(key=f"cx_link_customer_{surveys[0]['id']}").set_value("C-1042")
    at.selectbox(key=f"cx_link_lang_{surveys[0]['id']}").set_value("hy").run()
    assert f"http://localhost:8501/s/{surveys[0]['slug']}?lang=hy&c=C-1042" in [c.value for c in at.code]


def test_closing_a_survey_from_the_page(app_store, demo_id):
    survey = feedback.list_surveys(app_store, demo_id)[0]
    at = open_page("feedback", {"wb": str(demo_id)})
    at.toggle(key=f"cx_open_{survey['id']}_{survey['version']}").set_value(False).run()
    assert_clean(at)
    assert survey_links.by_slug(app_store, survey["slug"])["is_open"] == 0
    assert any("Closed: the link tells people politely" in c.value for c in at.caption)


def test_token_is_shown_once_then_revoked_from_the_page(app_store, empty_id):
    at = open_page("feedback", {"wb": str(empty_id)})
    form_input = next(w for w in at.text_input if w.label == "Token name (who will use it)")
    form_input.set_value("Typeform")
    next(b for b in at.button if b.label == "Create a token").click().run()
    assert_clean(at)
    shown = [c.value for c in at.code if c.value.startswith("cxw_")]
    assert len(shown) == 1
    assert webhooks.workbook_of(app_store, shown[0]) == empty_id
    at.run()  # the token is not shown again
    assert not [c.value for c in at.code if c.value.startswith("cxw_")]
    token = webhooks.list_tokens(app_store, empty_id)[0]
    at.button(key=f"cx_revoke_{token['id']}").click().run()
    assert_clean(at)
    assert webhooks.list_tokens(app_store, empty_id)[0]["revoked_at"]


def test_source_mapping_is_saved_and_previewed_on_a_sample(app_store, empty_id):
    at = open_page("feedback", {"wb": str(empty_id)})
    at.selectbox(key="cx_preset_None").set_value("typeform").run()
    next(b for b in at.button if b.label == "Save the source").click().run()
    assert_clean(at)
    saved = webhooks.list_sources(app_store, empty_id)
    assert [(s["name"], s["preset"]) for s in saved] == [("typeform", "typeform")]
    at.text_area(key="cx_webhook_sample").set_value('{"score": 7, "metric": "nps", "id": "x"}').run()
    assert "would be refused" in at.error[0].value  # typeform's mapping does not read a flat payload
    at.selectbox(key="cx_source_pick").set_value(None).run()
    at.selectbox(key="cx_preset_None").set_value("generic").run()
    at.text_area(key="cx_webhook_sample").set_value('{"score": 7, "metric": "nps", "id": "x"}').run()
    assert_clean(at)
    assert "would be stored" in at.success[0].value


def test_presenter_live_tile(app_store, demo_id, empty_id):
    at = open_page("workshop", {"wb": str(demo_id)})
    at.toggle(key="cx_live_tile").set_value(True).run()
    assert_clean(at)
    labels = [m.label for m in at.metric]  # step 1's persona cards show figures too
    assert [label for label in labels if label in ("NPS", "CSAT (top-2-box)")] == ["NPS", "CSAT (top-2-box)"]
    assert any(c.value.startswith("Answers so far:") for c in at.caption)
    at = open_page("workshop", {"wb": str(empty_id)})
    at.toggle(key="cx_live_tile").set_value(True).run()
    assert any("No answers yet" in info.value for info in at.info)
