"""Everything the extractor needs to know about one sentence, found once.

:func:`analyse` collects a sentence's cities, countries, venues, date words, protest words,
context words and future words, and its clause boundaries; the helpers answer the questions
the record builder asks ("which cue is nearest before this city in its clause?"). Pure.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cached_property

from geo.extract.dates import DateCue, find_date_cues
from geo.extract.lexicon import (
    CONTEXT_CUE,
    EVENT_SHIFT,
    FUTURE_CUE,
    ORGANIZER_PATTERNS,
    PARTICIPANTS,
    PAST_PROTEST,
    PROTEST_CUE,
)
from geo.extract.places import CityMention, CountryMention, PlaceNames, find_cities
from geo.extract.text import Block, Sentence
from geo.extract.venues import VenueMention, find_venues
from geo.places.names import normalize

_CLAUSE_BREAK = re.compile(r";|\s[–—-]\s|,\s+(?:and|but|while|whereas|although)\b"
                           r"|\s(?:while|whereas|but)\s")
_CANCELLED = re.compile(r"\b(?:called off|cancell?ed|postponed|banned)\b", re.IGNORECASE)
_PLURAL_PLACES = re.compile(r"\b(?:cities|towns|countries|capitals)\b", re.IGNORECASE)
_ORG_WORD = r"[A-ZÀ-Þ][\w'/&-]*(?:\.[\w'/&-]+){0,3}"
_ORG = (rf"{_ORG_WORD}(?:\s+(?:(?:of|for|and|&|in|de|the|des|du)\s+){{0,2}}{_ORG_WORD}){{0,7}}"
        r"(?:\s+\([^()]{2,60}\))?")
"""An organisation's name: up to eight capitalised words, and a note in brackets."""
_ORGANIZERS = tuple(re.compile(p.replace("{ORG}", _ORG)) for p in ORGANIZER_PATTERNS)
_NOT_ORGANIZERS = frozenset({
    "we", "they", "our", "the", "campaigners", "students", "activists", "protesters",
    "protestors", "demonstrators", "supporters", "members", "people", "police", "workers",
    "teachers", "nurses", "pickets", "marchers", "groups", "many", "some", "in", "on", "at",
})


@dataclass(frozen=True)
class Cue:
    """A word that tells what a sentence is about, located in the text.

    Parameters
    ----------
    start, end
        Offsets.
    what
        ``"protest"``, ``"context"`` or ``"venue"``.
    """

    start: int
    end: int
    what: str


