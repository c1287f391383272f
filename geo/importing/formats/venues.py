"""Venues from a record's text, by the extractor's rules, matched against ``venues.csv``.

"Outside the Russian embassy in Vilnius" names an embassy representing RU: the record's city and
country say where it stands. :func:`propose_venue` finds it with
:func:`geo.extract.venues.find_venues` (the highest-priority venue the text names: a mission or a
company's site before a public place; a mission whose country the text does not say, and an
unnamed office, are not proposed). :class:`VenueBook` then links it to an existing venue of the
same kind (a consulate matches an honorary consulate), ``represents``, city and country, or adds
a new one without coordinates for ``protest-map geocode``.

Examples
--------
>>> from geo.places.gazetteer import default_gazetteer
>>> from geo.extract.places import place_names
>>> names = place_names(default_gazetteer())
>>> v = propose_venue("Dozens protested outside the Russian embassy in Vilnius.", names)
>>> v.kind, v.represents, v.name
('embassy', 'RU', 'Embassy of Russia')
"""

from __future__ import annotations

import os
import pickle
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from geo._forked import Forked
from geo.extract.lexicon import PUBLIC_PREFIXES, PUBLIC_SUFFIXES, SHOP_WORDS
from geo.extract.merging import same_family
from geo.extract.places import PlaceNames
from geo.extract.text import working_text
from geo.extract.venues import find_venues, mission_name
from geo.places.gazetteer import Gazetteer
from geo.places.names import normalize
from geo.tables.columns import slugify, unique_slug

from .common import TEXT

VENUE_CUE: Final = (r"(?i)\b(?:" + "|".join(sorted(
    {"embassy", "embassies", "consulate", "consulates", "consul", "high commission",
     "permanent mission", "town hall", "city hall", "parliament", "legislature", "cathedral",
     "ministry", "stock exchange", "station", "square"}
    | {w for w in SHOP_WORDS} | PUBLIC_SUFFIXES | {f"{p} " for p in PUBLIC_PREFIXES}
    | {"platz", "plein", "plads", "torget"}, key=len, reverse=True))
    + r")\b|[A-Za-z]+(?:platz|plein|plads|torget)\b")
"""Words without which a text names no venue the rules know (a cheap filter, run on all rows
at once, before the rules run on the rest one by one)."""

WINDOW: Final = 40
"""Characters around the cue words the rules read (the country or company names stand close
to the venue word; reading less of a long note is faster)."""

_CUE = re.compile(VENUE_CUE)
MISSIONS: Final = ("embassy", "consulate", "honorary_consulate")


@dataclass(frozen=True)
class Proposal:
    """A venue a text names, before it is given a city.

    Parameters
    ----------
    kind, represents, name
        As in ``venues.csv`` (``name`` without the city).
    """

    kind: str
    represents: str
    name: str


def propose_venue(text: str, names: PlaceNames, cue: int | None = None) -> Proposal | None:
    """The venue a record's text names, or None.

    Only the text around the first cue word (:data:`VENUE_CUE`) is read: :data:`WINDOW`
    characters before it and twice that after.

    Parameters
    ----------
    text
        The source's text (notes, claims, location detail).
    names
        Country names and demonyms (for "Russian embassy").
    cue
        Where the first cue word starts, when the caller has found it already.
    """
    if cue is None:
        found = _CUE.search(text) if text else None
        cue = found.start() if found else -1
    if cue < 0:
        return None
    return _propose(text[max(0, cue - WINDOW):cue + 2 * WINDOW], names)


def _propose(window: str, names: PlaceNames) -> Proposal | None:
    work = working_text(window)
    found = [v for v in find_venues(work, 0, len(work), names)
             if v.family != "site" and not (v.family == "mission" and v.generic)]
    if not found:
        return None
    best = max(found, key=lambda v: (v.priority, -v.start))
    if best.family == "mission":
        country = names.gazetteer.country_name(best.represents)
        return Proposal(best.kind, best.represents, mission_name(best.name, country))
    if best.family == "company":
        return Proposal(best.kind, best.represents, best.name)
    return Proposal(best.kind, "", best.name[:1].upper() + best.name[1:])


