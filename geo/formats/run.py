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

import csv
import io
import os
import pickle
import shutil
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Final

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from geo.atomic import write_many
from geo.checks import LINE
from geo.csvcells import encode_field, replace_cells
from geo.errors import DataError, Problem, UsageError
from geo.extract.places import PlaceNames, place_names
from geo.forked import Forked
from geo.gazetteer import Gazetteer, country_shapes, default_gazetteer
from geo.names import normalize
from geo.schema import PHOTO_COLUMNS, PROTEST_COLUMNS, VENUE_COLUMNS
from geo.tables import load_dataset, read_csv_table

from . import acled, ccc, gdelt, mm
from .common import INVALID, OUTPUT_COLUMNS, SKIPPED, TEXT, Issue, Mapped
from .countries import CountryCodes
from .dedupe import Match, find_duplicates
from .reading import read_table, read_tsv
from .venues import Proposal, VenueBook, propose_venue

FORMATS: Final = ("drafts", "acled", "gdelt", "ccc", "mm")
"""Values of ``--format`` (``drafts`` is :func:`geo.importing.import_drafts`)."""

LABELS: Final = {"acled": "ACLED", "gdelt": "GDELT 2.0 events", "ccc": "Crowd Counting Consortium",
                 "mm": "Mass Mobilization"}
REPORT_COLUMNS: Final = ("file", "line", "column", "value", "message", "hint", "outcome")
_CHECK_PREFIX = ".protest-map-import-"
PARALLEL_MIN: Final = 2000
"""Texts to read for venues from which half are read in a forked child (two cores)."""
_UNPLACEABLE = "is not in the offline gazetteer"
_FAMILY = {"honorary_consulate": "consulate"}


