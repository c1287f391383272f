"""What holds for a whole report: its title, its dateline, its sections, its main countries."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

from geo.extract.dates import DateCue, find_date_cues, resolve
from geo.extract.places import PlaceNames, preferred
from geo.extract.sentences import Analysis
from geo.extract.text import Block, Sentence
from geo.places.gazetteer import Place
from geo.places.names import normalize

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
    """In how many of its places the article names each country (for ambiguous city names).

    Each country and each city counts once, however often it is named.
    """
    seen: set[tuple[str, str]] = set()
    for a in analyses:
        for c in a.countries:
            if c.what != "demonym" and (c.located or a.heading):
                seen.add((c.code, ""))
        for m in a.cities:
            places = preferred(m.candidates)
            if len({p.country for p in places}) == 1:
                seen.add((places[0].country, normalize(m.name)))
    if dateline:
        seen.add((dateline[0].country, normalize(dateline[1])))
    return Counter(code for code, _ in seen)


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


Shift = tuple[Analysis, DateCue]
"""A later sentence's "the day before" that dates the events a protest answered."""


def later_shifts(analyses: list[Analysis], work: str) -> list[Shift | None]:
    """For each sentence, the first "the previous day" of its story that reports events.

    The story of a sentence is the rest of its paragraph and the paragraphs after it up to a
    heading or a sentence that names a city (captions in between are skipped). Found for all
    sentences in one backward pass, not by reading on from each.
    """
    n = len(analyses)
    hits: list[Shift | None] = [None] * n
    for j, b in enumerate(analyses):
        cue = next((c for c in b.dates if c.kind == "previous_day" and b.event_shift(work, c)),
                   None)
        hits[j] = (b, cue) if cue is not None else None
    next_hit, stop, block_end = [n] * (n + 1), [n] * (n + 1), [n] * n
    for j in range(n - 1, -1, -1):
        b = analyses[j]
        caption = b.block.kind == "caption"
        next_hit[j] = j if hits[j] is not None and not caption else next_hit[j + 1]
        stop[j] = j if b.block.kind == "heading" or b.cities else stop[j + 1]
        same = j + 1 < n and analyses[j + 1].block.index == b.block.index
        block_end[j] = block_end[j + 1] if same else j + 1
    out: list[Shift | None] = []
    for i in range(n):
        k = next_hit[i + 1]
        inside = k < block_end[i] or k < stop[block_end[i]]
        out.append(hits[k] if k < n and inside else None)
    return out


class Organizers:
    """The organisers each section's sentences name, indexed by scope and the city named.

    A sentence counts for a city when it names no city or only that one.

    Parameters
    ----------
    analyses
        The report's sentences.
    sections
        For each sentence, the sentences of its section (see :func:`split_sections`).
    """

    def __init__(self, analyses: list[Analysis], sections: list[list[Analysis]]) -> None:
        self._index: dict[tuple[str, int, frozenset[str]], list[tuple[int, Analysis]]] = {}
        for n, (b, section) in enumerate(zip(analyses, sections, strict=True)):
            if b.organizers and len(b.city_keys) <= 1:
                for scope in (("section", id(section)), ("block", b.block.index)):
                    self._index.setdefault((*scope, b.city_keys), []).append((n, b))

    def first(self, scope: tuple[str, int], key: str, a: Analysis) -> str:
        """The first organiser named in a scope by a sentence other than ``a`` that counts."""
        firsts = []
        for keys in (frozenset(), frozenset({key})):
            entries = self._index.get((*scope, keys), [])
            firsts += [next(((n, b) for n, b in entries[:2] if b is not a), None)]
        found = min((f for f in firsts if f is not None), key=lambda f: f[0], default=None)
        return found[1].organizers[0][1] if found else ""
