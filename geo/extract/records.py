"""Report text → draft protest records: the rules that decide what is a protest, where and when.

The report is read in order, section by section (a section starts at each heading). Every
sentence is analysed once (:mod:`geo.extract.sentences`); then each city it names as a place
gets a *role*:

* **protest** when the nearest cue before it in its clause is a protest word ("a rally was
  held in Leeds") or a venue ("outside the Syrian embassy in Paris"; for a venue, the sentence
  or its section must speak of protests), or, with no cue before it, when the first cue after it
  is ("In Hamburg, students held a vigil");
* **context** when that cue is a context word: the strike, the massacre, a visit, a statement
  ("the government in Damascus said"), or when the clause says the protest was called off;
* a heading that names cities without a protest word sets the section's cities (a roundup's
  "Paris"), one with a protest word is itself a protest mention ("Leeds rally").

A sentence that speaks of a protest or a venue without naming a city ("They stood outside
Primark", "The embassy sent nobody out") is placed at the city the paragraph was
talking about, the city of the same mission earlier in the section ("the embassy"), the
section's only city (a heading or a dateline), or the only city the section has reported a
protest in so far, unless it speaks of a country or of several places ("solidarity with the
strikers in Cambodia", "in five cities").

Each protest mention becomes an :class:`Observation` with its venue, date, status, organizer
and evidence; observations of one city, day and status are merged into one record per venue
(a lower-priority venue, such as the square an embassy stands on, joins the main one; a bare
mention without venue or date of its own joins any record of its city).
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, field

from geo.extract.article import (
    Organizers,
    Shift,
    article_countries,
    article_represents,
    find_dateline,
    later_shifts,
    report_title,
    split_sections,
)
from geo.extract.dates import DateCue, describe, resolve
from geo.extract.merging import Observation, Record, merge, same_family
from geo.extract.places import PlaceNames, resolve_city
from geo.extract.roles import attach, best, roles, venue_speaks_of_protest
from geo.extract.sentences import Analysis, analyse
from geo.extract.text import split_blocks
from geo.extract.venues import VenueMention
from geo.places.gazetteer import Place
from geo.places.names import normalize


@dataclass
class _State:
    """What the reader remembers while going through the report."""

    anchor: dt.date | None
    current: dt.date | None = None
    current_note: str = ""
    current_stated: bool = False
    section_cities: list[tuple[Place, str]] = field(default_factory=list)
    section_countries: set[str] = field(default_factory=set)
    section_bearing: bool = False
    block_city: tuple[Place, str] | None = None
    block_index: int = -1
    missions: dict[tuple[str, str], tuple[Place, str]] = field(default_factory=dict)
    """(mission family, represents) → the city where the section last reported it."""
    section_represents: str = ""
    section_protests: dict[int, tuple[Place, str]] = field(default_factory=dict)
    named_at: dict[int, tuple[int, int]] = field(default_factory=dict)
    """Place (geonameid) → the last sentence, heading or dateline that named it (evidence)."""


def read_report(text: str, work: str, names: PlaceNames,
                anchor: dt.date | None) -> tuple[list[Record], str]:
    """The draft records of a report, and its title.

    Parameters
    ----------
    text
        The report as given (for titles).
    work
        Its working text (:func:`geo.extract.text.working_text`).
    names
        Place lookups.
    anchor
        The publication date, or None.

    Returns
    -------
    records : list of Record
        In the order the report first mentions them.
    title : str
        The report's first line when it is a title (see :func:`report_title`), else ``""``.
    """
    blocks = split_blocks(work)
    dateline, blocks = find_dateline(work, blocks, names)
    analyses = [analyse(work, s, b, names) for b in blocks for s in b.sentences]
    if anchor is None and dateline and dateline[2] is not None:
        anchor = dateline[2]
    article = article_countries(analyses, dateline)
    default_rep = article_represents(analyses)
    sections = split_sections(analyses)
    shifts = later_shifts(analyses, work)
    organizers = Organizers(analyses, sections)
    unique = {id(section): section for section in sections}  # each section once
    bearing = {key: any(b.protest for b in section) for key, section in unique.items()}
    fixed = {normalize(dateline[1]): dateline[0]} if dateline else {}
    state = _State(anchor=anchor, current=anchor)
    observations: list[Observation] = []
    for i, a in enumerate(analyses):
        if a.block.index != state.block_index:
            state.block_index, state.block_city = a.block.index, None
        section = sections[i]
        if a.block.kind == "heading":
            _enter_section(state, a, article)
        state.section_bearing = bearing[id(section)]
        if dateline and a.sentence.start == dateline[3] and not state.section_cities:
            state.section_cities = [(dateline[0], dateline[1])]
            line_start = work.rfind("\n", 0, dateline[3]) + 1
            state.named_at[dateline[0].geonameid] = (line_start, dateline[3])
        reader = _Reader(work, names, article, default_rep, shifts[i], organizers, section,
                         fixed)
        observations += _observe(reader, a, state)
        _move_current(a, state)
    return merge(observations), report_title(text, blocks)


@dataclass(frozen=True)
class _Reader:
    """What stays fixed while one sentence is read."""

    work: str
    names: PlaceNames
    article: Counter[str]
    default_rep: str
    shift: Shift | None
    """The first "the previous day" of the sentence's story that reports events."""
    organizers: Organizers
    section: list[Analysis]
    fixed: dict[str, Place]
    """Names whose place the report has settled: its dateline's city ("LONDON, Dec 5 -")."""


