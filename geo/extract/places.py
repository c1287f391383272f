"""Find the cities and countries a report names, and decide which country each city is in.

A capitalised name counts as a city only where the text uses it as a place: after "in", "at",
"outside" and the like ("in central Leeds", "in the city centre of Hull"), in a list that
continues such a place ("in Leeds, York and Hull"), before a protest word ("Leeds
rally"), as the label of a list item ("Vienna: ..."), or in a heading. A name that only
qualifies another ("Victoria Park", "Oxford Street") is not a city.

Ambiguous names are resolved by, in order: a country or region right after the city ("London,
Ontario"; "Newcastle, in the North East of England"), the countries of the current section,
the countries the article names as places, and finally population. Everything here is pure: the
gazetteer is an argument.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from geo.extract.lexicon import (
    COUNTRY_ALIASES,
    DEMONYMS,
    LOCATION_BEFORE,
    PUBLIC_SUFFIXES,
    REGIONS,
    STREET_SUFFIXES,
)
from geo.places.gazetteer import Gazetteer, Place
from geo.places.names import normalize

_WORD = re.compile(r"[^\W\d_][\w'-]*|&")
_CONNECTORS = frozenset({"upon", "am", "de", "del", "la", "le", "sur", "im", "an", "der"})
_NOT_CITIES = frozenset({
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
    "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "christmas", "easter", "independence", "update", "police", "most",
    "union", "central", "mission", "victoria", "north", "south", "east", "west", "press",
    "the", "a", "an", "it", "we", "our", "this", "that", "there", "one", "many", "some",
})
_LIST_GAP = re.compile(r"^(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or|&|as well as)\s+"
                       r"|\s*,\s*(?:in|at)\s+|\s+(?:and|or)\s+(?:in|at)\s+)"
                       r"(?:central\s+|downtown\s+)?$", re.IGNORECASE)
"""What joins a city to the one before it in a list: "Paris, Berlin and Madrid", "in Rome and
in Madrid", "in Rome, in Madrid" (", and in Munich" starts a clause of its own)."""
_NOUN_AFTER = re.compile(r"(?:'s)?\s+(?:protests?|protesters|protestors|demonstrators"
                         r"|demonstrations?|demos?|rally|rallies|vigils?|pickets?|march)\b",
                         re.IGNORECASE)
_QUALIFIER_GAP = re.compile(r"^\s*(?:,\s*)?(?:in\s+)?(?:(?:the\s+)?(?:[A-Z][\w-]*\s+)+"
                            r"(?:of|in)\s+)?$")
_LABEL_LEAD = re.compile(r"\s*(?:\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?\s*[-–—]?\s*)?")
"""What may come before a city that labels a list item or paragraph: a live blog's time."""
_GAP_MAX = 200
"""Longest stretch between a city and the list it continues or the country that qualifies it
(a longer one is never such a gap; reading it for every pair would be quadratic)."""
_LOCATION_COUNTRY = re.compile(r"\b(?:in|across|throughout|around|all over)\s+(?:the\s+)?$",
                               re.IGNORECASE)


@dataclass(frozen=True)
class CityMention:
    """A city named as a place.

    Parameters
    ----------
    start, end
        Offsets of the name in the text.
    name
        The name as written (possessive removed; an all-capitals dateline name in title case).
    how
        Why it counts as a place: ``"prep"``, ``"list"``, ``"noun"``, ``"label"``,
        ``"heading"`` or ``"dateline"``.
    candidates
        Gazetteer places of that name, best first.
    qualifier
        ISO code of a country or region named right after it, or ``""``.
    """

    start: int
    end: int
    name: str
    how: str
    candidates: tuple[Place, ...]
    qualifier: str = ""


@dataclass(frozen=True)
class CountryMention:
    """A country, region or nationality named in the text.

    Parameters
    ----------
    start, end
        Offsets in the text.
    code
        ISO alpha-2 code.
    what
        ``"country"``, ``"region"`` or ``"demonym"``.
    located
        Whether it is named as a place ("in Sweden", "across Spain"), not as an adjective.
    """

    start: int
    end: int
    code: str
    what: str
    located: bool


TOWN_POPULATION = 15_000
"""The smallest places the extractor reads as cities (see :meth:`PlaceNames.lookup`)."""


