"""What a line-by-line read of the fa, hy and pl catalogues against English checks for,
kept as tests: placeholders, signed numbers in Persian, and the CX terms."""

import re

import pytest

from cxlib.l10n import i18n

TRANSLATIONS = ("fa", "hy", "pl")
PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


def _placeholders(message) -> set[str]:
    return {name for text in i18n.forms(message) for name in PLACEHOLDER.findall(text)}


@pytest.mark.parametrize("language", TRANSLATIONS)
def test_every_english_placeholder_exists_in_each_translation(language):
    """Every ``{name}`` of an English message, in every form of its translation (a missing
    one raises nothing: the value just never shows), and no name English does not fill."""
    english, translated = i18n.catalog("en"), i18n.catalog(language)
    missing, extra = {}, {}
    for key, message in english.items():
        if key not in translated:
            continue
        wanted = _placeholders(message)
        for text in i18n.forms(translated[key]):
            have = set(PLACEHOLDER.findall(text))
            if wanted - have:
                missing[key] = sorted(wanted - have)
            if have - wanted:
                extra[key] = sorted(have - wanted)
    assert missing == {}
    assert extra == {}


@pytest.mark.parametrize("language", TRANSLATIONS)
def test_a_count_placeholder_names_a_placeholder_of_the_message(language):
    for key, message in i18n.catalog(language).items():
        if isinstance(message, dict):
            assert "{%s}" % message[i18n.COUNT] in message["other"], key


def test_persian_signed_numbers_are_kept_left_to_right():
    """A sign before a number in Persian text is marked left to right (LRM or an isolate),
    else the sign is drawn on the right of the number: −100 reads as ۱۰۰−."""
    unmarked = {key: text for key, message in i18n.catalog("fa").items() for text in i18n.forms(message)
                if re.search(r"(?<![\u200e\u2066\w])[-+−](?=[0-9۰-۹])", text)}
    assert unmarked == {}


# One word for each CX term in each language, as the glossary of the catalogues.
TERMS = {
    "fa": {"persona": "پرسونا", "touchpoint": "نقطهٔ تماس", "journey": "سفر مشتری", "workbook": "کتاب کار"},
    "hy": {"persona": "պերսոնա", "touchpoint": "շփման կետ", "journey": "ճանապարհ"},
    "pl": {"persona": "persona", "touchpoint": "punkt styku", "journey": "ścieżk", "pain point": "bolącz"},
}
# Words the glossary replaced (the review and this one): they must not come back.
RETIRED = {
    "fa": ["کارپوشه", "سلف‌سرویس", "اگر چه می‌شد", "نقطه‌های شما", "نقطه‌هایتان"],  # dots are votes: رأی
    "hy": ["աշխատագրք", "Ճանապարհորդության",  # workbook Գրքույկ, journey ճանապարհ
           "միաժամանակ", "Կենդանի արդյունք", "բաց հետադարձ կապեր"],  # "at the same time", "alive result"
    "pl": ["punkt bólu", "punkty bólu", "top-2-box", "Customer success", "zająłbyś", "edytowałeś",
           "wolumen × ból", "najwyższych polach"],
}


BELOW = {"en": ["below", "under"], "fa": ["کمتر", "پایین"], "hy": ["ցածր", "պակաս"], "pl": ["poniżej", "mniej"]}


@pytest.mark.parametrize("language", ["en", *TRANSLATIONS])
def test_short_of_target_is_not_below_target(language):
    """The report's verdict for a KPI short of its target must not say "below": churn of
    10.5% against a 3% target is short of it while above it."""
    verdict = i18n.t("report.off_target", language)
    assert [word for word in BELOW[language] if word in verdict] == []


@pytest.mark.parametrize("language", TRANSLATIONS)
def test_retired_terms_do_not_come_back(language):
    found = {key: word for key, message in i18n.catalog(language).items() for text in i18n.forms(message)
             for word in RETIRED[language] if word in text}
    assert found == {}


@pytest.mark.parametrize("language", TRANSLATIONS)
def test_cx_terms_are_used_in_each_language(language):
    texts = " ".join(text.lower() for message in i18n.catalog(language).values() for text in i18n.forms(message))
    assert [term for term, word in TERMS[language].items() if word.lower() not in texts] == []


@pytest.mark.parametrize("language", TRANSLATIONS)
def test_metric_acronyms_stay_as_written(language):
    """NPS, CSAT and CES are written as acronyms in every language (with the name spelled
    out where English spells it out), never translated into letters of their own."""
    english = i18n.catalog("en")
    translated = i18n.catalog(language)
    for acronym in ("NPS", "CSAT", "CES"):
        keys = [k for k, m in english.items() if any(acronym in text for text in i18n.forms(m))]
        lost = [k for k in keys if not any(acronym in text for text in i18n.forms(translated[k]))]
        assert lost == [], acronym


def test_persian_formulas_with_latin_names_read_left_to_right():
    """A formula that starts with a Latin name (``NPS = 100 × (…) ÷ n``) sits in a
    left-to-right isolate in Persian, as formulas are written; outside one, the
    right-to-left paragraph scrambles its order. Formulas in Persian words only
    (``اولویت = حجم × درد …``) read right to left and are left alone."""
    loose = []
    for key, message in i18n.catalog("fa").items():
        for text in i18n.forms(message):
            for found in re.finditer(r"[A-Z]{2,5} =", text):
                before = text[: found.start()]
                if before.count("\u2066") <= before.count("\u2069"):
                    loose.append(key)
    assert loose == []