def _enter_section(state: _State, a: Analysis, article: Counter[str]) -> None:
    cities = [(resolve_city(m, (), article)[0], m.name) for m in a.cities]
    countries = {c.code for c in a.countries if c.what != "demonym"}
    countries |= {p.country for p, _ in cities}
    for place, _ in cities:
        state.named_at[place.geonameid] = (a.sentence.start, a.sentence.end)
    if cities or countries:
        state.section_cities = cities
        state.section_countries = countries
        state.section_represents = ""
    state.missions = {}
    state.section_protests = {}


def _move_current(a: Analysis, state: _State) -> None:
    """Let a held sentence's date words move the day the text is talking about."""
    if a.future:
        return
    for cue in a.dates:
        if not cue.moves_current:
            continue
        date = resolve(cue, anchor=state.anchor, current=state.current, planned=False)
        if date is not None:
            state.current, state.current_note = date, describe(cue, state.anchor)
            state.current_stated = True


def _observe(r: _Reader, a: Analysis, state: _State) -> list[Observation]:
    """The protest observations of one sentence."""
    found = roles(r.work, a, state.section_bearing or bool(a.protest))
    attached = attach(r.work, a)
    out = []
    whole = found.count("protest") == 1
    for m, role in zip(a.cities, found, strict=True):
        if role != "protest":
            continue
        place, how_sure = r.fixed.get(normalize(m.name), None), "context"
        if place is None:
            place, how_sure = resolve_city(m, state.section_countries, r.article)
        venue = best(attached.get(id(m), []))
        obs = _observation(r, a, state, place, how_sure, _as_written(m.name), venue, m.start)
        obs.participants = a.participants(m.start, whole=whole)
        state.named_at[place.geonameid] = (a.sentence.start, a.sentence.end)
        out.append(obs)
    context = frozenset(m.start for m, role in zip(a.cities, found, strict=True)
                        if role == "context")
    out += _without_city(r, a, state, attached, context)
    if out:  # "in Leeds, York and Hull": no single city for the next sentence
        places = {obs.place.geonameid for obs in out}
        state.block_city = (out[0].place, out[0].name) if len(places) == 1 else None
    for obs in out:
        state.section_protests.setdefault(obs.place.geonameid, (obs.place, obs.name))
        if obs.venue and obs.venue.family == "mission" and obs.represents:
            state.missions[(same_family(obs.venue.kind), obs.represents)] = (obs.place, obs.name)
    return out


