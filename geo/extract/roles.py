"""Roles of the places a sentence names: protest site, context, section; and their venues.

A city is a **protest** site when the nearest cue before it in its clause is a protest word or a
venue (for a venue, the section must speak of protests), or, with no cue before it, when the
first cue after it is; it is **context** when that cue is a context word (a strike, a killing, a
statement). :func:`attach` gives each city the venues that belong to it. Pure.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from geo.extract.lexicon import STATEMENT_AFTER
from geo.extract.places import CityMention
from geo.extract.sentences import Analysis
from geo.extract.venues import VenueMention

_WORD = r"\s+(?!(?:and|or|but|while|where|when|as|then)\b)[^\s,.;:()]+"
_VENUE_IN = re.compile(rf"(?:\s+(?:on|of|off|at)(?:{_WORD}){{1,5}})?"
                       r"\s*,?\s*(?:in|at|near)\s+(?:central\s+|downtown\s+"
                       r"|the\s+city\s+centre\s+of\s+)?")
"""Between a venue and its city: "in", "at", "near", after at most an address or a complement
of five words ("the embassy on Portland Place in London", "the headquarters of its insurer in
Zurich")."""
_SETTING = re.compile(r"\s+(?:at|in|of)\s+(?:the\s+|a\s+|its\s+|their\s+)?")
"""Between a context word and the venue it is the setting of ("strikers at the plant")."""
_THREE_WORDS = re.compile(r"(?:\W*\w+){0,3}")


def roles(work: str, a: Analysis, bearing: bool) -> list[str]:
    """``"protest"``, ``"context"``, ``"section"`` or ``""`` for each city of the sentence."""
    out: list[str] = []
    for m in a.cities:
        if m.how == "list" and out:
            out.append(out[-1])
            continue
        if a.heading:
            left = a.nearest_before(m.start)
            if left and left.what == "context":
                out.append("context")
            else:
                out.append("protest" if a.protest else "section")
            continue
        out.append(_body_role(work, a, m, bearing))
    return out


def _body_role(work: str, a: Analysis, m: CityMention, bearing: bool) -> str:
    if a.cancelled(m.start):
        return "context"
    if m.how == "label":
        return "protest" if a.protest or a.venues else ""
    if m.how == "noun":
        return "protest"
    left = a.nearest_before(m.start)
    if (left is None or left.what != "protest") and STATEMENT_AFTER.match(work, m.end):
        return "context"  # the government addressed: "the ministry in Damascus condemned"
    if left is not None:
        if left.what == "venue" and not (bearing
                                         and _site_of_protest(work, a, left.start, m.start)):
            return ""
        return "context" if left.what == "context" else "protest"
    right = a.first_after(m.end)
    if right is not None:
        return "context" if right.what == "context" else "protest"
    return "protest" if a.protest and not a.context else ""


def _site_of_protest(work: str, a: Analysis, venue_start: int, pos: int) -> bool:
    """Whether a venue before a city is where a protest was, not where people work.

    Not when the venue is the setting of a context word ("strikers at the Volkswagen plant").
    A mission, shop or public place is; a company's plant, depot or office only with a protest
    word or a workers' action in the clause ("pickets outside the DHL depot", "members struck
    at the warehouses"; not "workers at the Porsche factory voted").
    """
    before = a.nearest_before(venue_start)
    if before is not None and before.what == "context" and _SETTING.fullmatch(
            work, before.end, venue_start):
        return False
    venue = next(v for v in a.venues if v.start == venue_start)
    return venue.kind != "other" or venue.family == "mission" or a.action_in_clause(pos)


def attach(work: str, a: Analysis) -> dict[int, list[VenueMention]]:
    """Venues of the sentence, by the city they belong to (``id`` of the city mention).

    A venue belongs to the city right after it ("embassy in Paris", "H&M stores in central
    Leeds, York and Hull": all three), else to the last city before it in its clause
    ("In Hamburg, members ... held a vigil at the Iranian consulate general").
    """
    groups = _list_groups(a.cities)
    starts = [m.start for m in a.cities]
    ends = [m.end for m in a.cities]
    out: dict[int, list[VenueMention]] = {}
    for v in a.venues:
        i = bisect_left(starts, v.end)
        after = a.cities[i] if i < len(a.cities) else None
        targets: list[CityMention] = []
        if after and _VENUE_IN.fullmatch(work, v.end, after.start):
            targets = groups[id(after)]
        else:
            start, _ = a.clause(v.start)
            j = bisect_right(ends, v.start) - 1  # the last city ending before the venue
            if j >= 0 and a.cities[j].start >= start:
                targets = groups[id(a.cities[j])]
        for m in targets:
            out.setdefault(id(m), []).append(v)
    return out


def _list_groups(cities: list[CityMention]) -> dict[int, list[CityMention]]:
    """Each city mention to the list it belongs to ("Paris and Berlin": both)."""
    groups: list[list[CityMention]] = []
    for m in cities:
        if m.how == "list" and groups:
            groups[-1].append(m)
        else:
            groups.append([m])
    return {id(m): g for g in groups for m in g}


def best(venues: list[VenueMention]) -> VenueMention | None:
    """The venue of highest priority (the first of equals), or None."""
    return max(venues, key=lambda v: v.priority, default=None)


def venue_speaks_of_protest(work: str, a: Analysis, v: VenueMention) -> bool:
    """A venue without a city counts unless it is the setting of something else."""
    left = a.nearest_before(v.start)
    if left is not None and left.what == "context":
        return False
    three = _THREE_WORDS.match(work, v.end, a.sentence.end)
    limit = three.end() if three else v.end
    i = bisect_left(a.context, v.end, key=lambda c: c.start)
    return not (i < len(a.context) and a.context[i].start < limit)
