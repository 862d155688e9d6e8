"""Every string the app shows is an i18n key that exists in English."""

import re
from pathlib import Path

import pytest

from cxlib.l10n import i18n

ROOT = Path(__file__).resolve().parents[3]
SOURCES = [ROOT / "app.py", *sorted((ROOT / "ui").glob("*.py")), *sorted((ROOT / "pages").glob("*.py"))]
LITERAL_KEY = re.compile(r"""\bt\(\s*["']([a-z_]+(?:\.[a-z0-9_\-]+)+)["']""")


def test_every_literal_key_used_in_the_ui_exists():
    missing = {
        f"{path.name}: {key}"
        for path in SOURCES
        for key in LITERAL_KEY.findall(path.read_text(encoding="utf-8"))
        if not i18n.has(key)
    }
    assert not missing, sorted(missing)


def test_computed_keys_exist():
    from cxlib.steps import journeys, personas, progress, vision

    keys = [f"step.{k}.{part}" for k in progress.STEP_KEYS for part in ("title", "summary", "rule", "why")]
    keys += [f"error.rule.{r}" for r in ("range", "order")]
    keys += [f"channel.{c}" for c in journeys.CHANNELS] + [f"team.{t}" for t in vision.TEAMS]
    keys += [f"field.{f}" for f in personas.FIELDS + journeys.LANES + vision.GOAL_COLUMNS]
    keys += [f"stage.default.{s}" for s in journeys.DEFAULT_STAGES]
    keys += [f"emotion.{v}" for v in range(-2, 3)] + [f"journeys.kind.{k}" for k in journeys.KINDS]
    keys += [f"history.action.{a}" for a in ("insert", "update", "delete", "undo_insert", "undo_update", "undo_delete")]
    from cxlib.storage import schema

    keys += [f"history.table.{t}" for t in ("workbooks", *schema.WORKBOOK_TABLES)]
    keys += [f"error.rule.{r}" for r in ("required", "unique", "choice", "number", "min0", "emotion", "invalid")]
    keys += [f"whatif.{k}" for k in ("arpu", "margin", "customers", "cac", "aov", "frequency", "lifespan",
                                      "visitors", "conversion", "marketing_spend", "monthly_churn")]
    keys += ["step.whatif.why"]
    assert [k for k in keys if not i18n.has(k)] == []


def test_placeholders_and_fallback():
    assert i18n.t("step.number", "en", n=3) == "Step 3"
    assert i18n.t("step.number", "xx", n=3) == "Step 3"
    with pytest.raises(KeyError):
        i18n.t("no.such.key")
    assert i18n.direction("fa") == "rtl" and i18n.direction("pl") == "ltr"
    assert i18n.languages()["en"] == "English"


def test_pages_do_not_hard_code_visible_text():
    pattern = re.compile(r"""st\.(title|header|subheader|button|text_input|text_area|selectbox|markdown|caption|info|warning|error|success)\(\s*["'][A-Z][a-z]+ [a-z]""")
    offenders = [p.name for p in SOURCES if pattern.search(p.read_text(encoding="utf-8"))]
    assert offenders == []


PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
LANGUAGES = {"en": "English", "fa": "فارسی", "hy": "Հայերեն", "pl": "Polski"}


def test_the_four_languages_are_offered_by_their_own_names():
    assert i18n.languages() == LANGUAGES


@pytest.mark.parametrize("language", [code for code in LANGUAGES if code != "en"])
def test_every_key_exists_in_every_language_and_no_stale_ones(language):
    english, translated = i18n.catalog("en"), i18n.catalog(language)
    assert sorted(set(english) - set(translated)) == [], "missing"
    assert sorted(set(translated) - set(english)) == [], "stale"
    wrong = [k for k in english if placeholders(english[k]) != placeholders(translated[k])]
    assert wrong == [], "placeholders differ"
    untranslated = [k for k in english if translated[k] == english[k] and re.search(r"[a-z]{4}", str(english[k]))
                    and k not in ALLOWED_SAME]
    assert untranslated == [], "same as English"


def placeholders(message) -> set[str]:
    """The placeholders of a message; every plural form must use the same ones."""
    found = [frozenset(PLACEHOLDER.findall(text)) for text in i18n.forms(message)]
    assert len(set(found)) == 1, message
    return set(found[0])


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_plural_messages_have_every_form_the_language_needs(language):
    from babel import Locale

    needed = set(Locale.parse(language).plural_form.tags) | {"other"}
    for key, message in i18n.catalog(language).items():
        if isinstance(message, dict):
            assert set(message) - {i18n.COUNT} == needed, key
            assert "{%s}" % message[i18n.COUNT] in message["other"], key


@pytest.mark.parametrize(
    ("language", "key", "count", "expected"),
    [
        ("pl", "vote.intro", 1, "Masz 1 kropkę."),
        ("pl", "vote.intro", 3, "Masz 3 kropki."),
        ("pl", "vote.intro", 5, "Masz 5 kropek."),
        ("pl", "vote.intro", 22, "Masz 22 kropki."),
        ("pl", "vote.intro", 12, "Masz 12 kropek."),
        ("en", "vote.intro", 1, "You have 1 dot."),
        ("en", "vote.intro", 4, "You have 4 dots."),
    ],
)
def test_counts_pick_the_plural_form_by_the_languages_rule(language, key, count, expected):
    assert i18n.t(key, language, dots=count).startswith(expected)


