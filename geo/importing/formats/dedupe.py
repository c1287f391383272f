"""The same protest reported by two datasets: find it, so that it is kept once.

A new row is a duplicate of a protest already in the data when all of these hold:

1. **another source**: the existing row did not come from the same dataset (a dataset's own
   records are distinct events by its own account); rows typed in by hand count as another
   source;
2. **same day, same country**;
3. **same place**: both points within :data:`MAX_KM` km, or, where either has no point, the
   same city name (folded);
4. **nothing contradicts it**: not two different venues, not crowd sizes more than
   :data:`SIZE_CONTRADICTS` times apart;
5. **something confirms it**: the same venue, or texts that share words
   (:func:`overlap` ≥ :data:`TEXT_MIN`, with at least two shared words).

Two protests on the same day in the same city, at different venues, with different crowds or
about different things, stay two. Pure functions.

Examples
--------
>>> overlap("Rally against the war outside the Russian embassy",
...         "Protesters outside Russian embassy against war in Ukraine")
1.0
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Final

import numpy as np
import pandas as pd

from geo.places.names import normalize

MAX_KM: Final = 25.0
"""Two points this close (km) are one place: datasets place a town at different points."""
TEXT_MIN: Final = 0.3
"""Share of the shorter text's words the two texts must have in common."""
SIZE_CONTRADICTS: Final = 5.0
"""Crowd sizes further apart than this factor are two protests."""

_WORD = re.compile(r"[a-z0-9]{4,}")
_COMMON: Final = frozenset({
    "protest", "protests", "protested", "protesters", "protestors", "demonstration",
    "demonstrators", "demonstrated", "rally", "rallied", "people", "gathered", "held", "with",
    "from", "that", "this", "their", "they", "were", "have", "over", "outside", "front", "near",
    "about", "against", "claims", "recorded", "source", "group", "members", "city", "town",
})


@dataclass(frozen=True)
class Match:
    """An existing protest a new row duplicates.

    Parameters
    ----------
    existing
        Id of the protest in ``protests.csv``.
    why
        How they were matched, for the report.
    """

    existing: str
    why: str


def words(text: str) -> frozenset[str]:
    """Content words of a text (folded, four letters or more, common protest words left out)."""
    return frozenset(_WORD.findall(normalize(text))) - _COMMON


def overlap(a: str, b: str) -> float:
    """Share of the smaller word set that both texts contain (0 when either has none)."""
    wa, wb = words(a), words(b)
    if not wa or not wb:
        return 0.0
    return len(wa & wb) / min(len(wa), len(wb))


def size_of(text: str) -> float | None:
    """The first number in a participants value (``"200–500"`` → 200.0), or None.

    Examples
    --------
    >>> size_of("about 1,200"), size_of("dozens")
    (1200.0, None)
    """
    m = re.search(r"[0-9][0-9,]*", text)
    return float(m.group().replace(",", "")) if m else None


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km (haversine, mean Earth radius).

    Examples
    --------
    >>> round(km(54.687, 25.28, 54.9, 23.9))
    92
    """
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0088 * 2 * math.asin(math.sqrt(min(1.0, a)))


def find_duplicates(new: pd.DataFrame, existing: pd.DataFrame,
                    venue_keys: dict[str, tuple[str, ...]]) -> dict[int, Match]:
    """The new rows that duplicate an existing protest.

    Parameters
    ----------
    new
        Mapped rows (``date``, ``country``, ``city``, ``lat``, ``lon``, ``participants``,
        ``summary``, ``organizer``, ``location``, ``source``), with a ``_venue`` column holding
        each row's proposed venue key (a tuple, or ``()``).
    existing
        ``protests.csv`` rows (strings).
    venue_keys
        Existing venue id → its key (kind family, represents or name, city, country).

    Returns
    -------
    dict
        Position of the new row (0-based) → the :class:`Match`.
    """
    if new.empty or existing.empty:
        return {}
    left = pd.DataFrame({"i": np.arange(len(new)), "date": new["date"].to_numpy(),
                         "country": new["country"].to_numpy()})
    right = pd.DataFrame({"j": np.arange(len(existing)), "date": existing["date"].to_numpy(),
                          "country": existing["country"].to_numpy()})
    pairs = left.merge(right, on=["date", "country"])
    if pairs.empty:
        return {}
    old = existing.reset_index(drop=True)
    fresh = new.reset_index(drop=True)
    best: dict[int, tuple[tuple[float, ...], Match]] = {}
    for i, j in zip(pairs["i"].tolist(), pairs["j"].tolist(), strict=True):
        a, b = fresh.iloc[i], old.iloc[j]
        found = _judge(a, b, venue_keys)
        if found is not None and (i not in best or found[0] > best[i][0]):
            best[i] = found
    return {i: m for i, (_, m) in best.items()}


def _judge(a: pd.Series, b: pd.Series,
           venue_keys: dict[str, tuple[str, ...]]) -> tuple[tuple[float, ...], Match] | None:
    prefix = a.get("source", "").split(":")[0]
    if prefix and str(b.get("source", "")).split(":")[0] == prefix:
        return None
    distance = _distance(a, b)
    if distance is None:
        if normalize(a["city"]) != normalize(b["city"]):
            return None
    elif distance > MAX_KM:
        return None
    mine, theirs = a.get("_venue", ()), venue_keys.get(b.get("venue_id", ""), ())
    same_venue = bool(mine) and mine == theirs
    if mine and theirs and mine != theirs:
        return None
    sa, sb = size_of(a.get("participants", "")), size_of(b.get("participants", ""))
    if sa and sb and max(sa, sb) / min(sa, sb) > SIZE_CONTRADICTS:
        return None
    text_a = " ".join(str(a.get(c, "")) for c in ("summary", "organizer", "location"))
    text_b = " ".join(str(b.get(c, "")) for c in ("summary", "organizer", "location"))
    share = overlap(text_a, text_b)
    shared = len(words(text_a) & words(text_b))
    if not same_venue and not (share >= TEXT_MIN and shared >= 2):
        return None
    where = f"{distance:.1f} km apart" if distance is not None else "same city"
    why = ", ".join(x for x in ("same day", where, "same venue" if same_venue else "",
                                f"{share:.0%} of words shared") if x)
    score = (float(same_venue), share, -(distance or 0.0))
    return score, Match(str(b["id"]), why)


def _distance(a: pd.Series, b: pd.Series) -> float | None:
    try:
        return km(float(a["lat"]), float(a["lon"]), float(b["lat"]), float(b["lon"]))
    except (KeyError, TypeError, ValueError):
        return None