class PlaceNames:
    """Country, region and nationality names, matched in text, for one gazetteer.

    Parameters
    ----------
    gazetteer
        Supplies the English country names (the lexicon adds aliases, regions and demonyms).
    """

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        table: dict[str, tuple[str, str]] = {}
        for code in sorted(gazetteer.country_codes()):
            name = normalize(gazetteer.country_name(code))
            table[name] = (code, "country")
            if name.startswith("the "):
                table[name[4:]] = (code, "country")
        for key, code in COUNTRY_ALIASES.items():
            table[normalize(key)] = (code, "country")
        for key, code in REGIONS.items():
            table.setdefault(normalize(key), (code, "region"))
        for key, code in DEMONYMS.items():
            table.setdefault(normalize(key), (code, "demonym"))
        self.table = table
        names = sorted(table, key=len, reverse=True)
        alternatives = "|".join(re.escape(n).replace(r"\ ", r"[\s-]+") for n in names)
        self._pattern = re.compile(rf"(?<![\w.])(?:{alternatives})(?![\w])", re.IGNORECASE)
        self._lookups: dict[str, tuple[Place, ...]] = {}

    def countries(self, work: str, start: int, end: int) -> list[CountryMention]:
        """Countries, regions and nationalities named (capitalised) in ``work[start:end]``."""
        out = []
        for match in self._pattern.finditer(work, start, end):
            text = match.group()
            letters = text[4:] if text.casefold().startswith("the ") else text
            if not letters[:1].isupper():
                continue
            entry = self.table.get(normalize(text.replace("-", " ")))
            if entry is None:
                continue
            code, what = entry
            located = what != "demonym" and bool(
                _LOCATION_COUNTRY.search(work[max(start, match.start() - 20):match.start()]))
            out.append(CountryMention(match.start(), match.end(), code, what, located))
        return out

    def code_of(self, name: str) -> tuple[str, str] | None:
        """``(code, what)`` of a country, region or nationality name, or None."""
        return self.table.get(normalize(name))

    def lookup(self, name: str) -> tuple[Place, ...]:
        """Gazetteer cities of that name: exact names first, then alternate names.

        Only places of :data:`TOWN_POPULATION` people or more: among the gazetteer's towns and
        villages too many names are also words ("Shell", Ecuador) or repeat a city's name (a
        Berlin in New Hampshire), and a report would be read wrongly.
        """
        key = normalize(name)
        if key not in self._lookups:
            self._lookups[key] = tuple(p for p in self.gazetteer.candidates(name)
                                       if p.population >= TOWN_POPULATION)
        return self._lookups[key]


def preferred(places: Iterable[Place]) -> list[Place]:
    """The places that bear the name itself, if any do; else all (alternate names).

    Without a qualifier, "Newcastle" means a city called Newcastle, not Newcastle upon Tyne. An
    alternate-name match :data:`DOMINANCE` times larger than every place of that name stays
    too: "Hanover" is Hannover as well as the small Hanovers of the United States.
    """
    places = list(places)
    named = [p for p in places if p.matched == "name"]
    if not named:
        return places
    largest = max(p.population for p in named)
    return [p for p in places if p.matched == "name" or p.population >= DOMINANCE * largest]


DOMINANCE = 5
"""How many times larger a place must be for its name to be read as that place by default."""

OUTWEIGH = 2
"""How many other places of the article a far smaller namesake's country needs to win."""


@cache
def place_names(gazetteer: Gazetteer) -> PlaceNames:
    """The :class:`PlaceNames` of a gazetteer, built once."""
    return PlaceNames(gazetteer)


def find_cities(work: str, start: int, end: int, names: PlaceNames, *, heading: bool = False,
                label: bool = False) -> list[CityMention]:
    """Cities named as places in ``work[start:end]``, in text order.

    Parameters
    ----------
    work
        The working text (see :func:`geo.extract.text.working_text`).
    start, end
        The sentence.
    names
        Country and city lookups.
    heading
        The sentence is a heading or caption: a heading made only of place names ("Paris",
        "Germany: Hamburg and Köln") counts them all.
    label
        The sentence opens a list item or a paragraph: a city that opens it (after a live
        blog's time, "12:00 Melbourne:") followed by ":" counts.
    """
    out: list[CityMention] = []
    raw = _city_names(work, start, end, names)
    countries = [c for c in names.countries(work, start, end) if c.what != "demonym"]
    only_places = heading and _only_places(work, start, end, [(s, e) for s, e, _, _ in raw]
                                           + [(c.start, c.end) for c in countries])
    for s, e, name, places in raw:
        how = "heading" if only_places else _how(work, start, end, s, e, out, label)
        if how:
            out.append(CityMention(s, e, name, how, places))
    qualified = [_with_qualifier(work, m, countries) for m in out]
    for i in range(len(qualified) - 1, 0, -1):  # "in Leeds, York and Hull in England"
        later, earlier = qualified[i], qualified[i - 1]
        if later.how == "list" and later.qualifier and not earlier.qualifier:
            qualified[i - 1] = _replace(earlier, qualifier=later.qualifier)
    return qualified


