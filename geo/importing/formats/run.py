"""``protest-map import FILE --format acled|gdelt|ccc|mm``: a dataset's rows into a data folder.

The steps, each its own function:

1. read the file (:mod:`.reading`) and map its rows (:mod:`.acled`, :mod:`.gdelt`, :mod:`.ccc`,
   :mod:`.mm`): every input row is mapped, skipped by rule, or invalid;
2. rows whose id is already in ``protests.csv`` (or named in an ``also_reported_as``) are
   *already present*; a second row with the same id in the file likewise;
3. venues named in the text are proposed (:mod:`.venues`);
4. rows that duplicate a protest of another source are merged into it (:mod:`.dedupe`): the
   existing row keeps its id and gains the new row's id and link in ``also_reported_as``
   (and fills its blank organizer, participants and source_url);
5. the merged tables are validated with :func:`geo.tables.load_dataset`; a problem on a new row
   is reported on its input line;
6. without ``skip_invalid``, any invalid row stops the import: :class:`~geo.errors.DataError`
   names file, line, column, what is wrong and how to fix it, and nothing is written. With it,
   invalid rows are left out and listed. ``protests.csv`` and ``venues.csv`` (and an empty
   ``photos.csv`` where there was none) are then replaced together, atomically.

A data folder that does not exist, or is empty, gets the tables with their header rows first.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Final

import numpy as np
import pandas as pd

from geo._atomic import write_many
from geo.errors import DataError, Problem, UsageError
from geo.extract.places import place_names
from geo.importing._appending import (
    check_merged,
    encode_rows,
    header_of,
    next_line,
    with_columns,
)
from geo.places.gazetteer import Gazetteer, country_shapes, default_gazetteer
from geo.schema import PHOTO_COLUMNS, PROTEST_COLUMNS, VENUE_COLUMNS
from geo.tables import read_csv_table
from geo.tables.columns import LINE

from . import acled, ccc, gdelt, mm
from .common import INVALID, OUTPUT_COLUMNS, SKIPPED, Issue, Mapped
from .countries import CountryCodes
from .dedupe import Match, find_duplicates
from .reading import read_table, read_tsv
from .report import LABELS, FormatReport, write_report
from .venues import VenueBook, propose_venues, venue_key

FORMATS: Final = ("drafts", "acled", "gdelt", "ccc", "mm")
"""Values of ``--format`` (``drafts`` is :func:`geo.importing.import_drafts`)."""



def import_file(path: str | Path, fmt: str, data_dir: str | Path = "data", *,
                skip_invalid: bool = False, report: str | Path | None = None,
                gazetteer: Gazetteer | None = None) -> FormatReport:
    """Import a dataset file of a named format into a data folder.

    Parameters
    ----------
    path
        The file: an ACLED CSV export, a GDELT 2.0 events file, a CCC compiled CSV, or the
        Mass Mobilization CSV.
    fmt
        ``acled``, ``gdelt``, ``ccc`` or ``mm``.
    data_dir
        The data folder; created, with empty tables, if it does not exist.
    skip_invalid
        Leave invalid rows out (and list them) instead of failing.
    report
        Write every problem, skip and merge here as CSV (file, line, column, value, message,
        hint, outcome), whether the import succeeds or fails. With ``skip_invalid`` and no
        report, ``problems.csv`` is written in the data folder when rows were left out.
    gazetteer
        Offline gazetteer; the default one if None.

    Returns
    -------
    FormatReport

    Raises
    ------
    DataError
        Without ``skip_invalid``, when any row is invalid (every problem listed); nothing is
        written.
    UsageError
        An unknown format.
    """
    if fmt not in LABELS:
        raise UsageError(f"--format {fmt}: not a format; use one of {', '.join(FORMATS)}")
    path, data_dir = Path(path), Path(data_dir)
    gaz = gazetteer or default_gazetteer()
    result = FormatReport(path, fmt, data_dir)
    mapped, result.encoding = map_file(path, fmt, gaz)
    result.total = mapped.total
    result.issues = list(mapped.issues)
    try:
        writes = _plan(mapped, result, data_dir, gaz, skip_invalid)
    except DataError:
        if report is not None:
            write_report(Path(report), result)
        raise
    if report is not None:
        write_report(Path(report), result)
    elif skip_invalid and any(i.outcome == INVALID for i in result.issues):
        write_report(data_dir / "problems.csv", result)
    if writes:
        data_dir.mkdir(parents=True, exist_ok=True)
        write_many(writes)
    return result


def map_file(path: Path, fmt: str, gaz: Gazetteer) -> tuple[Mapped, str]:
    """Read a file of a format and map its rows (no data folder involved)."""
    codes = CountryCodes.default()
    if fmt == "gdelt":
        frame, encoding = read_tsv(path, gdelt.GDELT_COLUMNS)
        return gdelt.map_gdelt(frame, path.name, codes), encoding
    if fmt == "acled":
        frame, encoding = read_table(path, acled.COLUMNS)
        return acled.map_acled(frame, path.name, codes), encoding
    if fmt == "ccc":
        frame, encoding = read_table(path, ccc.COLUMNS)
        return ccc.map_ccc(frame, path.name, codes), encoding
    frame, encoding = read_table(path, mm.COLUMNS)
    return mm.map_mm(frame, path.name, codes, _places(gaz, frame)), encoding


def _places(gaz: Gazetteer, frame: pd.DataFrame) -> mm.Places:
    gaz.prepare(p.strip() for text in frame["location"].unique()
                for p in mm._SPLIT.split(str(text)) if p.strip())

    def is_city(name: str, country: str) -> bool:
        return bool(gaz.candidates(name, country or None))

    return mm.Places(is_city, country_point)


@cache
def _country_points() -> dict[str, tuple[float, float]]:
    import shapely.geometry

    out = {}
    for feature in country_shapes()["features"]:
        code = feature["properties"].get("iso_a2")
        if code and code not in out:
            point = shapely.geometry.shape(feature["geometry"]).representative_point()
            out[code] = (round(point.y, 4), round(point.x, 4))
    return out


def country_point(code: str) -> tuple[float, float] | None:
    """A point inside a country (Natural Earth outline's representative point), or None."""
    return _country_points().get(code)


@dataclass
class _Tables:
    """The data folder's protests and venues as read."""

    protests_text: str
    protests: pd.DataFrame
    venues_text: str
    venues: pd.DataFrame
    photos_missing: bool


def _read_tables(data_dir: Path) -> _Tables:
    def one(name: str, columns: dict[str, bool]) -> tuple[str, pd.DataFrame]:
        p = data_dir / name
        if not p.is_file() or not p.read_bytes().strip():
            empty = pd.DataFrame({c: pd.Series([], dtype=object) for c in [*columns, LINE]})
            return "", empty
        read = read_csv_table(p, columns)
        if read.frame is None or read.problems:
            raise DataError(sorted(read.problems))
        return p.read_bytes().decode("utf-8-sig"), read.frame

    p_text, protests = one("protests.csv", dict(PROTEST_COLUMNS))
    v_text, venues = one("venues.csv", dict(VENUE_COLUMNS))
    return _Tables(p_text, protests, v_text, venues, not (data_dir / "photos.csv").is_file())


def _plan(mapped: Mapped, result: FormatReport, data_dir: Path, gaz: Gazetteer,
          skip_invalid: bool) -> dict[Path, bytes]:
    """Decide every row's outcome; return the files to write (empty: nothing to write)."""
    tables = _read_tables(data_dir) if data_dir.is_dir() else _Tables(
        "", pd.DataFrame(columns=[*PROTEST_COLUMNS, LINE]), "",
        pd.DataFrame(columns=[*VENUE_COLUMNS, LINE]), True)
    rows = mapped.rows.reset_index(drop=True)
    rows = pd.DataFrame({c: (rows[c] if c == LINE else rows[c].astype(object).fillna(""))
                         for c in rows.columns})  # plain str objects: fast to loop over
    rows = _drop_present(rows, tables.protests, result)
    names = place_names(gaz)
    proposals = propose_venues(rows, names, gaz)
    venue_keys = {v["id"]: venue_key(v["kind"], v["represents"] or v["name"], v["city"],
                                      v["country"])
                  for v in tables.venues.astype(object).to_dict("records")}
    rows["_venue"] = [(venue_key(p.kind, p.represents or f"{p.name}, {c}", c, k) if p else ())
                      for p, c, k in zip(proposals, rows["city"], rows["country"], strict=True)]
    duplicates = find_duplicates(rows, tables.protests, venue_keys)
    updates = _merge_updates(rows, duplicates, tables.protests, result)
    keep = np.array([i not in duplicates for i in range(len(rows))], dtype=bool)
    rows = rows[keep].reset_index(drop=True)
    proposals = [p for p, k in zip(proposals, keep, strict=True) if k]

    book = VenueBook(tables.venues.drop(columns=[LINE]).astype(object).to_dict("records"))
    venue_ids = []
    for p, city, country in zip(proposals, rows["city"], rows["country"], strict=True):
        venue_ids.append(book.venue_id(p, city, country)[0] if p else "")
    rows["venue_id"] = venue_ids

    if rows.empty and not updates:
        blocking = _blocking(result.issues)
        if blocking and not skip_invalid:
            raise DataError([Problem(i.file, i.line, i.column, f"{i.message}; {i.hint}")
                             for i in sorted(set(blocking))])
        if data_dir.is_dir() and not tables.photos_missing and tables.protests_text:
            return {}
    new_venues: list[dict[str, str]] = []
    added: set[str] = set()
    for _ in range(2):  # a second pass checks the tables without the rows the first rejected
        used = set(rows["venue_id"])
        added = {v["id"] for v in book.added if v["id"] in used}
        new_venues = [v for v in book.added if v["id"] in added]
        files, p_lines, v_lines = _merged_files(data_dir, tables, rows, updates, new_venues)
        problems = _validate(data_dir, files)
        bad = _on_new_rows(problems, p_lines, v_lines, result.path.name)
        if not bad:
            break
        result.issues += bad
        if not skip_invalid:
            raise DataError([Problem(i.file, i.line, i.column, f"{i.message}; {i.hint}")
                             for i in sorted(set(_blocking(result.issues)))])
        lines = {i.line for i in bad}
        rows = rows[~rows[LINE].isin(lines)].reset_index(drop=True)
    blocking = _blocking(result.issues)
    if blocking and not skip_invalid:
        raise DataError([Problem(i.file, i.line, i.column, f"{i.message}; {i.hint}")
                         for i in sorted(set(blocking))])
    result.imported = rows["id"].tolist()
    result.venues_added = [v["id"] for v in new_venues]
    result.venues_linked = int(sum(1 for vid in rows["venue_id"]
                                   if vid and vid not in added))
    if rows.empty and not updates and data_dir.is_dir() and not tables.photos_missing:
        return {}
    return files


def _blocking(issues: list[Issue]) -> list[Issue]:
    return [i for i in issues if i.outcome == INVALID]


def _drop_present(rows: pd.DataFrame, protests: pd.DataFrame,
                  result: FormatReport) -> pd.DataFrame:
    """Leave out rows whose id is in the data (or in an ``also_reported_as``), or repeated."""
    present = set(protests["id"].to_numpy(dtype=object))
    if "also_reported_as" in protests.columns:
        merged = protests["also_reported_as"]
        for value in merged[merged != ""].to_numpy(dtype=object):
            present.update(w for w in str(value).replace(";", " ").split() if "-" in w
                           and not w.startswith("http"))
    repeated = rows["id"].duplicated()
    there = rows["id"].isin(present).to_numpy()
    result.present = int(there.sum())
    for line, own in zip(rows.loc[repeated & ~there, LINE], rows.loc[repeated & ~there, "id"],
                         strict=True):
        result.issues.append(Issue(result.path.name, int(line), "", own,
                                   "the same id as an earlier row of this file",
                                   "left out; a dataset's ids are unique", SKIPPED,
                                   "repeated id in the file"))
    return rows[~there & ~repeated.to_numpy()].reset_index(drop=True)


def _merge_updates(rows: pd.DataFrame, duplicates: dict[int, Match], protests: pd.DataFrame,
                   result: FormatReport) -> dict[int, dict[str, str]]:
    """Cell updates to existing protests (by line) that absorb the duplicates."""
    updates: dict[int, dict[str, str]] = {}
    if not duplicates:
        return updates
    wanted = protests[protests["id"].isin([m.existing for m in duplicates.values()])]
    by_id = {r["id"]: r for r in wanted.astype(object).to_dict("records")}
    for i, match in sorted(duplicates.items()):
        row = rows.iloc[i]
        old = by_id[match.existing]
        line = int(old[LINE])
        cells = updates.setdefault(line, {})
        before = cells.get("also_reported_as", str(old.get("also_reported_as", "") or ""))
        entry = f"{row['id']} {row['source_url']}".strip()
        cells["also_reported_as"] = f"{before}; {entry}" if before else entry
        for column in ("organizer", "participants", "source_url"):
            if not str(old.get(column, "") or "") and not cells.get(column) and row[column]:
                cells[column] = row[column]
        result.merged.append((int(row[LINE]), row["id"], match.existing, match.why))
    return updates


def _merged_files(data_dir: Path, tables: _Tables, rows: pd.DataFrame,
                  updates: dict[int, dict[str, str]], new_venues: list[dict[str, str]]
                  ) -> tuple[dict[Path, bytes], dict[int, int], dict[int, int]]:
    """The new bytes of the tables; new lines of protests and venues → their input lines."""
    p_text = tables.protests_text
    header = header_of(p_text) or list(OUTPUT_COLUMNS)
    missing = [c for c in OUTPUT_COLUMNS if c not in header]
    p_text, header = with_columns(p_text, header, missing, updates)
    body, starts = encode_rows(rows, header)
    first = next_line(p_text)
    p_lines = {first + s: int(line) for s, line in zip(starts, rows[LINE], strict=True)}
    v_text = tables.venues_text
    v_header = header_of(v_text) or list(VENUE_COLUMNS)
    v_text, v_header = with_columns(v_text, v_header, [], {})
    venue_frame = pd.DataFrame(new_venues, columns=list(VENUE_COLUMNS), dtype=object).fillna("")
    v_body, v_starts = encode_rows(venue_frame, v_header)
    v_first = next_line(v_text)
    owner = {vid: int(line) for vid, line in zip(rows["venue_id"], rows[LINE], strict=True)
             if vid}
    v_lines = {v_first + s: owner.get(v["id"], 0) for s, v in zip(v_starts, new_venues,
                                                                   strict=True)}
    files = {data_dir / "protests.csv": (p_text + body).encode("utf-8"),
             data_dir / "venues.csv": (v_text + v_body).encode("utf-8")}
    if tables.photos_missing:
        files[data_dir / "photos.csv"] = (",".join(PHOTO_COLUMNS) + "\n").encode("utf-8")
    return files, p_lines, v_lines


def _validate(data_dir: Path, files: dict[Path, bytes]) -> list[Problem]:
    """The problems of the merged tables (:func:`geo.importing._appending.check_merged`)."""
    return check_merged(data_dir, {p.name: content for p, content in files.items()})


def _on_new_rows(problems: list[Problem], p_lines: dict[int, int], v_lines: dict[int, int],
                 name: str) -> list[Issue]:
    """Problems of the merged tables, as issues on the input lines the rows came from.

    Raises
    ------
    DataError
        For a problem not on a new row: the data folder itself needs fixing first.
    """
    out, other = [], []
    for p in problems:
        if p.file == "protests.csv" and p.line in p_lines:
            line = p_lines[p.line]
            out.append(Issue(name, line, p.column, "", p.message, "correct the input row or "
                             "use --skip-invalid", INVALID, f"{p.column}: rejected by validation"))
        elif p.file == "venues.csv" and p.line in v_lines:
            out.append(Issue(name, v_lines[p.line], "venue", "", f"(new venue) {p.message}",
                             "correct the input row or use --skip-invalid", INVALID,
                             "venue rejected by validation"))
        else:
            other.append(p)
    if other:
        raise DataError([*other, Problem("", 0, "", "fix the data folder first (protest-map "
                                         "validate lists its problems), then import again")])
    return out


