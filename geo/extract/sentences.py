"""Everything the extractor needs to know about one sentence, found once.

:func:`analyse` collects a sentence's cities, countries, venues, date words, protest words,
context words and future words, and its clause boundaries; the helpers answer the questions
the record builder asks ("which cue is nearest before this city in its clause?"). Pure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

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
from geo.gazetteer import normalize

_CLAUSE_BREAK = re.compile(r";|\s[–—-]\s|,\s+(?:and|but|while|whereas|although)\b"
                           r"|\s(?:while|whereas|but)\s")
_CANCELLED = re.compile(r"\b(?:called off|cancell?ed|postponed|banned)\b", re.IGNORECASE)
_PLURAL_PLACES = re.compile(r"\b(?:cities|towns|countries|capitals)\b", re.IGNORECASE)
_ORG_WORD = r"[A-ZÀ-Þ][\w'/&-]*(?:\.[\w'/&-]+)*"
_ORG = (rf"{_ORG_WORD}(?:\s+(?:(?:of|for|and|&|in|de|the|des|du)\s+)*{_ORG_WORD})*"
        r"(?:\s+\([^()]{2,60}\))?")
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

    @property
    def heading(self) -> bool:
        """Whether the sentence is a heading or a caption."""
        return self.block.kind in ("heading", "caption")

    def clause(self, pos: int) -> tuple[int, int]:
        """The clause around an offset."""
        start = max([b for b in self.breaks if b <= pos], default=self.sentence.start)
        end = min([b for b in self.breaks if b > pos], default=self.sentence.end)
        return start, end

    def cues(self) -> list[Cue]:
        """Protest, context and venue cues in text order."""
        venues = [Cue(v.start, v.end, "venue") for v in self.venues]
        return sorted(self.protest + self.context + venues, key=lambda c: c.start)

    def nearest_before(self, pos: int) -> Cue | None:
        """The cue that ends last before ``pos`` in its clause."""
        start, _ = self.clause(pos)
        before = [c for c in self.cues() if start <= c.start and c.end <= pos]
        return max(before, key=lambda c: c.end, default=None)

    def first_after(self, pos: int) -> Cue | None:
        """The first cue after ``pos`` in its clause."""
        _, end = self.clause(pos)
        after = [c for c in self.cues() if pos <= c.start < end]
        return min(after, key=lambda c: c.start, default=None)

    def cancelled(self, work: str, pos: int) -> bool:
        """Whether the clause around ``pos`` says the protest did not happen."""
        start, end = self.clause(pos)
        return bool(_CANCELLED.search(work, start, end))

    def planned(self, work: str, pos: int) -> bool:
        """Whether the clause around ``pos`` speaks of a protest to come.

        A future word in the clause makes it planned; one elsewhere in the sentence does too,
        unless the clause has a past-tense protest verb of its own.
        """
        start, end = self.clause(pos)
        if any(start <= c.start < end for c in self.future):
            return True
        return bool(self.future) and not PAST_PROTEST.search(work, start, end)

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

    def clause_names_place(self, work: str, pos: int) -> bool:
        """Whether the clause around ``pos`` names a city, a country or several places."""
        start, end = self.clause(pos)
        return (any(start <= m.start < end for m in self.cities)
                or any(start <= c.start < end and c.located for c in self.countries)
                or bool(_PLURAL_PLACES.search(work, start, end)))

    def names_several_places(self, work: str) -> bool:
        """Whether the sentence speaks of a country or of several places ("in five cities")."""
        s = self.sentence
        return (any(c.located for c in self.countries)
                or bool(_PLURAL_PLACES.search(work, s.start, s.end)))

    def participants(self, work: str, pos: int, whole: bool) -> str:
        """A participant count in the clause around ``pos`` (or the sentence, if ``whole``)."""
        start, end = (self.sentence.start, self.sentence.end) if whole else self.clause(pos)
        match = PARTICIPANTS.search(work, start, end)
        if not match:
            return ""
        return next(g for g in match.groups() if g).strip()


def analyse(work: str, sentence: Sentence, block: Block, names: PlaceNames) -> Analysis:
    """Read one sentence of the working text."""
    s, e = sentence.start, sentence.end
    heading = block.kind in ("heading", "caption")
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
        breaks=[m.start() for m in _CLAUSE_BREAK.finditer(work, s, e)],
    )


def organizer(work: str, start: int, end: int, names: PlaceNames) -> str:
    """Who organised the protest, if the text between ``start`` and ``end`` says so."""
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
    return min(hits)[1] if hits else ""


def same_place(a: str, b: str) -> bool:
    """Whether two city names as written are the same name."""
    return normalize(a) == normalize(b)
