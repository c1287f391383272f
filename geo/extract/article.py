"""What holds for a whole report: its title, its dateline, its sections, its main countries."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

from geo.extract.dates import find_date_cues, resolve
from geo.extract.places import PlaceNames, preferred
from geo.extract.sentences import Analysis
from geo.extract.text import Block, Sentence
from geo.places.gazetteer import Place

_DATELINE = re.compile(
    r"(?P<city>[A-ZÀ-Þ][\w'.]*(?:[ -][A-ZÀ-Þ][\w'.]*){0,2})"
    r"(?:,\s*(?P<date>[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:,\s*\d{4})?|\d{1,2}\s+[A-Z][a-z]{2,8}"
    r"(?:\s+\d{4})?))?\s*(?:\([^()\n]{1,40}\))?\s*[-–—]{1,2}\s+")


def report_title(text: str, blocks: list[Block]) -> str:
    """The report's first line, when it is a title.

    Not a label in capitals ("PRESS RELEASE"), and nothing a spreadsheet would run as a formula
    (a first character such as ``=``, ``+``, ``-`` or ``@``).
    """
    if not blocks or blocks[0].kind != "heading":
        return ""
    title = text[blocks[0].start:blocks[0].end]
    return "" if title.isupper() or not re.match(r"[\w\"“‘']", title) else title


Dateline = tuple[Place, str, "dt.date | None", int]
"""A dateline's place, city as written, date and the offset where the text after it starts."""


def find_dateline(work: str, blocks: list[Block],
              names: PlaceNames) -> tuple[Dateline | None, list[Block]]:
    """A news-wire dateline ("LONDON, Feb 5 (Agency) - ") opening the first paragraph.

    Returns the dateline's city and date, and the blocks with the dateline cut from the first
    sentence (so its date does not date the protests the sentence names).
    """
    for n, block in enumerate(blocks[:4]):
        if block.kind != "paragraph":
            continue
        match = _DATELINE.match(work, block.start)
        if not match:
            return None, blocks
        raw = match.group("city")
        name = raw.title() if raw.isupper() else raw
        places = names.lookup(name)
        if not places:
            return None, blocks
        date = None
        if match.group("date"):
            cues = find_date_cues(work, match.start("date"), match.end("date"))
            date = resolve(cues[0], anchor=None, current=None, planned=False) if cues else None
        first = block.sentences[0]
        cut = Sentence(match.end(), first.end, first.block)
        trimmed = Block(block.start, block.end, block.kind, block.index,
                        (cut, *block.sentences[1:]))
        place = max(preferred(places), key=lambda p: p.population)
        return (place, name, date, match.end()), [*blocks[:n], trimmed, *blocks[n + 1:]]
    return None, blocks


def article_countries(analyses: list[Analysis], dateline: Dateline | None) -> Counter[str]:
    """How often the article names each country as a place (for ambiguous city names)."""
    counts: Counter[str] = Counter()
    for a in analyses:
        for c in a.countries:
            if c.what != "demonym" and (c.located or a.heading):
                counts[c.code] += 1
        for m in a.cities:
            countries = {p.country for p in preferred(m.candidates)}
            if len(countries) == 1:
                counts[countries.pop()] += 1
    if dateline:
        counts[dateline[0].country] += 1
    return counts


def article_represents(analyses: list[Analysis]) -> str:
    """The country most of the article's named missions represent ("the embassy" is its)."""
    counts = Counter(v.represents for a in analyses for v in a.venues
                     if v.family == "mission" and v.represents)
    return counts.most_common(1)[0][0] if counts else ""


def split_sections(analyses: list[Analysis]) -> list[list[Analysis]]:
    """For each sentence, the sentences of its section (a section starts at each heading)."""
    sections: list[list[Analysis]] = []
    for a in analyses:
        if a.block.kind == "heading" or not sections:
            sections.append([])
        sections[-1].append(a)
    return [section for section in sections for _ in section]
