"""The page's languages: one JSON file of interface words per language in ``geo/render/i18n/``.

``en.json`` holds every key the page script asks for. The other languages hold the same keys
and also the words of the vocabulary (kinds of place, precisions: :func:`vocabulary_keys`),
which English takes from :mod:`geo.schema`. A value is a string with ``{name}`` slots, or, for
words that follow a number, one string per plural category of ``Intl.PluralRules``
(``one``, ``few``, ``many``, ``other``). The data's own text is never translated.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from geo.errors import UsageError
from geo.schema import PRECISION_STYLE, PRECISIONS, VENUE_KINDS

LANGUAGES: tuple[str, ...] = ("en", "ru", "kk", "de")
"""Codes (BCP 47) of the interface languages, in the order the switch lists them."""

DEFAULT_LANGUAGE = "en"


def check_language(lang: str) -> str:
    """Return ``lang`` if the page has it, else raise :class:`~geo.errors.UsageError`.

    Examples
    --------
    >>> check_language("kk")
    'kk'
    """
    if lang not in LANGUAGES:
        raise UsageError(f"--lang {lang!r}: the map's languages are {', '.join(LANGUAGES)}")
    return lang


def vocabulary_keys() -> list[str]:
    """Keys of the vocabulary's words, which every language but English must have.

    Examples
    --------
    >>> vocabulary_keys()[:2]
    ['kind.embassy', 'kind.consulate']
    """
    kinds = [f"kind.{k or 'none'}" for k in (*VENUE_KINDS, "")]
    fields = [f for f in PRECISION_STYLE[""]._fields if isinstance(getattr(
        PRECISION_STYLE[""], f), str)]
    precisions = [f"precision.{p or 'none'}.{f}" for p in (*PRECISIONS, "") for f in fields]
    return [*kinds, "context", "swatch", *precisions]


@cache
def translations() -> dict[str, dict[str, Any]]:
    """Every language's words: ``{code: {key: words}}``, read from ``geo/render/i18n``."""
    folder = resources.files("geo.render").joinpath("i18n")
    return {code: json.loads(folder.joinpath(f"{code}.json").read_text("utf-8"))
            for code in LANGUAGES}


def missing_keys() -> dict[str, list[str]]:
    """Keys each language lacks (empty lists when all are complete), and keys it should not have.

    Examples
    --------
    >>> missing_keys()
    {'en': [], 'ru': [], 'kk': [], 'de': []}
    """
    words = translations()
    english = set(words["en"])
    out = {}
    for code, table in words.items():
        wanted = english if code == "en" else english | set(vocabulary_keys())
        out[code] = sorted(wanted ^ set(table))
    return out
