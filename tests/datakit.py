"""Tiny data folders for the table, join and CLI tests: write one, break one cell, read problems."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from geo.errors import DataError
from geo.tables import Dataset, load_dataset

PROTESTS = """\
id,date,city,country,venue_id,organizer,summary,participants,source_url,source_title,date_note
p-berlin,2011-12-16,Berlin,DE,v-berlin,SAV,"Letters handed in at the embassy, then a rally.",,https://example.org/r,Report,
p-vienna,2011-12-16,Vienna,AT,v-vienna,SLP,Protest at the consulate.,dozens,,,
"""
VENUES = """\
id,name,kind,represents,address,city,country,lat,lon,precision,source
v-berlin,"Embassy of Kazakhstan, Berlin",embassy,KZ,Nordendstraße 14,Berlin,DE,52.585,13.392,\
street,manual
v-vienna,Honorary Consulate of Kazakhstan,honorary_consulate,KZ,,Vienna,AT,48.2137,16.3662,\
street,manual
"""
PHOTOS = """\
protest_id,src,caption,credit,alt
p-berlin,,Protesters at the embassy gate,,
"""


def tiny(folder: Path) -> Path:
    """Write a small valid data folder (2 protests, 2 venues, 1 photo) and return it."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in (("protests.csv", PROTESTS), ("venues.csv", VENUES),
                       ("photos.csv", PHOTOS)):
        (folder / name).write_text(text, encoding="utf-8", newline="")
    return folder


def set_cell(path: Path, line: int, column: str, value: str) -> None:
    """Set one value of a CSV file whose records are one line each (line 1 = header)."""
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    rows[line - 1][rows[0].index(column)] = value
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8", newline="")


def add_row(path: Path, **values: str) -> int:
    """Append a row (missing columns blank); return its line number."""
    text = path.read_text(encoding="utf-8")
    header = next(csv.reader(io.StringIO(text)))
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\n").writerow([values.get(h, "") for h in header])
    path.write_text(text + out.getvalue(), encoding="utf-8", newline="")
    return len(text.splitlines()) + 1


def problems(folder: Path) -> list[str]:
    """The problems load_dataset reports for ``folder``, as printed; [] when it loads."""
    try:
        load_dataset(folder)
    except DataError as exc:
        return [str(p) for p in exc.problems]
    return []


def only(found: list[str], start: str) -> str:
    """The one problem that starts with ``start`` (fails if none or several)."""
    hits = [p for p in found if p.startswith(start)]
    assert len(hits) == 1, f"expected one problem starting {start!r}, got {found}"
    return hits[0]


def load(folder: Path) -> Dataset:
    """load_dataset, for symmetry with problems()."""
    return load_dataset(folder)
