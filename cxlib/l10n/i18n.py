"""Translations: every user-visible string is looked up here by key.

English (``locales/en.json``) is the source and is complete; other languages are added as
``locales/<code>.json`` with the same keys. A key missing from a language falls back to
English, and a key missing from English is a bug (``KeyError``), caught by the tests.

A message whose words change with a count is written once per CLDR plural category of
the language, with ``_count`` naming the placeholder that decides::

    "feedback.importing": {"_count": "rows", "one": "Zapisywanie {rows} wiersza…", "few": …,
                           "many": …, "other": …}

``t()`` picks the form by the language's rule (Babel's ``Locale.plural_form``), so Polish
says "3 kropki" and "5 kropek". A language whose words do not change keeps a plain string.
This is the only plural mechanism: there are no ``key.one``/``key.other`` keys.

A count shown with decimals is passed as a :class:`~decimal.Decimal` carrying the decimals
shown (``Decimal("1.0")``): the form follows the written number (English "1.0 points",
Polish "2,5 punktu") and the placeholder is written with exactly those decimals.
"""

from __future__ import annotations

import json
import os
import re
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from cxlib.l10n.formats import Formatter

LOCALES_DIR = Path(__file__).resolve().parent / "locales"
SOURCE_LANGUAGE = "en"
RIGHT_TO_LEFT = {"fa", "ar", "he"}
COUNT = "_count"
Message = str | dict[str, str]


@cache
def catalog(language: str) -> dict[str, Message]:
    """All messages of one language (empty if the language has no file)."""
    path = LOCALES_DIR / f"{language}.json"
    if not path.exists():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))


@cache
def languages() -> dict[str, str]:
    """Language codes with a catalogue, mapped to their own name (``_language_name``);
    read once per process, as the catalogues are."""
    found = {}
    for path in sorted(LOCALES_DIR.glob("*.json")):
        found[path.stem] = catalog(path.stem).get("_language_name", path.stem)
    return found


def t(key: str, language: str = SOURCE_LANGUAGE, /, **values: Any) -> str:
    """The message ``key`` in ``language``, with ``{placeholders}`` filled from ``values``.

    Numbers among ``values`` are written the language's way (digits, separators).
    """
    message = catalog(language).get(key)
    if message is None:
        language_of_text, message = SOURCE_LANGUAGE, catalog(SOURCE_LANGUAGE)[key]
    else:
        language_of_text = language
    text = plural(message, language_of_text, values)
    if language_of_text == "hy":
        text, values = _armenian_articles(text, values)
    if not values:
        return text
    return text.format(**{name: _localised(value, language) for name, value in values.items()})


def plural(message: Message, language: str, values: dict[str, Any]) -> str:
    """The form of ``message`` that the count in ``values`` calls for (CLDR rules);
    a plain string as it is."""
    if isinstance(message, str):
        return message
    count = values[message.get(COUNT, "n")]
    numeric = isinstance(count, (int, float, Decimal)) and not isinstance(count, bool)
    category = _formatter(language).locale.plural_form(abs(count)) if numeric else "other"
    return message.get(category) or message["other"]


def forms(message: Message) -> list[str]:
    """Every text of a message (one, or one per plural category)."""
    if isinstance(message, str):
        return [message]
    return [text for category, text in message.items() if category != COUNT]


_ARMENIAN_ARTICLE = re.compile(r"\{([a-z_]+)\}-[ըն](?![\w])")
_ARMENIAN_VOWEL_END = re.compile(r"([աեէըիոօ]|ու)$")


def _armenian_articles(text: str, values: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """Armenian's definite article after a name: ``-ն`` after a vowel, ``-ը`` after a
    consonant, joined straight to an Armenian word (``Աննան``, ``Արամը``) and with a
    hyphen to a Latin one (``Anna-ն``). Numbers and other scripts keep the catalogue's."""
    def article(match: re.Match) -> str:
        name = match.group(1)
        value = values.get(name)
        if not isinstance(value, str) or not value.strip():
            return match.group(0)
        word = value.strip().lower()
        if re.search(r"[\u0561-\u0587]$", word):
            return "{%s}%s" % (name, "ն" if _ARMENIAN_VOWEL_END.search(word) else "ը")
        if re.search(r"[a-z]$", word):
            return "{%s}-%s" % (name, "ն" if word[-1] in "aeiouy" else "ը")
        return match.group(0)

    return _ARMENIAN_ARTICLE.sub(article, text), values
def _localised(value: Any, language: str) -> Any:
    if isinstance(value, Decimal) and value.is_finite():
        return _formatter(language).number(float(value), max(0, -value.as_tuple().exponent))
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return value
    return _formatter(language).shortest(value)


@cache
def _formatter(language: str):
    """One number formatter per language (messages are formatted on every rerun)."""
    return Formatter(language)


def default_language() -> str:
    """The language of a first visit and of the first-run demo: ``CXW_LANG`` (e.g. ``fa``)
    when it names a catalogue, else English."""
    wanted = os.environ.get("CXW_LANG", SOURCE_LANGUAGE)
    return wanted if wanted in languages() else SOURCE_LANGUAGE


def has(key: str) -> bool:
    """The key exists in the English catalogue (the source)."""
    return key in catalog(SOURCE_LANGUAGE)


def direction(language: str) -> str:
    """``rtl`` for right-to-left scripts, else ``ltr``."""
    return "rtl" if language in RIGHT_TO_LEFT else "ltr"


class Translator:
    """``t`` bound to one language, handy in pages: ``_ = Translator("en"); _("home.title")``."""

    def __init__(self, language: str = SOURCE_LANGUAGE):
        self.language = language if language in languages() else SOURCE_LANGUAGE

    def __call__(self, key: str, /, **values: Any) -> str:
        return t(key, self.language, **values)

    @property
    def direction(self) -> str:
        return direction(self.language)
