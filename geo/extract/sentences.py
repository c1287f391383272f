"""Everything the extractor needs to know about one sentence, found once.

:func:`analyse` collects a sentence's cities, countries, venues, date words, protest words,
context words and future words, and its clause boundaries; the helpers answer the questions
the record builder asks ("which cue is nearest before this city in its clause?"). Pure.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import cached_property

from geo.extract.dates import DateCue, find_date_cues
from geo.extract.lexicon import (
    CONTEXT_CUE,
    FUTURE_CUE,
    LABOUR_ACTION,
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
_SHIFT_WORDS = re.compile(r"\bhad\b|\b(?:shot|killed|massacred|arrested|attacked|fired|died"
                          r"|jailed|detained)\b|[.;]", re.IGNORECASE)
"""The words of :data:`EVENT_SHIFT`, for :func:`event_shift`."""
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
    past, cancels, plural_places, actions
        Offsets of past-tense protest verbs, of "called off" words, of "cities"-like words, of
        workers' actions ("struck", "walked out").
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
    actions: list[int] = field(default_factory=list)
    counts: list[tuple[int, str]] = field(default_factory=list)
    organizers: list[tuple[int, str]] = field(default_factory=list)
    _shifts: dict[tuple[int, int], bool] = field(default_factory=dict, repr=False)

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

    @cached_property
    def _cue_starts(self) -> list[int]:
        return [c.start for c in self._cues]

    @cached_property
    def _cues_by_end(self) -> list[tuple[int, int, Cue]]:
        """The cues by end, and among equal ends the first in :attr:`_cues` last."""
        return sorted((c.end, -i, c) for i, c in enumerate(self._cues))

    def clause(self, pos: int) -> tuple[int, int]:
        """The clause around an offset."""
        i = bisect_right(self.breaks, pos)
        start = self.breaks[i - 1] if i else self.sentence.start
        end = self.breaks[i] if i < len(self.breaks) else self.sentence.end
        return start, end

    def nearest_before(self, pos: int) -> Cue | None:
        """The cue that ends last before ``pos`` in its clause."""
        start, _ = self.clause(pos)
        i = bisect_right(self._cues_by_end, (pos, 1, None))
        while i > 0:  # the latest end first; stop once cues end before the clause
            i -= 1
            end, _, cue = self._cues_by_end[i]
            if end < start:
                return None
            if cue.start >= start:
                return cue
        return None

    def first_after(self, pos: int) -> Cue | None:
        """The first cue after ``pos`` in its clause."""
        _, end = self.clause(pos)
        i = bisect_left(self._cue_starts, pos)
        return self._cues[i] if i < len(self._cues) and self._cues[i].start < end else None

    def action_in_clause(self, pos: int) -> bool:
        """Whether the clause around ``pos`` has a protest word or a workers' action."""
        clause = self.clause(pos)
        return _within(self._protest_starts, clause) or _within(self.actions, clause)

    @cached_property
    def _protest_starts(self) -> list[int]:
        return [c.start for c in self.protest]

    def cancelled(self, pos: int) -> bool:
        """Whether the clause around ``pos`` says the protest did not happen."""
        return _within(self.cancels, self.clause(pos))

    def planned(self, pos: int) -> bool:
        """Whether the clause around ``pos`` speaks of a protest to come.

        A future word in the clause makes it planned; one elsewhere in the sentence does too,
        unless the clause has a past-tense protest verb of its own.
        """
        clause = self.clause(pos)
        if _within(self._future_starts, clause):
            return True
        return bool(self.future) and not _within(self.past, clause)

    def date_for(self, pos: int) -> DateCue | None:
        """The date cue nearest ``pos`` in its clause, else the sentence's only one."""
        start, end = self.clause(pos)
        starts = [d.start for d in self.dates]
        lo, i, hi = bisect_left(starts, start), bisect_left(starts, pos), bisect_left(starts, end)
        near = self.dates[max(lo, i - 1):min(hi, i + 1)]
        if near:  # the nearest before and after; on a tie the earlier
            return min(near, key=lambda d: abs(d.start - pos))
        return self.dates[0] if len(self.dates) == 1 else None

    def event_shift(self, work: str, cue: DateCue) -> bool:
        """Whether a "previous day" cue dates the events the protests answered."""
        if cue.kind != "previous_day":
            return False
        clause = self.clause(cue.start)
        if clause not in self._shifts:
            self._shifts[clause] = event_shift(work, *clause)
        return self._shifts[clause]

    def clause_names_place(self, pos: int, city_starts: list[int] | None = None) -> bool:
        """Whether the clause around ``pos`` names a city, a country or several places.

        ``city_starts``, sorted, are the cities that count (by default all): the caller leaves
        out places of the cause or the government addressed, which claim no protest.
        """
        clause = self.clause(pos)
        starts = self._city_starts if city_starts is None else city_starts
        return (_within(starts, clause) or _within(self._located_starts, clause)
                or _within(self.plural_places, clause))

    @cached_property
    def _city_starts(self) -> list[int]:
        return [m.start for m in self.cities]

    @cached_property
    def _located_starts(self) -> list[int]:
        return [c.start for c in self.countries if c.located]

    @cached_property
    def _future_starts(self) -> list[int]:
        return [c.start for c in self.future]

    def names_several_places(self) -> bool:
        """Whether the sentence speaks of a country or of several places ("in five cities")."""
        return any(c.located for c in self.countries) or bool(self.plural_places)

    def participants(self, pos: int, whole: bool) -> str:
        """A participant count in the clause around ``pos`` (or the sentence, if ``whole``)."""
        start, end = (self.sentence.start, self.sentence.end) if whole else self.clause(pos)
        i = bisect_left(self.counts, (start, ""))
        return self.counts[i][1] if i < len(self.counts) and self.counts[i][0] < end else ""


def _within(offsets: list[int], span: tuple[int, int]) -> bool:
    """Whether a sorted list of offsets has one in ``[span[0], span[1])``."""
    i = bisect_left(offsets, span[0])
    return i < len(offsets) and offsets[i] < span[1]


def event_shift(work: str, start: int, end: int) -> bool:
    """Whether ``work[start:end]`` reports events in the pluperfect ("had been killed").

    That is "had" and, later in the same stretch without "." or ";", one of the verbs of
    :data:`EVENT_SHIFT`; found in one pass (a search from every "had" would be quadratic).
    """
    seen_had = False
    for m in _SHIFT_WORDS.finditer(work, start, end):
        word = m.group().casefold()
        if word in ".;":
            seen_had = False
        elif word == "had":
            seen_had = True
        elif seen_had:
            return True
    return False


def analyse(work: str, sentence: Sentence, block: Block, names: PlaceNames) -> Analysis:
    """Read one sentence of the working text."""
    s, e = sentence.start, sentence.end
    heading = block.kind in ("heading", "caption")
    opens = block.kind in ("item", "paragraph") and s == block.sentences[0].start

    def starts(pattern: re.Pattern[str]) -> list[int]:
        return [m.start() for m in pattern.finditer(work, s, e)]

    return Analysis(
        sentence=sentence,
        block=block,
        cities=find_cities(work, s, e, names, heading=heading, label=opens),
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
        actions=starts(LABOUR_ACTION),
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