@dataclass
class FormatReport:
    """What an import of a dataset did (or would have done, when it failed).

    Attributes
    ----------
    path, fmt, data_dir
        The input, its format and the data folder.
    total
        Input rows read.
    imported
        Ids of the protests added.
    merged
        ``(input line, new id, existing id, why)`` of each duplicate merged.
    present
        Input rows already in the data.
    issues
        Rows skipped by rule, invalid rows, and every problem found.
    venues_linked, venues_added
        Imported rows given an existing venue; ids of the venues added.
    encoding
        How the input was decoded.
    """

    path: Path
    fmt: str
    data_dir: Path
    total: int = 0
    imported: list[str] = field(default_factory=list)
    merged: list[tuple[int, str, str, str]] = field(default_factory=list)
    present: int = 0
    issues: list[Issue] = field(default_factory=list)
    venues_linked: int = 0
    venues_added: list[str] = field(default_factory=list)
    encoding: str = "utf-8"

    def outcomes(self) -> Counter[str]:
        """Input rows by outcome; the counts add up to :attr:`total`."""
        counts: Counter[str] = Counter()
        counts["imported"] = len(self.imported)
        counts["merged as duplicate"] = len(self.merged)
        counts["already present"] = self.present
        by_line: dict[int, Issue] = {}
        for issue in self.issues:
            if issue.outcome in (SKIPPED, INVALID):
                by_line.setdefault(issue.line, issue)
        for issue in by_line.values():
            label = "skipped" if issue.outcome == SKIPPED else "invalid, left out"
            counts[f"{label}: {issue.reason}"] += 1
        return counts

    def __str__(self) -> str:
        counts = self.outcomes()
        head = ", ".join(f"{n} {label}" for label, n in counts.items() if n
                         and not label.startswith(("skipped", "invalid")))
        lines = [f"{self.path.name} ({LABELS.get(self.fmt, self.fmt)}, {self.encoding}): "
                 f"{self.total} rows: {head or 'nothing imported'}"]
        lines += [f"  {n} {label}" for label, n in sorted(counts.items())
                  if n and label.startswith(("skipped", "invalid"))]
        v = len(self.venues_added)
        lines.append(f"venues: {self.venues_linked} rows linked to an existing venue, {v} "
                     f"venue{'s' * (v != 1)} added without coordinates"
                     + (f" (next: protest-map geocode --data {self.data_dir})" if v else ""))
        for line, new, old, why in self.merged[:10]:
            lines.append(f"duplicate: line {line} {new} = {old} ({why}); kept as {old}")
        if len(self.merged) > 10:
            lines.append(f"... and {len(self.merged) - 10} more duplicates (see --report)")
        return "\n".join(lines)

    def report_rows(self) -> list[dict[str, str]]:
        """Rows of the ``--report`` CSV: every issue, and each duplicate merged."""
        rows = [{"file": i.file, "line": str(i.line), "column": i.column, "value": i.value,
                 "message": i.message, "hint": i.hint, "outcome": i.outcome}
                for i in sorted(self.issues)]
        rows += [{"file": self.path.name, "line": str(line), "column": "", "value": new,
                  "message": f"the same protest as {old} ({why})",
                  "hint": f"merged: {old} keeps it and lists {new} in also_reported_as",
                  "outcome": "merged"} for line, new, old, why in self.merged]
        return rows


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
            _write_report(Path(report), result)
        raise
    if report is not None:
        _write_report(Path(report), result)
    elif skip_invalid and any(i.outcome == INVALID for i in result.issues):
        _write_report(data_dir / "problems.csv", result)
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
    proposals = _proposals(rows, names, gaz)
    venue_keys = {v["id"]: _venue_key(v["kind"], v["represents"] or v["name"], v["city"],
                                      v["country"])
                  for v in tables.venues.astype(object).to_dict("records")}
    rows["_venue"] = [(_venue_key(p.kind, p.represents or f"{p.name}, {c}", c, k) if p else ())
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
    for _ in range(100):  # each pass leaves out the rows the last validation rejected
        used = set(rows["venue_id"])
        added = {v["id"] for v in book.added if v["id"] in used}
        new_venues = [v for v in book.added if v["id"] in added]
        files, p_lines, v_lines = _merged_files(data_dir, tables, rows, updates, new_venues)
        problems = _validate(data_dir, files, rows)
        bad = _on_new_rows(problems, p_lines, v_lines, rows, result.path.name)
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


def _venue_key(kind: str, what: str, city: str, country: str) -> tuple[str, ...]:
    return (_FAMILY.get(kind, kind), normalize(what), normalize(city), country)


def _proposals(rows: pd.DataFrame, names: object, gaz: Gazetteer) -> list[Proposal | None]:
    """Each row's venue from its text, where its city is one the gazetteer can place."""
    from .venues import VENUE_CUE, WINDOW

    out: list[Proposal | None] = [None] * len(rows)
    if rows.empty:
        return out
    text = pa.array(rows[TEXT].astype(str).to_numpy(dtype=object), pa.string())
    where = pc.find_substring_regex(text, VENUE_CUE).to_numpy(zero_copy_only=False)
    hits = np.flatnonzero(where >= 0)
    if not len(hits):
        return out
    cities = rows["city"].to_numpy()
    countries = rows["country"].to_numpy()
    gaz.prepare({cities[i] for i in hits})
    texts = text.take(pa.array(hits)).to_pylist()
    windows: dict[str, int] = {}
    keys = []
    for i, t in zip(hits.tolist(), texts, strict=True):
        at = int(where[i])  # a byte offset: in characters for text that is not ASCII
        if not t.isascii():
            at = len(t.encode("utf-8")[:at].decode("utf-8", errors="ignore"))
        window = t[max(0, at - WINDOW):at + 2 * WINDOW]  # the same text, the same venue
        windows.setdefault(window, at - max(0, at - WINDOW))
        keys.append(window)
    found = _propose_many(list(windows.items()), names)  # type: ignore[arg-type]
    for i, window in zip(hits.tolist(), keys, strict=True):
        p = found[window]
        if p is not None and gaz.candidates(cities[i], countries[i] or None):
            out[i] = p
    return out


def _propose_many(windows: list[tuple[str, int]], names: PlaceNames,
                  ) -> dict[str, Proposal | None]:
    """:func:`propose_venue` of each window; a large batch is shared with a forked child."""
    if len(windows) < PARALLEL_MIN or not hasattr(os, "fork"):
        return {w: propose_venue(w, names, at) for w, at in windows}
    half = len(windows) // 2
    with tempfile.TemporaryDirectory(prefix="protest-map-venues-") as tmp:
        result = Path(tmp) / "first-half.pickle"

        def first() -> None:
            found = [propose_venue(w, names, at) for w, at in windows[:half]]
            result.write_bytes(pickle.dumps(found))

        child = Forked(first)
        second = [propose_venue(w, names, at) for w, at in windows[half:]]
        child.wait()
        found = pickle.loads(result.read_bytes())
    return {w: p for (w, _), p in zip(windows, [*found, *second], strict=True)}


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
    header = _header(p_text) or list(OUTPUT_COLUMNS)
    missing = [c for c in OUTPUT_COLUMNS if c not in header]
    p_text, header = _with_columns(p_text, header, missing, updates)
    body, starts = encode_rows(rows, header)
    first = _next_line(p_text)
    p_lines = {first + s: int(line) for s, line in zip(starts, rows[LINE], strict=True)}
    v_text = tables.venues_text
    v_header = _header(v_text) or list(VENUE_COLUMNS)
    v_text, v_header = _with_columns(v_text, v_header, [], {})
    venue_frame = pd.DataFrame(new_venues, columns=list(VENUE_COLUMNS)).fillna("")
    v_body, v_starts = encode_rows(venue_frame, v_header)
    v_first = _next_line(v_text)
    owner = {vid: int(line) for vid, line in zip(rows["venue_id"], rows[LINE], strict=True)
             if vid}
    v_lines = {v_first + s: owner.get(v["id"], 0) for s, v in zip(v_starts, new_venues,
                                                                   strict=True)}
    files = {data_dir / "protests.csv": (p_text + body).encode("utf-8"),
             data_dir / "venues.csv": (v_text + v_body).encode("utf-8")}
    if tables.photos_missing:
        files[data_dir / "photos.csv"] = (",".join(PHOTO_COLUMNS) + "\n").encode("utf-8")
    return files, p_lines, v_lines


def _header(text: str) -> list[str]:
    for record in csv.reader(io.StringIO(text)):
        if any(f.strip() for f in record):
            return [f.strip() for f in record]
    return []


def _with_columns(text: str, header: list[str], missing: list[str],
                  updates: dict[int, dict[str, str]]) -> tuple[str, list[str]]:
    """The table's text with columns added and cells updated, ending in a line break."""
    if not text.strip():
        return ",".join(encode_field(h) for h in [*header, *missing]) + "\n", [*header, *missing]
    if missing or updates:
        first_data = _first_data_line(text)
        todo = {k: dict(v) for k, v in updates.items()}
        if missing:
            if first_data is None:
                lines = text.splitlines(keepends=True)
                ending = "\r\n" if lines[0].endswith("\r\n") else "\n"
                lines[0] = lines[0].rstrip("\r\n") + "," + ",".join(missing) + ending
                text = "".join(lines)
            else:
                todo.setdefault(first_data, {}).update(
                    {c: todo.get(first_data, {}).get(c, "") for c in missing})
        if todo:
            text = replace_cells(text, todo)
        header = [*header, *[c for c in missing if c not in header]]
        header = _header(text)
    if not text.endswith(("\n", "\r")):
        text += "\r\n" if "\r\n" in text else "\n"
    return text, header


def _first_data_line(text: str) -> int | None:
    reader = csv.reader(io.StringIO(text))
    seen_header = False
    start = 1
    for record in reader:
        if any(f.strip() for f in record):
            if seen_header:
                return start
            seen_header = True
        start = reader.line_num + 1
    return None


def _next_line(text: str) -> int:
    """The line a record appended to ``text`` (which ends in a line break) starts on."""
    return text.count("\n") + 1 if "\n" in text else text.count("\r") + 1


def encode_rows(frame: pd.DataFrame, header: list[str]) -> tuple[str, list[int]]:
    r"""CSV records of ``frame``'s rows in ``header`` order, and each record's line offset.

    Vectorised with Arrow: a value is quoted (``"`` doubled) only when it holds a comma, a
    quote, a line break or spaces at either end, as :func:`geo.csvcells.encode_field` does.

    Examples
    --------
    >>> text, starts = encode_rows(pd.DataFrame({"a": ["x", 'x"y'], "b": ["1,2", "y\nz"]}),
    ...                            ["a", "b", "c"])
    >>> text, starts
    ('x,"1,2",\n"x""y","y\nz",\n', [0, 1])
    """
    n = len(frame)
    if n == 0:
        return "", []
    cells = []
    breaks = np.zeros(n, dtype=np.int64)
    for name in header:
        if name not in frame.columns:
            cells.append(pa.array([""] * n, pa.string()))
            continue
        values = frame[name]
        if values.dtype != object:
            values = values.astype(object).fillna("")
        arr = pa.array(values.to_numpy(dtype=object), pa.string())
        if not pc.any(pc.not_equal(arr, "")).as_py():
            cells.append(arr)
            continue
        quote = pc.or_(pc.match_substring_regex(arr, '[,"\r\n]'),
                       pc.not_equal(arr, pc.utf8_trim_whitespace(arr)))
        quoted = pc.binary_join_element_wise("\"", pc.replace_substring(arr, '"', '""'), "\"",
                                             "")
        cells.append(pc.if_else(quote, quoted, arr))
        breaks += pc.count_substring(arr, "\n").to_numpy(zero_copy_only=False)
    lines = pc.binary_join_element_wise(*cells, ",")
    text = "\n".join(lines.to_pylist()) + "\n"
    starts = np.concatenate([[0], np.cumsum(breaks + 1)[:-1]]).tolist()
    return text, starts


def _validate(data_dir: Path, files: dict[Path, bytes], rows: pd.DataFrame) -> list[Problem]:
    """The problems :func:`geo.tables.load_dataset` finds in the merged tables.

    The new tables are written to a temporary folder (inside the data folder when it exists,
    with hard links to everything else in it) and loaded from there. A protest with its own
    lat/lon is placed by them, so the gazetteer need not know its city: that one rule of
    today's checks is waived for such rows.
    """
    parent = data_dir if data_dir.is_dir() else None
    with tempfile.TemporaryDirectory(prefix=_CHECK_PREFIX, dir=parent) as tmp:
        folder = Path(tmp)
        if parent is not None:
            shutil.copytree(data_dir, folder, dirs_exist_ok=True, copy_function=_link_or_copy,
                            ignore=lambda d, names: [
                                n for n in names if n.startswith(_CHECK_PREFIX)
                                or (Path(d) == data_dir and folder / n in
                                    {folder / p.name for p in files})])
        for p, content in files.items():
            (folder / p.name).write_bytes(content)
        try:
            load_dataset(folder)
        except DataError as exc:
            return exc.problems
    return []


def _link_or_copy(src: str, dst: str) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def _on_new_rows(problems: list[Problem], p_lines: dict[int, int], v_lines: dict[int, int],
                 rows: pd.DataFrame, name: str) -> list[Issue]:
    """Problems of the merged tables, as issues on the input lines the rows came from.

    Raises
    ------
    DataError
        For a problem not on a new row: the data folder itself needs fixing first.
    """
    own_point = dict(zip(rows[LINE].astype(int), (rows["lat"] != "") & (rows["lon"] != ""),
                         strict=True))
    out, other = [], []
    for p in problems:
        if p.file == "protests.csv" and p.line in p_lines:
            line = p_lines[p.line]
            if p.column == "city" and _UNPLACEABLE in p.message and own_point.get(line):
                continue
            out.append(Issue(name, line, p.column, "", p.message, "correct the input row or "
                             "use --skip-invalid", INVALID, f"{p.column}: rejected by validation"))
        elif p.file == "venues.csv" and p.line in v_lines:
            out.append(Issue(name, v_lines[p.line], "venue", "", f"(new venue) {p.message}",
                             "correct the input row or use --skip-invalid", INVALID,
                             "venue rejected by validation"))
        elif p.line == 0 and "more" in p.message and (p.file in ("protests.csv", "venues.csv")):
            continue
        else:
            other.append(p)
    if other:
        raise DataError([*other, Problem("", 0, "", "fix the data folder first (protest-map "
                                         "validate lists its problems), then import again")])
    return out


def _write_report(path: Path, result: FormatReport) -> None:
    from geo.atomic import atomic_open

    with atomic_open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(REPORT_COLUMNS))
        writer.writeheader()
        writer.writerows(result.report_rows())


def summary_counts(result: FormatReport) -> dict[str, int]:
    """Input rows by outcome (a plain dict, for tests and scripts)."""
    return dict(result.outcomes())

