"""Draft records as rows: the draft columns, evidence with offsets, a confidence score.

The draft has the ``protests.csv`` columns plus ``venue_name``, ``venue_kind``, ``represents``,
``status``, ``evidence`` and ``confidence``. ``id`` and ``venue_id`` are left blank
(``protest-map import`` makes them, or matches an existing venue); ``summary`` is left blank
for the editor: the draft quotes the report as evidence, it does not offer the report's
sentences as our text.

Confidence starts at 0.5 and adds up what supports the row: a protest word in its sentence
(+0.2), a venue (+0.1), a date the report gives for it (+0.1; -0.1 when the report date is
assumed), a city found in the body, not only in a heading or caption (+0.05); a city whose
country was chosen by population among several (-0.15). It is clipped to [0.05, 0.95].
"""

from __future__ import annotations

import json
import re

import pandas as pd

from geo.extract.merging import Record, venue_name
from geo.places.gazetteer import Gazetteer
from geo.schema import PROTEST_COLUMNS

DRAFT_COLUMNS: tuple[str, ...] = (*PROTEST_COLUMNS, "venue_name", "venue_kind", "represents",
                                  "status", "evidence", "confidence")
"""Columns of a draft file, in order."""

EVIDENCE_SEPARATOR = " | "


def draft_rows(records: list[Record], text: str, gazetteer: Gazetteer, *, source_url: str,
               source_title: str) -> pd.DataFrame:
    """One draft row per record, columns :data:`DRAFT_COLUMNS`, every value a string.

    Parameters
    ----------
    records
        From :func:`geo.extract.records.read_report`.
    text
        The report (evidence is quoted from it).
    gazetteer
        For country names in venue names.
    source_url, source_title
        Copied into every row.
    """
    rows = []
    for r in records:
        venue = r.venue()
        represents = r.represents()
        country_name = (gazetteer.country_name(represents)
                        if venue and venue.family == "mission" and represents else "")
        first = r.first
        rows.append({
            "id": "",
            "date": first.date.isoformat() if first.date else "",
            "city": first.name,
            "country": first.place.country,
            "venue_id": "",
            "organizer": next((o.organizer for o in r.observations if o.organizer), ""),
            "summary": "",
            "participants": next((o.participants for o in r.observations if o.participants),
                                 ""),
            "source_url": source_url,
            "source_title": source_title,
            "date_note": _date_note(r),
            "venue_name": venue_name(r, country_name),
            "venue_kind": venue.kind if venue else "",
            "represents": represents,
            "status": first.status,
            "evidence": evidence(r, text),
            "confidence": f"{confidence(r):.2f}",
        })
    frame = pd.DataFrame(rows, columns=list(DRAFT_COLUMNS), dtype=object)
    return frame.astype("string").fillna("")


def _date_note(r: Record) -> str:
    dated = [o for o in r.observations if o.dated_here]
    source = dated[0] if dated else r.first
    return source.date_note


def evidence(r: Record, text: str) -> str:
    """The sentences supporting a record: ``[start:end] "sentence"`` joined by `` | ``.

    Offsets index the report's text; inside the quotes runs of whitespace (line breaks of a
    wrapped paragraph) are shown as one space.
    """
    spans = {(o.analysis.sentence.start, o.analysis.sentence.end) for o in r.observations}
    spans |= {s for o in r.observations for s in o.spans}
    parts = []
    for start, end in sorted(spans):
        quoted = json.dumps(re.sub(r"\s+", " ", text[start:end]).strip(), ensure_ascii=False)
        parts.append(f"[{start}:{end}] {quoted}")
    return EVIDENCE_SEPARATOR.join(parts)


def confidence(r: Record) -> float:
    """How well the report supports the record, between 0.05 and 0.95 (see module docs)."""
    score = 0.5
    if any(o.cue for o in r.observations):
        score += 0.2
    if r.venue() is not None:
        score += 0.1
    if any(o.dated_here for o in r.observations):
        score += 0.1
    elif "assumed" in r.first.date_note or not r.first.date:
        score -= 0.1
    if any(not o.analysis.heading for o in r.observations):
        score += 0.05
    if all(o.how_sure == "population" for o in r.observations):
        score -= 0.15
    return round(min(0.95, max(0.05, score)), 2)