def _without_city(r: _Reader, a: Analysis, state: _State, attached: dict[int, list[VenueMention]],
                  context: frozenset[int]) -> list[Observation]:
    """Protests a sentence speaks of without naming a city, placed from what came before.

    That is a venue no city of the sentence claims, in a clause that names no place, or a
    protest word in a sentence that names no place at all. Places in ``context`` (starts of
    the cause's or the government's cities) do not count as named: "a rally at the Senedd,
    alongside nurses from the strike in Swansea" is placed like a sentence without a city.
    """
    taken = {id(v) for vs in attached.values() for v in vs}
    claiming = [m.start for m in a.cities if m.start not in context]
    venues = [v for v in a.venues if id(v) not in taken and not v.plural
              and not a.clause_names_place(v.start, claiming)
              and venue_speaks_of_protest(r.work, a, v)]
    cue_only = (bool(a.protest) and len(context) == len(a.cities)
                and not a.names_several_places())
    if not venues and not cue_only:
        return []
    if not a.protest and not state.section_bearing:
        return []
    venue = best(venues)
    represents = _represents(venue, state, r.default_rep)
    where = None
    if venue and venue.family == "mission":
        where = state.missions.get((same_family(venue.kind), represents))
    where = where or state.block_city
    if where is None and len(state.section_cities) == 1:
        where = state.section_cities[0]
    if where is None and len(state.section_protests) == 1:
        where = next(iter(state.section_protests.values()))
    if where is None:
        return []
    place, name = where
    pos = venue.start if venue else a.protest[0].start
    obs = _observation(r, a, state, place, "context", name, venue, pos)
    obs.participants = a.participants(pos, whole=True)
    named = state.named_at.get(place.geonameid)
    if named is not None:  # the heading or sentence that names the city, for the editor
        obs.spans.append(named)
    return [obs]


def _represents(venue: VenueMention | None, state: _State, default_rep: str) -> str:
    if venue is None:
        return ""
    if venue.family != "mission" or not venue.generic:
        return venue.represents
    return state.section_represents or default_rep


def _observation(r: _Reader, a: Analysis, state: _State, place: Place, how_sure: str,
                 name: str, venue: VenueMention | None, pos: int) -> Observation:
    planned = a.planned(pos)
    if venue and venue.family == "mission" and not venue.generic:
        state.section_represents = venue.represents
    represents = _represents(venue, state, r.default_rep)
    date, note, dated_here, spans = _date(r.work, a, r.shift, state, pos, planned)
    return Observation(
        place=place, how_sure=how_sure, name=name, analysis=a, pos=pos, venue=venue,
        represents=represents, status="planned" if planned else "held", date=date,
        date_note=note, dated_here=dated_here, cue=bool(a.protest),
        organizer=_organizer(r, a, name, pos), spans=spans)


def _date(work: str, a: Analysis, shift: Shift | None, state: _State, pos: int,
          planned: bool) -> tuple[dt.date | None, str, bool, list[tuple[int, int]]]:
    """The date of a mention: its own words, a later "the previous day", or the current day."""
    cue = a.date_for(pos)
    if cue is not None:
        date = resolve(cue, anchor=state.anchor, current=state.current, planned=planned,
                       event_shift=a.event_shift(work, cue))
        if date is not None:
            return date, _note(cue, state.anchor, a.event_shift(work, cue)), True, []
    if shift is not None:  # see geo.extract.article.later_shifts
        b, later = shift
        date = resolve(later, anchor=state.anchor, current=state.current, planned=planned,
                       event_shift=True)
        if date is not None:
            span = (b.sentence.start, b.sentence.end)
            return date, _note(later, state.anchor, True), True, [span]
    if planned:
        return None, "the report gives no day for this planned protest", False, []
    if state.current is None:
        return None, "no date in the report and no --date given; fill in the date", False, []
    if state.current_stated:
        return state.current, state.current_note, False, []
    return state.current, f"not stated; the report date {state.anchor} assumed", False, []


def _note(cue: DateCue, anchor: dt.date | None, event_shift: bool) -> str:
    if event_shift:
        return (f'the day after the events the report describes ("{cue.text}" in a sentence '
                "about them)")
    return describe(cue, anchor)


def _organizer(r: _Reader, a: Analysis, city: str, pos: int) -> str:
    """Who organised it, as said nearest.

    That is in the mention's clause (its sentence, if that names no other city), else in a
    sentence of its paragraph, else of its section, that names no other city.
    """
    key = normalize(city)
    here = a.city_keys <= {key}
    start, end = (a.sentence.start, a.sentence.end) if here else a.clause(pos)
    i = bisect_left(a.organizers, (start, ""))
    if i < len(a.organizers) and a.organizers[i][0] < end:
        return a.organizers[i][1]
    return (r.organizers.first(("block", a.block.index), key, a)
            or r.organizers.first(("section", id(r.section)), key, a))


def _as_written(name: str) -> str:
    return name.title() if name.isupper() else name