def test_polish_rows_and_people_agree_with_their_number():
    rows = [i18n.t("feedback.imported", "pl", rows=n, name="a.csv").split(" z ")[0] for n in (1, 2, 5, 1500)]
    assert rows == ["Zaimportowano 1 wiersz", "Zaimportowano 2 wiersze", "Zaimportowano 5 wierszy",
                    "Zaimportowano 1500 wierszy"]
    assert i18n.t("workshop.voters", "pl", n=3) == "Zagłosowały 3 osoby"


def test_armenian_article_follows_the_last_sound_of_the_name():
    assert i18n.t("journeys.none", "hy", persona="Աննա").startswith("Աննան ")
    assert i18n.t("journeys.none", "hy", persona="Արամ").startswith("Արամը ")
    assert i18n.t("journeys.none", "hy", persona="Anna").startswith("Anna-ն ")
    assert i18n.t("journeys.none", "hy", persona="Mark").startswith("Mark-ը ")


PLURAL_CATEGORIES = {"zero", "one", "two", "few", "many", "other"}
# What CLDR requires of each catalogue's plural objects (Babel's rules, "other" implied).
CLDR_CATEGORIES = {"en": {"one", "other"}, "fa": {"one", "other"}, "hy": {"one", "other"},
                   "pl": {"one", "few", "many", "other"}}


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_no_catalogue_keeps_plural_forms_as_separate_keys(language):
    """One plural mechanism: a plural object per message, never ``key.one``/``key.other``
    keys. ``automation.kind.other`` is a kind called "other", not a form: it has no
    sibling form."""
    keys = set(i18n.catalog(language))
    old_shape = sorted(
        key for key in keys
        if key.rpartition(".")[2] in PLURAL_CATEGORIES
        and any(f"{key.rpartition('.')[0]}.{form}" in keys for form in PLURAL_CATEGORIES - {key.rpartition(".")[2]})
    )
    assert old_shape == []
    assert [key for key in keys if key.rpartition(".")[2] in PLURAL_CATEGORIES - {"other"}] == []


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_every_plural_object_has_the_categories_cldr_requires(language):
    from babel import Locale

    assert set(Locale.parse(language).plural_form.tags) | {"other"} == CLDR_CATEGORIES[language]
    plural_objects = {k: m for k, m in i18n.catalog(language).items() if isinstance(m, dict)}
    wrong = {k: sorted(set(m) - {i18n.COUNT}) for k, m in plural_objects.items()
             if set(m) - {i18n.COUNT} != CLDR_CATEGORIES[language]}
    assert wrong == {}
    english = {k for k, m in i18n.catalog("en").items() if isinstance(m, dict)}
    assert "metrics.gap_points" in english
    # A translation may write a counted message as one plain string when its words do not
    # change with the number (Persian and Armenian nouns stay singular after a numeral;
    # Polish "Wierszy: {rows}"), but never counts a message English does not.
    assert sorted(set(plural_objects) - english) == []
    assert "metrics.gap_points" in plural_objects or language in ("fa", "hy")


@pytest.mark.parametrize(
    ("language", "value", "expected"),
    [("en", "1", "1 point"), ("en", "1.0", "1.0 points"), ("en", "7.5", "7.5 points"),
     ("pl", "1", "1 punkt"), ("pl", "2", "2 punkty"), ("pl", "5", "5 punktów"), ("pl", "2.5", "2,5 punktu"),
     ("pl", "22", "22 punkty"), ("fa", "7.5", "۷٫۵ واحد"), ("hy", "1.0", "1,0 միավոր")],
)
def test_a_count_with_decimals_picks_its_form_by_the_number_as_written(language, value, expected):
    from decimal import Decimal

    assert i18n.t("metrics.gap_points", language, value=Decimal(value)) == expected


# Names and acronyms that every language writes the English way.
ALLOWED_SAME = {"report.markdown", "report.pdf", "whatif.col.clv", "whatif.col.ltv", "metrics.name.nps",
                "metrics.name.ces", "feedback.question.csat", "feedback.question.ces", "whatif.bad_file",
                "team.marketing", "factor.omnichannel", "channel.marketplace", "team.success",
                "metrics.name.csat", "automation.kind.chatbot", "field.segment", "feedback.role.segment", "ingest.role.segment", "ingest.role.persona",
                "personas.pick", "journeys.persona", "feedback.role.persona", "field.persona", "field.kpi",
                "history.table.personas", "history.table.imports", "feedback.status", "whatif.fit.model",
                "feedback.channel.sms", "field.position", "metrics.n", "metrics.n_label", "metrics.unit.minutes",
                "metrics.unit.hours", "whatif.ltv_to_cac", "whatif.col.ltv_to_cac", "field.status",
                "webhook.preset.typeform", "webhook.preset.tally", "feedback.tab.webhook", "webhook.role.segment",
                "webhook.role.persona"}


def test_right_to_left_only_for_persian():
    assert [code for code in LANGUAGES if i18n.direction(code) == "rtl"] == ["fa"]


def test_default_language_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("CXW_LANG", "fa")
    assert i18n.default_language() == "fa"
    monkeypatch.setenv("CXW_LANG", "xx")
    assert i18n.default_language() == "en"


def test_streamlits_own_words_have_a_translation_in_every_language():
    from ui import style

    for language in LANGUAGES:
        for english, key in style.STREAMLIT_WORDS.items():
            said = i18n.t(f"streamlit.{key}", language)
            assert said and (language == "en") == (said == english), (language, key)
