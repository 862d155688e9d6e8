"""The demo workbook is created once, on first run, and is believable."""

import pytest

from cxlib.demo import build as demo
from cxlib.steps import feedback, journeys, listening
from cxlib.storage import workbooks


def test_demo_created_only_when_database_is_empty(store):
    demo.ensure_demo(store)
    demo.ensure_demo(store)
    found = workbooks.list_workbooks(store)
    assert len(found) == 1
    counts = workbooks.counts(store, found[0]["id"])
    assert counts["personas"] == 3 and counts["journeys"] == 2 and counts["stages"] == 14
    assert counts["vision"] == 1 and counts["team_goals"] >= 2


def test_unknown_language_falls_back_to_english():
    assert demo.content("xx") == demo.content("en")


def _shape(node, parent=None):
    """The structure of demo content with its text left out; dicts keyed by stage name
    (RACI, targets) count as their values only."""
    if isinstance(node, dict):
        if parent in ("raci", "targets"):
            return sorted(repr(_shape(v)) for v in node.values())
        return {k: _shape(v, k) for k, v in node.items()}
    if isinstance(node, list):
        return [_shape(v) for v in node]
    return type(node).__name__


@pytest.mark.parametrize("language", ["fa", "hy", "pl"])
def test_demo_content_is_translated_with_the_same_shape(language):
    english, translated = demo.content("en"), demo.content(language)
    translated = {k: v for k, v in translated.items() if k != "data_labels"}
    assert _shape(translated) == _shape(english)
    assert translated["workbook"]["name"] != english["workbook"]["name"]
    stages = [s["name"] for s in translated["journeys"][0]["stages"]]
    assert "Awareness" not in stages and set(translated["targets"]) == set(stages)


@pytest.mark.parametrize("language", ["fa", "hy", "pl"])
def test_demo_created_in_a_language_has_no_english_labels_in_its_data(store, language):
    made = demo.create_demo(store, language)
    answers = feedback.load_responses(store, made["id"])
    english = demo.content("en")
    # Values the language writes differently (Polish keeps the people's names as they are).
    english_values = {k for k, v in demo.content(language)["data_labels"].items() if k != v}
    english_values |= {"in_app", "post_purchase_form"}
    for column in ("segment", "persona", "stage", "channel"):
        assert not set(answers[column].drop_nulls().unique().to_list()) & english_values, column
    stage_names = {s["name"] for s in journeys.all_stages(store, made["id"])}
    assert not stage_names & {s["name"] for s in english["journeys"][0]["stages"]}
    tagged = listening.load(store, made["id"])["stage"].drop_nulls().unique().to_list()
    assert tagged and set(tagged) <= stage_names


@pytest.mark.parametrize(("language", "currency", "word"), [("pl", "PLN", "dostaw"), ("hy", "AMD", "առաքում"),
                                                            ("fa", "IRR", "ارسال")])
def test_each_language_has_its_own_currency_and_mentions_in_its_language(store, language, currency, word):
    made = demo.create_demo(store, language)
    assert made["currency"] == currency
    texts = listening.load(store, made["id"])["text"].to_list()
    native = [text for text in texts if not text.isascii()]
    assert len(native) > len(texts) / 2 and any(word in text for text in texts)
    today = next(s for s in demo.content(language)["scenarios"] if s["kind"] == "subscription")
    assert today["inputs"]["arpu"] > 28  # amounts written in that currency, not euros relabelled