def _city_names(work: str, start: int, end: int,
                names: PlaceNames) -> list[tuple[int, int, str, tuple[Place, ...]]]:
    found = []
    for run in _capitalised_runs(work, start, end):
        last = run[-1].group().casefold()
        if any(w.group() == "&" for w in run) or last in PUBLIC_SUFFIXES | STREET_SUFFIXES:
            continue  # "Marks & Spencer", "Victoria Park", "Oxford Street"
        i = 0
        while i < len(run):
            for j in range(min(len(run), i + 4), i, -1):
                if run[i].group() in _CONNECTORS or run[j - 1].group() in _CONNECTORS:
                    continue
                s, e = run[i].start(), run[j - 1].end()
                if work[s:e].endswith("'s"):
                    e -= 2
                name = work[s:e]
                places = names.lookup(name) if _plausible(name, names) else ()
                if places:
                    found.append((s, e, name, places))
                    i = j
                    break
            else:
                i += 1
    return found


def _plausible(name: str, names: PlaceNames) -> bool:
    key = normalize(name)
    if key in _NOT_CITIES or names.code_of(name) is not None:
        return False
    return not (name.isupper() and len(name) <= 5)  # acronyms: SAV, GMT, CWI


def _only_places(work: str, start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    """Whether a heading is nothing but place names ("Paris", "Germany: Hamburg and Köln")."""
    if not spans:
        return False
    rest = list(work[start:end])
    for s, e in spans:
        rest[s - start:e - start] = " " * (e - s)
    return bool(re.fullmatch(r"[\s,:;&/–—-]*(?:and[\s,:;&/–—-]+)*[\s,:;&/–—-]*",
                             "".join(rest)))


def _how(work: str, start: int, end: int, s: int, e: int, before: list[CityMention],
         label: bool) -> str:
    if (label and not before and _LABEL_LEAD.match(work, start, s).end() == s  # type: ignore[union-attr]
            and work[e:min(end, e + _GAP_MAX)].lstrip().startswith(":")):
        return "label"
    if before and s - before[-1].end <= _GAP_MAX and _LIST_GAP.match(work[before[-1].end:s]):
        return "list"
    if LOCATION_BEFORE.search(work[max(start, s - 60):s]):
        return "prep"
    if _NOUN_AFTER.match(work, e, end):
        return "noun"
    return ""


def _with_qualifier(work: str, m: CityMention, countries: list[CountryMention]) -> CityMention:
    for c in countries[bisect_left(countries, m.end, key=lambda c: c.start):]:
        if c.start - m.end > _GAP_MAX:
            break
        if _QUALIFIER_GAP.match(work[m.end:c.start]):
            return _replace(m, qualifier=c.code)
    return m


def _replace(m: CityMention, **changes: str) -> CityMention:
    return CityMention(**{**m.__dict__, **changes})


def _capitalised_runs(work: str, start: int, end: int) -> list[list[re.Match[str]]]:
    """Runs of capitalised words (with "&" and name connectors) separated by spaces only."""
    runs: list[list[re.Match[str]]] = []
    current: list[re.Match[str]] = []
    for w in _WORD.finditer(work, start, end):
        token = w.group()
        part = token[0].isupper() or token == "&" or (token in _CONNECTORS and bool(current))
        if part and current and re.fullmatch(r"[ \t]+", work[current[-1].end():w.start()]):
            current.append(w)
            continue
        if current:
            runs.append(current)
        current = [w] if part and token not in _CONNECTORS else []
    if current:
        runs.append(current)
    return runs


def resolve_city(mention: CityMention, section: Iterable[str],
                 article: Counter[str]) -> tuple[Place, str]:
    """The place a city mention means, and how sure that is.

    Parameters
    ----------
    mention
        A city mention with its candidates.
    section
        ISO codes of the countries the current section is about.
    article
        How often the article names each country as a place.

    Returns
    -------
    place : Place
    how : str
        ``"qualified"`` (a country or region follows the name), ``"unique"`` (one country has
        a city of that name), ``"context"`` (the section's or article's country) or
        ``"population"`` (the largest of several countries' cities: check it).

    A namesake 20 times smaller than the largest (London, Ontario beside London) is chosen by
    the article only when :data:`OUTWEIGH` of its other places are in that country.
    """
    if mention.qualifier in {p.country for p in mention.candidates}:
        return next(p for p in mention.candidates if p.country == mention.qualifier), "qualified"
    cands = preferred(mention.candidates)
    countries = list(dict.fromkeys(p.country for p in cands))
    if len(countries) == 1:
        return cands[0], "unique"
    in_section = set(section)
    largest = max(cands, key=lambda p: p.population)

    def score(p: Place) -> int:
        if p.country in in_section:
            return 100 + article[p.country]
        far_smaller = p.population * DOMINANCE * 4 < largest.population
        return 0 if far_smaller and article[p.country] < OUTWEIGH else article[p.country]

    best = max(cands, key=score)  # max keeps the first (best ranked) of equal scores
    if score(best) > 0:
        return best, "context"
    return largest, "population"