@dataclass
class Analysis:
    """One sentence, read.

    Every pattern is matched once, when the sentence is analysed; the methods only compare
    offsets, so reading a long sentence stays fast.

    Attributes
    ----------
    sentence, block
        Where it is.
    cities, countries, venues, dates
        What it names.
    protest, context, future
        Cue words of each sort.
    breaks
        Offsets where a clause ends.
    past, cancels, plural_places
        Offsets of past-tense protest verbs, of "called off" words, of "cities"-like words.
    counts
        Participant counts, with their offsets.
    organizers
        Organisations named as organising something, with their offsets.
    """

    sentence: Sentence
    block: Block
    cities: list[CityMention]
    countries: list[CountryMention]
    venues: list[VenueMention]
    dates: list[DateCue]
    protest: list[Cue]
    context: list[Cue]
    future: list[Cue]
    breaks: list[int] = field(default_factory=list)
    past: list[int] = field(default_factory=list)
    cancels: list[int] = field(default_factory=list)
    plural_places: list[int] = field(default_factory=list)
    counts: list[tuple[int, str]] = field(default_factory=list)
    organizers: list[tuple[int, str]] = field(default_factory=list)

    @property
    def heading(self) -> bool:
        """Whether the sentence is a heading or a caption."""
        return self.block.kind in ("heading", "caption")

    @cached_property
    def city_keys(self) -> frozenset[str]:
        """The folded names of the cities it names."""
        return frozenset(normalize(m.name) for m in self.cities)

    @cached_property
    def _cues(self) -> list[Cue]:
        venues = [Cue(v.start, v.end, "venue") for v in self.venues]
        return sorted(self.protest + self.context + venues, key=lambda c: c.start)

    def clause(self, pos: int) -> tuple[int, int]:
        """The clause around an offset."""
        i = bisect_right(self.breaks, pos)
        start = self.breaks[i - 1] if i else self.sentence.start
        end = self.breaks[i] if i < len(self.breaks) else self.sentence.end
        return start, end

    def nearest_before(self, pos: int) -> Cue | None:
        """The cue that ends last before ``pos`` in its clause."""
        start, _ = self.clause(pos)
        before = [c for c in self._cues if start <= c.start and c.end <= pos]
        return max(before, key=lambda c: c.end, default=None)

    def first_after(self, pos: int) -> Cue | None:
        """The first cue after ``pos`` in its clause."""
        _, end = self.clause(pos)
        return next((c for c in self._cues if pos <= c.start < end), None)

    def cancelled(self, pos: int) -> bool:
        """Whether the clause around ``pos`` says the protest did not happen."""
        return _within(self.cancels, self.clause(pos))

    def planned(self, pos: int) -> bool:
        """Whether the clause around ``pos`` speaks of a protest to come.

        A future word in the clause makes it planned; one elsewhere in the sentence does too,
        unless the clause has a past-tense protest verb of its own.
        """
        clause = self.clause(pos)
        if _within([c.start for c in self.future], clause):
            return True
        return bool(self.future) and not _within(self.past, clause)

    def date_for(self, pos: int) -> DateCue | None:
        """The date cue nearest ``pos`` in its clause, else the sentence's only one."""
        start, end = self.clause(pos)
        inside = [d for d in self.dates if start <= d.start < end]
        if inside:
            return min(inside, key=lambda d: abs(d.start - pos))
        return self.dates[0] if len(self.dates) == 1 else None

    def event_shift(self, work: str, cue: DateCue) -> bool:
        """Whether a "previous day" cue dates the events the protests answered."""
        start, end = self.clause(cue.start)
        return cue.kind == "previous_day" and bool(EVENT_SHIFT.search(work, start, end))

    def clause_names_place(self, pos: int) -> bool:
        """Whether the clause around ``pos`` names a city, a country or several places."""
        clause = self.clause(pos)
        return (_within([m.start for m in self.cities], clause)
                or _within([c.start for c in self.countries if c.located], clause)
                or _within(self.plural_places, clause))

    def names_several_places(self) -> bool:
        """Whether the sentence speaks of a country or of several places ("in five cities")."""
        return any(c.located for c in self.countries) or bool(self.plural_places)

    def participants(self, pos: int, whole: bool) -> str:
        """A participant count in the clause around ``pos`` (or the sentence, if ``whole``)."""
        start, end = (self.sentence.start, self.sentence.end) if whole else self.clause(pos)
        return next((n for at, n in self.counts if start <= at < end), "")


def _within(offsets: list[int], span: tuple[int, int]) -> bool:
    return any(span[0] <= at < span[1] for at in offsets)


def analyse(work: str, sentence: Sentence, block: Block, names: PlaceNames) -> Analysis:
    """Read one sentence of the working text."""
    s, e = sentence.start, sentence.end
    heading = block.kind in ("heading", "caption")

    def starts(pattern: re.Pattern[str]) -> list[int]:
        return [m.start() for m in pattern.finditer(work, s, e)]

    return Analysis(
        sentence=sentence,
        block=block,
        cities=find_cities(work, s, e, names, heading=heading, label=block.kind == "item"),
        countries=names.countries(work, s, e),
        venues=find_venues(work, s, e, names),
        dates=find_date_cues(work, s, e),
        protest=[Cue(m.start(), m.end(), "protest") for m in PROTEST_CUE.finditer(work, s, e)],
        context=[Cue(m.start(), m.end(), "context") for m in CONTEXT_CUE.finditer(work, s, e)],
        future=[Cue(m.start(), m.end(), "future") for m in FUTURE_CUE.finditer(work, s, e)],
        breaks=starts(_CLAUSE_BREAK),
        past=starts(PAST_PROTEST),
        cancels=starts(_CANCELLED),
        plural_places=starts(_PLURAL_PLACES),
        counts=[(m.start(), next(g for g in m.groups() if g).strip())
                for m in PARTICIPANTS.finditer(work, s, e)],
        organizers=find_organizers(work, s, e, names),
    )


def find_organizers(work: str, start: int, end: int,
                    names: PlaceNames) -> list[tuple[int, str]]:
    """Organisations ``work[start:end]`` says organised something, with their offsets."""
    hits = []
    for pattern in _ORGANIZERS:
        for m in pattern.finditer(work, start, end):
            org = m.group("org").strip()
            if org.casefold().startswith("the "):
                org = org[4:]
            first = org.split()[0].casefold() if org else ""
            bare = re.sub(r"\s*\(.*\)$", "", org)
            city = not bare.isupper() and any(p.matched == "name" for p in names.lookup(bare))
            if not org or first in _NOT_ORGANIZERS or names.code_of(bare) is not None or city:
                continue
            hits.append((m.start("org"), org))
    return sorted(set(hits))
