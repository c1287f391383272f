"""Fold place names for matching: no accents, no case, single spaces; and tell Latin script.

:func:`normalize` is the one definition of the fold; :func:`fold_all` computes the same for many
names at once, in a few passes over their joined text rather than a Python loop per name.

Examples
--------
>>> normalize("  Luleå "), normalize("Göteborg"), normalize("Saint-Étienne")
('lulea', 'goteborg', 'saint etienne')
>>> normalize("Harper's Ferry"), normalize("St. Louis"), normalize("Kapaʻa") == normalize("Kapaa")
('harpers ferry', 'st louis', True)
>>> fold_all(["Luleå", " Den  Haag "])
['lulea', 'den haag']
>>> latin_mask(["Wien", "Вена", "Zürich"])
[True, False, True]
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

_SEP: Final = "\x00"
_MARKS: Final = str.maketrans({"-": " ", ".": " ", "'": "", "\u2019": "", "\u02bb": "",
                               "\u02bc": "", "`": ""})
"""Hyphens and full stops become spaces; apostrophes go (Harper's Ferry, Harpers Ferry)."""


def normalize(name: str) -> str:
    """Fold a place name for matching: no accents, case, hyphens, full stops or apostrophes.

    Parameters
    ----------
    name
        A place name as written in a table or a report.

    Returns
    -------
    str
        The folded key, e.g. ``"lulea"`` for ``"Luleå"``.
    """
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.translate(_MARKS).split())


def fold_all(names: list[str]) -> list[str]:
    """:func:`normalize` of each name (the same result), computed over their joined text.

    Case folding and decomposition work character by character, so they are applied to all the
    names joined by NUL; the combining marks present are removed with one regular expression.
    """
    text = _SEP.join(names)
    if text.count(_SEP) != len(names) - 1:  # a name holds a NUL: fold one by one
        return [normalize(n) for n in names]
    if text.isascii():
        text = text.lower()
    else:
        marks = {m for ch in set(text) for m in unicodedata.normalize("NFKD", ch.casefold())
                 if unicodedata.combining(m)}
        text = unicodedata.normalize("NFKD", text.casefold())
        if marks:
            text = re.sub(_char_class(marks), "", text)
    text = " ".join(text.translate(_MARKS).split())
    return text.replace(" " + _SEP, _SEP).replace(_SEP + " ", _SEP).split(_SEP)


def is_latin(text: str) -> bool:
    """Whether every character is ASCII or a Latin-script one (by its Unicode name)."""
    return all(ch.isascii() or "LATIN" in unicodedata.name(ch, "") for ch in text)


def latin_mask(names: list[str]) -> list[bool]:
    """:func:`is_latin` of each name, judging each distinct character once."""
    ascii_only = [name.isascii() for name in names]
    other = {ch for ch in set("".join(n for n, a in zip(names, ascii_only, strict=True) if not a))
             if not is_latin(ch)}
    if not other:
        return [True] * len(names)
    found = re.compile(_char_class(other)).search
    return [a or not found(n) for n, a in zip(names, ascii_only, strict=True)]


def _char_class(chars: set[str]) -> str:
    return "[" + "".join(re.escape(ch) for ch in sorted(chars)) + "]"
