"""Find the venues a sentence names: missions, company sites and public places.

* A diplomatic mission: "the Kazakh embassy", "Kazakhstan embassies", "the Consulate of
  Kazakhstan", "the Bangladesh High Commission" (kind ``embassy``), "the Honorary Consulate"
  (kind ``honorary_consulate``). Without a country ("the embassy") it is *generic*: the caller
  decides which country it represents from the article.
* A company's site: "Telia shops", "a Zara shop", "Shell's headquarters" (kind ``other``), or a
  company named alone after "outside" ("outside Marks & Spencer").
* A public place: "George Square", "Place des Nations", "the town hall", "the cathedral".
* An unnamed office or plant: "the regional education offices" (kind ``other``).

Venues after "no" or "not" ("there is no Turkish consulate in Bergen") are left out. Pure
functions of the working text.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from geo.extract.lexicon import (
    BARE_MISSION_WORDS,
    MISSION_WORDS,
    POSSESSIVE_BRANDS,
    PUBLIC_NOUNS,
    PUBLIC_PREFIXES,
    PUBLIC_SUFFIXES,
    SHOP_WORDS,
    STREET_SUFFIXES,
)
from geo.extract.places import PlaceNames
from geo.places.names import normalize

MISSION_PRIORITY = 3
COMPANY_PRIORITY = 3
SITE_PRIORITY = 2
PUBLIC_PRIORITY = 1
"""When one protest names several venues, the one of highest priority is where it was."""

_START = r"(?<![\w&-])"
"""A name starts a token: never inside one (else each capital of a long token restarts a scan)."""
_CAPWORD = r"[A-ZÀ-Þ][\w&-]*(?:\.[A-Za-z][\w&-]*|'[A-Z][\w&-]*){0,3}"
_CAP = rf"{_CAPWORD}(?:\s+(?:&\s+|(?:of|de|du)\s+)?{_CAPWORD}){{0,5}}"
"""A company's or place's name: up to six capitalised words ("Royal Bank of Scotland")."""
_SHOP = "|".join(sorted((re.escape(w) for w in SHOP_WORDS), key=len, reverse=True))
_MISSION = re.compile(
    r"\b(?P<word>honorary\s+consul(?:ate)?|consulates?[\s-]+general|general\s+consulates?"
    r"|consulates?|high\s+commissions?|embass(?:y|ies)"
    r"|(?:permanent\s+|diplomatic\s+)?(?:missions?|representations?)"
    r"|representative\s+offices?)\b"
    r"(?:\s+(?:gates?|building|compound))?", re.IGNORECASE)
_COMPANY_SITE = re.compile(
    rf"{_START}(?P<company>{_CAP})(?P<poss>'s)?\s+(?:(?P<site>{_CAPWORD})\s+)?"
    rf"(?i:(?:(?:flagship|main|local|central|regional|head)\s+)?(?P<word>{_SHOP}))\b")
_COMPANY_ALONE = re.compile(rf"\b(?:outside|in front of|opposite)\s+(?P<company>{_CAP})")
_PUBLIC_NAMED = re.compile(
    rf"{_START}(?P<name>(?:{_CAPWORD}\s+){{1,4}}(?:"
    + "|".join(sorted((s.title() for s in PUBLIC_SUFFIXES), key=len, reverse=True))
    + r")|[A-Z]\w+(?:platz|plein|plads|torget))\b")
_PUBLIC_PREFIXED = re.compile(
    r"\b(?P<name>(?:" + "|".join(p.title() for p in sorted(PUBLIC_PREFIXES))
    + rf")\s+(?:(?:de|des|du|de la|del|della|di|of)\s+)?{_CAP})")
_GENERIC_SITE = re.compile(
    r"\b(?:the|its|their|the\s+(?:company|firm|bank|group|chain|retailer|employer)'s)\s+"
    r"(?P<name>(?:[a-z]+\s+){0,2}?"
    r"(?P<word>offices|headquarters|head office|(?:regional|local|main|district|area) office"
    r"|plants?|factory|depot|refinery|warehouses?|distribution cent(?:re|er)s?))\b")
_BEFORE_MISSION = re.compile(r"(?:'s)?\s+")
_AFTER_MISSION = re.compile(r"\s+(?:of|for|to)\s+(?:the\s+)?"
                            r"(?:(?:[A-Z][\w']+\s+){0,2}Republic\s+of\s+(?:the\s+)?)?")
"""Between a mission word and its country: "of", "of the Republic of" ("the Consulate General
of the Republic of Belarus")."""
_NEGATED = re.compile(r"\b(?:no|not|without|never)\s+(?:\w+\s+){0,2}$", re.IGNORECASE)
_BRANDS = frozenset(normalize(b) for b in POSSESSIVE_BRANDS)
_DETERMINERS = frozenset({"the", "a", "an", "its", "their", "our", "this", "that", "these"})
_MISSION_NAMES = {
    "embassy": "Embassy", "high commission": "High Commission",
    "consulate general": "Consulate General", "general consulate": "Consulate General",
    "consulate": "Consulate", "honorary consulate": "Honorary Consulate",
    "honorary consul": "Honorary Consulate", "permanent mission": "Permanent Mission",
    "diplomatic mission": "Mission", "mission": "Mission",
    "diplomatic representation": "Representation", "representation": "Representation",
    "representative office": "Representative Office",
    "permanent representation": "Permanent Representation",
}


@dataclass(frozen=True)
class VenueMention:
    """A venue named in a sentence.

    Parameters
    ----------
    start, end
        Offsets in the text.
    kind
        A ``venues.csv`` kind.
    represents
        ISO code for a mission, the company for a company site, else ``""``.
    name
        Its name without the city: "Embassy of Kazakhstan", "Telia shop", "George Square".
    family
        ``"mission"``, ``"company"``, ``"public"`` or ``"site"``.
    generic
        A mission without a country ("the embassy").
    plural
        "embassies", "Telia shops".
    priority
        Which venue wins when one protest names several.
    """

    start: int
    end: int
    kind: str
    represents: str
    name: str
    family: str
    generic: bool
    plural: bool
    priority: int


def find_venues(work: str, start: int, end: int, names: PlaceNames) -> list[VenueMention]:
    """The venues named in ``work[start:end]``, in text order, overlaps and negations removed.

    Parameters
    ----------
    work
        The working text.
    start, end
        The sentence.
    names
        Country names (for "Kazakh embassy", "Consulate of Kazakhstan").
    """
    found = (_missions(work, start, end, names) + _company_sites(work, start, end, names)
             + _public_places(work, start, end) + _generic_sites(work, start, end))
    found.sort(key=lambda v: (-v.priority, -(v.end - v.start), v.start))
    kept: list[VenueMention] = []  # by start, without overlaps
    for v in found:
        i = bisect_left(kept, v.start, key=lambda k: k.start)
        if (i == 0 or kept[i - 1].end <= v.start) and (i == len(kept) or kept[i].start >= v.end):
            kept.insert(i, v)
    kept = [v for v in kept if not _NEGATED.search(work[max(start, v.start - 30):v.start])]
    return sorted(kept, key=lambda v: v.start)


def mission_name(word: str, country: str) -> str:
    """Display name of a mission, e.g. ``"Embassy of Kazakhstan"`` (``"Embassy"`` if unknown)."""
    return f"{word} of {country}" if country else word


def _missions(work: str, start: int, end: int, names: PlaceNames) -> list[VenueMention]:
    countries = names.countries(work, start, end)  # in order, without overlaps
    ends = [c.end for c in countries]
    out = []
    for m in _MISSION.finditer(work, start, end):
        key = normalize(m.group("word"))
        singular = re.sub(r"\bembassies\b", "embassy", re.sub(
            r"\b(consulate|commission|mission|representation|office)s\b", r"\1", key))
        kind = MISSION_WORDS[singular]
        first, last, code = m.start(), m.end(), ""
        i = bisect_right(ends, m.start())  # only the country just before can be adjacent
        if i and _BEFORE_MISSION.fullmatch(work, ends[i - 1], m.start()):
            first, code = countries[i - 1].start, countries[i - 1].code
        j = bisect_left(countries, m.end("word"), key=lambda c: c.start)  # and just after
        if j < len(countries) and _AFTER_MISSION.fullmatch(work, m.end("word"),
                                                           countries[j].start):
            last, code = countries[j].end, code or countries[j].code
        if singular in BARE_MISSION_WORDS and not code:
            continue  # "a fact-finding mission", "proportional representation"
        label = _MISSION_NAMES[singular]
        out.append(VenueMention(first, last, kind, code, label, "mission", not code,
                                singular != key, MISSION_PRIORITY))
    return out


def _company_sites(work: str, start: int, end: int, names: PlaceNames) -> list[VenueMention]:
    out = []
    for m in _COMPANY_SITE.finditer(work, start, end):
        company = _company(m.group("company"), names)
        if not company:
            continue
        if m.group("poss") and normalize(f"{company}'s") in _BRANDS:
            company += m.group("poss")  # "Sainsbury's stores" (the brand), not "Shell's"
        word = m.group("word").casefold()
        singular = word if word in ("headquarters", "offices") else re.sub(r"s$", "", word)
        singular = singular.replace("flagship store", "store")
        plural = singular != word
        name = f"{company} {m.group('site') + ' ' if m.group('site') else ''}{singular}"
        out.append(VenueMention(m.start("company") + m.group("company").find(company),
                                m.end(), SHOP_WORDS[word], company, name, "company", False,
                                plural, COMPANY_PRIORITY))
    for m in _COMPANY_ALONE.finditer(work, start, end):
        company = _company(m.group("company"), names)
        last = company.split()[-1].casefold() if company else ""
        after = work[m.end("company"):min(end, m.end("company") + 80)].lstrip().casefold()
        stop = m.end("company")
        if after.startswith("'s") and normalize(f"{company}'s") in _BRANDS:
            company, after, stop = f"{company}'s", after[2:].lstrip(), stop + 2  # "Sainsbury's"
        if (not company or last in PUBLIC_SUFFIXES | STREET_SUFFIXES or names.lookup(company)
                or _MISSION.match(after) or after.startswith(("'s", "s "))):
            continue
        out.append(VenueMention(m.start("company"), stop, "company_shop", company,
                                company, "company", False, False, COMPANY_PRIORITY))
    return out


def _company(raw: str, names: PlaceNames) -> str:
    words = raw.split()
    while words and words[0].casefold() in _DETERMINERS:
        words = words[1:]
    company = " ".join(words)
    if not company or names.code_of(company) is not None:
        return ""
    if normalize(company) in {"monday", "tuesday", "wednesday", "thursday", "friday",
                              "saturday", "sunday", "in", "at", "on"}:
        return ""
    return company


def _public_places(work: str, start: int, end: int) -> list[VenueMention]:
    out = []
    for pattern in (_PUBLIC_NAMED, _PUBLIC_PREFIXED, PUBLIC_NOUNS):
        for m in pattern.finditer(work, start, end):
            text = m.group()
            words = text.split()
            while words and words[0].casefold() in _DETERMINERS:
                words = words[1:]
            if not words:
                continue
            name = " ".join(words)
            offset = m.start() + text.find(words[0])
            out.append(VenueMention(offset, m.end(), "public_space", "", name, "public", False,
                                    False, PUBLIC_PRIORITY))
    return out


def _generic_sites(work: str, start: int, end: int) -> list[VenueMention]:
    out = []
    for m in _GENERIC_SITE.finditer(work, start, end):
        word = m.group("word").casefold()
        plural = word.endswith("s") and word not in ("headquarters", "offices")
        out.append(VenueMention(m.start("name"), m.end(), "other", "", m.group("name"), "site",
                                False, plural, SITE_PRIORITY))
    return out
