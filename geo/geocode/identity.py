"""Whether a geocoder result names the venue itself: its name, its company, its country. Pure.

A result's class and type say what *kind* of thing it is (a mission, a shop, a square); these
functions say whether it is *this* one. Names are compared as folded words
(:func:`geo.places.names.normalize`, then anything but letters and digits is a space): one name
must appear, as whole consecutive words, in the other. A result's names are its ``name``, the
first part of its ``display_name`` and, when the server was asked for ``namedetails``, its
``name:xx``, ``alt_name``, ``official_name``, ``short_name``, ``loc_name`` and ``brand`` (never
``addr:*``: the shops inside a department store carry its name as ``addr:housename``).

Examples
--------
>>> name_matches("Senate Square", {"name": "Senaatintori",
...                                "namedetails": {"name:en": "Helsinki Senate Square"}})
True
>>> name_matches("Stockmann", {"name": "OPI Nail Bar",
...                            "namedetails": {"addr:housename": "Stockmann"}})
False
>>> sending_countries({"extratags": {"country": "FR", "target": "FI"}})
frozenset({'FR'})
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from geo.places.names import normalize

NAME_KEYS = ("name", "alt_name", "official_name", "short_name", "loc_name", "int_name", "brand")
"""``namedetails`` keys (and their ``:xx`` language variants) that name the object itself."""

GENERIC_WORDS = frozenset({
    "embassy", "consulate", "general", "honorary", "mission", "office", "of", "the", "and",
    "in", "to", "shop", "store", "square", "park", "market", "a",
})
"""Words that do not identify anything alone: a result called just ``Embassy`` or ``Shop`` is
not taken to be the venue whose name contains that word."""

SENDING_COUNTRY_TAGS = ("country", "diplomatic:sending_country")
"""OpenStreetMap tags (in ``extratags``) naming the country a mission represents (``target`` is
the receiving country)."""

BRAND_TAGS = ("brand", "operator")
"""``extratags`` that name the company a shop belongs to."""

_NOT_WORD = re.compile(r"[\W_]+")


def words(text: str) -> tuple[str, ...]:
    """Fold a name into words: no accents, no case, no punctuation.

    Examples
    --------
    >>> words("Marks & Spencer, Leeds")
    ('marks', 'spencer', 'leeds')
    """
    return tuple(_NOT_WORD.sub(" ", normalize(text)).split())


def contains(outer: tuple[str, ...], inner: tuple[str, ...]) -> bool:
    """Whether ``inner`` occurs in ``outer`` as consecutive whole words (never when empty).

    Examples
    --------
    >>> contains(("telia", "kauppa"), ("telia",)), contains(("teliakauppa",), ("telia",))
    (True, False)
    """
    n = len(inner)
    return n > 0 and any(outer[i:i + n] == inner for i in range(len(outer) - n + 1))


def result_names(result: Mapping[str, Any]) -> Iterator[str]:
    """The names a result goes by (see the module's description), possibly repeated."""
    for value in (result.get("name"), str(result.get("display_name") or "").split(",")[0]):
        if isinstance(value, str) and value.strip():
            yield value
    details = result.get("namedetails")
    if isinstance(details, Mapping):
        for key, value in details.items():
            if str(key).split(":")[0] in NAME_KEYS and isinstance(value, str):
                yield value


def same_name(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Whether either name contains the other; the shorter must hold a non-generic word."""
    shorter = a if len(a) <= len(b) else b
    if not any(w not in GENERIC_WORDS for w in shorter):
        return a == b and bool(a)
    return contains(a, b) or contains(b, a)


def name_matches(name: str, result: Mapping[str, Any]) -> bool:
    """Whether ``name`` and one of the result's names contain one another.

    Parameters
    ----------
    name
        The venue's name as a point of interest (``Embassy of Israel``, ``Stockmann``).
    result
        One geocoder result.

    Examples
    --------
    >>> name_matches("Telia", {"name": "Telia Kauppa"})
    True
    >>> name_matches("Embassy of Israel", {"name": "Embassy"})
    False
    """
    wanted = words(name)
    return bool(wanted) and any(same_name(wanted, words(n)) for n in result_names(result))


def brand_matches(company: str, result: Mapping[str, Any]) -> bool:
    """Whether the result's ``brand`` or ``operator`` tag names ``company`` (as whole words).

    Examples
    --------
    >>> brand_matches("Telia", {"extratags": {"operator": "Telia Finland Oyj"}})
    True
    """
    tags = result.get("extratags")
    wanted = words(company)
    if not wanted or not isinstance(tags, Mapping):
        return False
    return any(isinstance(tags.get(t), str) and contains(words(tags[t]), wanted)
               for t in BRAND_TAGS)


def sending_countries(result: Mapping[str, Any]) -> frozenset[str]:
    """ISO codes a mission's tags say it represents (``country=IL``); empty when untagged."""
    tags = result.get("extratags")
    if not isinstance(tags, Mapping):
        return frozenset()
    return frozenset(code.strip().upper() for t in SENDING_COUNTRY_TAGS
                     if isinstance(tags.get(t), str) for code in tags[t].split(";")
                     if code.strip())


def mentions(result: Mapping[str, Any], country_name: str) -> bool:
    """Whether one of the result's names contains the country's name as whole words.

    Examples
    --------
    >>> mentions({"name": "Embassy of the Republic of Cyprus"}, "Cyprus")
    True
    """
    wanted = words(country_name)
    return bool(wanted) and any(contains(words(n), wanted) for n in result_names(result))