@dataclass
class VenueBook:
    """The venues of a data folder, and those added during one import.

    Parameters
    ----------
    known
        ``venues.csv`` rows (dicts of strings).
    """

    known: list[dict[str, str]]
    added: list[dict[str, str]] = field(default_factory=list)
    linked: int = 0
    _index: dict[tuple[str, str, str, str], str] = field(default_factory=dict)
    _taken: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        for v in self.known:
            self._index.setdefault(self._key(v["kind"], v["represents"] or v["name"],
                                              v["city"], v["country"]), v["id"])
            self._taken.add(v["id"])

    @staticmethod
    def _key(kind: str, what: str, city: str, country: str) -> tuple[str, str, str, str]:
        return (same_family(kind), normalize(what), normalize(city), country)

    def venue_id(self, proposal: Proposal, city: str, country: str) -> tuple[str, bool]:
        """The id of the proposal's venue in ``city``, and whether it was added just now.

        An existing venue of the same kind family, ``represents`` (or, for a public place,
        name), city and country is linked; otherwise a venue is added.
        """
        what = proposal.represents or f"{proposal.name}, {city}"
        key = self._key(proposal.kind, what, city, country)
        if key not in self._index and not proposal.represents:
            key = self._key(proposal.kind, proposal.name, city, country)
        if key in self._index:
            self.linked += 1
            return self._index[key], False
        vid = unique_slug(_slug(proposal, city), self._taken, "venue")
        self._taken.add(vid)
        self._index[key] = vid
        self.added.append({"id": vid, "name": f"{proposal.name}, {city}", "kind": proposal.kind,
                           "represents": proposal.represents, "address": "", "city": city,
                           "country": country, "lat": "", "lon": "", "precision": "",
                           "source": ""})
        return vid, True


def _slug(p: Proposal, city: str) -> str:
    if p.kind in MISSIONS and p.represents:
        return slugify(f"{p.represents} {p.kind} {city}")
    if p.represents:
        return slugify(f"{p.represents} {city}")
    name = slugify(p.name)
    return name if slugify(city) in name else slugify(f"{p.name} {city}")


PARALLEL_MIN: Final = 2000
"""Texts to read for venues from which half are read in a forked child (two cores)."""




def venue_key(kind: str, what: str, city: str, country: str) -> tuple[str, ...]:
    """What makes two venues one: kind family, what it is (represents or name), city, country."""
    return (same_family(kind), normalize(what), normalize(city), country)


def propose_venues(rows: pd.DataFrame, names: object, gaz: Gazetteer) -> list[Proposal | None]:
    """Each row's venue from its text, where its city is one the gazetteer can place."""
    from .venues import VENUE_CUE, WINDOW

    out: list[Proposal | None] = [None] * len(rows)
    if rows.empty:
        return out
    text = pa.array(rows[TEXT].astype(str).to_numpy(dtype=object), pa.string())
    where = pc.find_substring_regex(text, VENUE_CUE).to_numpy(zero_copy_only=False)
    hits = np.flatnonzero(where >= 0)
    if not len(hits):
        return out
    cities = rows["city"].to_numpy()
    countries = rows["country"].to_numpy()
    gaz.prepare({cities[i] for i in hits})
    texts = text.take(pa.array(hits)).to_pylist()
    windows: dict[str, int] = {}
    keys = []
    for i, t in zip(hits.tolist(), texts, strict=True):
        at = int(where[i])  # a byte offset: in characters for text that is not ASCII
        if not t.isascii():
            at = len(t.encode("utf-8")[:at].decode("utf-8", errors="ignore"))
        window = t[max(0, at - WINDOW):at + 2 * WINDOW]  # the same text, the same venue
        windows.setdefault(window, at - max(0, at - WINDOW))
        keys.append(window)
    found = _propose_many(list(windows.items()), names)  # type: ignore[arg-type]
    for i, window in zip(hits.tolist(), keys, strict=True):
        p = found[window]
        if p is not None and gaz.candidates(cities[i], countries[i] or None):
            out[i] = p
    return out


def _propose_many(windows: list[tuple[str, int]], names: PlaceNames,
                  ) -> dict[str, Proposal | None]:
    """:func:`propose_venue` of each window; a large batch is shared with a forked child."""
    if len(windows) < PARALLEL_MIN or not hasattr(os, "fork"):
        return {w: propose_venue(w, names, at) for w, at in windows}
    half = len(windows) // 2
    with tempfile.TemporaryDirectory(prefix="protest-map-venues-") as tmp:
        result = Path(tmp) / "first-half.pickle"

        def first() -> None:
            found = [propose_venue(w, names, at) for w, at in windows[:half]]
            result.write_bytes(pickle.dumps(found))

        child = Forked(first)
        second = [propose_venue(w, names, at) for w, at in windows[half:]]
        child.wait()
        found = pickle.loads(result.read_bytes())
    return {w: p for (w, _), p in zip(windows, [*found, *second], strict=True)}
