"""Observations of protests and the records they are merged into (one per city, day and venue).

:class:`Observation` is one mention of a protest; :func:`merge` groups observations of one city,
day and status into :class:`Record`s, one per main venue.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from geo.extract.sentences import Analysis
from geo.extract.venues import VenueMention, mission_name
from geo.places.gazetteer import Place


@dataclass
class Observation:
    """One protest mention, before merging.

    Attributes
    ----------
    place
        The gazetteer place.
    how_sure
        How the country was decided (see :func:`geo.extract.places.resolve_city`).
    name
        The city as written.
    analysis
        The sentence it was found in.
    pos
        Offset of the city (or, for a sentence without one, of the venue or protest word).
    venue
        The venue, or None.
    represents
        What the venue represents (for "the embassy", taken from the article).
    status
        ``held`` or ``planned``.
    date
        The protest's date, or None.
    date_note
        How the date was established, when the report does not state it outright.
    dated_here
        The date comes from this mention's own sentence or story, not from earlier text.
    cue
        The sentence uses a protest word.
    organizer, participants
        As found near the mention.
    spans
        Extra evidence (e.g. the sentence that dates it).
    """

    place: Place
    how_sure: str
    name: str
    analysis: Analysis
    pos: int
    venue: VenueMention | None
    represents: str
    status: str
    date: dt.date | None
    date_note: str
    dated_here: bool
    cue: bool
    organizer: str = ""
    participants: str = ""
    spans: list[tuple[int, int]] = field(default_factory=list)

    @property
    def weak(self) -> bool:
        """No venue and no date of its own: it adds evidence to a record of its city."""
        return self.venue is None and not self.dated_here


@dataclass
class Record:
    """One draft record: observations of one protest merged.

    Attributes
    ----------
    observations
        In text order; the first decides the city as written.
    """

    observations: list[Observation]

    @property
    def first(self) -> Observation:
        """The observation that dates and names the record.

        That is the first with a venue or a date of its own (a bare heading mention only adds
        evidence).
        """
        return next((o for o in self.observations if not o.weak), self.observations[0])

    def venue(self) -> VenueMention | None:
        """The highest-priority venue; among missions an honorary consulate is the most exact."""
        venues = [o.venue for o in self.observations if o.venue]
        if not venues:
            return None
        top = max(v.priority for v in venues)
        best = [v for v in venues if v.priority == top]
        honorary = [v for v in best if v.kind == "honorary_consulate"]
        named = [v for v in best if not v.generic]
        return (honorary or named or best)[0]

    def represents(self) -> str:
        """What the record's venue represents."""
        venue = self.venue()
        if venue is None:
            return ""
        return next((o.represents for o in self.observations if o.venue is venue),
                    venue.represents)


def merge(observations: list[Observation]) -> list[Record]:
    """Merge observations into records: one per city, day, status and main venue.

    Strong observations (with a venue or a date of their own) are grouped by place, date and
    status; within a group, venues of the top priority that differ (an embassy and a shop) make
    separate records and the others join the first. Weak observations then join the first
    record of their city with the same status, else of any status, else form their own.
    """
    records: list[Record] = []
    groups: dict[tuple[int, dt.date | None, str], list[Record]] = {}
    tops: dict[int, tuple[VenueMention, str]] = {}  # id(record) → its venue and represents
    for obs in (o for o in observations if not o.weak):
        key = (obs.place.geonameid, obs.date, obs.status)
        bucket = groups.setdefault(key, [])
        target = _matching(bucket, obs, tops)
        if target is None:
            target = Record([])
            bucket.append(target)
            records.append(target)
        target.observations.append(obs)
        top = tops.get(id(target))
        if obs.venue and (top is None or _outranks(obs.venue, top[0])):
            tops[id(target)] = (obs.venue, obs.represents)
    first: dict[tuple[int, str], Record] = {}  # (city, status or "") → its first record
    for r in records:  # a record's first observation, hence its city and status, stay put
        first.setdefault((r.first.place.geonameid, r.first.status), r)
        first.setdefault((r.first.place.geonameid, ""), r)
    for obs in (o for o in observations if o.weak):
        city = obs.place.geonameid
        target = first.get((city, obs.status)) or first.get((city, ""))
        if target is None:
            target = Record([])
            records.append(target)
        target.observations.append(obs)
        first.setdefault((city, target.first.status), target)
        first.setdefault((city, ""), target)
    for r in records:
        r.observations.sort(key=lambda o: o.pos)
    return sorted(records, key=lambda r: r.first.pos)


def _matching(bucket: list[Record], obs: Observation,
              tops: dict[int, tuple[VenueMention, str]]) -> Record | None:
    """The record of the same place, day and status an observation joins, if any.

    ``tops`` holds each record's :meth:`Record.venue` and :meth:`Record.represents`, kept up
    to date as observations join (recomputing them would reread every record each time).
    """
    v = obs.venue
    for r in bucket:
        top, represents = tops.get(id(r), (None, ""))
        if v is None or top is None or v.priority != top.priority:
            return r
        if _same_venue(top, represents, v, obs.represents):
            return r
    return None


def _outranks(v: VenueMention, top: VenueMention) -> bool:
    """Whether a venue that joins a record replaces its venue (see :meth:`Record.venue`)."""
    if v.priority != top.priority:
        return v.priority > top.priority

    def rank(x: VenueMention) -> int:
        return 0 if x.kind == "honorary_consulate" else 1 if not x.generic else 2

    return rank(v) < rank(top)


def _same_venue(top: VenueMention, represents: str, v: VenueMention, v_represents: str) -> bool:
    if top.family != v.family:
        return False
    if v.family == "mission":
        return same_family(top.kind) == same_family(v.kind) and represents == v_represents
    if v.family == "company":
        return top.represents.casefold() == v.represents.casefold()
    return top.name.casefold() == v.name.casefold()


def same_family(kind: str) -> str:
    """Mission kinds that are one venue to a report: an honorary consulate is a consulate."""
    return "consulate" if kind == "honorary_consulate" else kind


def venue_name(record: Record, country_name: str) -> str:
    """The record's venue name for the draft ("Embassy of Kazakhstan, Berlin")."""
    venue = record.venue()
    if venue is None:
        return ""
    base = mission_name(venue.name, country_name) if venue.family == "mission" else venue.name
    return f"{base[:1].upper()}{base[1:]}, {record.first.name}"
