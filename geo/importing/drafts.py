"""``protest-map import``: merge reviewed draft rows into a data folder.

For each draft row with ``status`` ``held``:

* its venue is the row's ``venue_id`` if that id is in ``venues.csv``; else, when the row names
  a venue, an existing venue of the same city, country, kind (a consulate matches an honorary
  consulate) and ``represents`` (for public places and unnamed sites: the same name); else a
  new venue, added to ``venues.csv`` without coordinates (``protest-map geocode`` fills them
  in). A row without ``venue_name``, ``venue_kind`` and ``venue_id`` has no venue (it is
  placed at its city);
* ids left blank are made with :func:`geo.tables.rules.slugify`: protests
  ``DATE-CITY-VENUE`` (``2011-12-16-berlin-embassy``), venues ``REPRESENTS-KIND-CITY`` for
  missions (``kz-embassy-berlin``), ``COMPANY-CITY`` for company sites (``telia-stockholm``),
  else the venue's name; ``-2``, ``-3`` ... when taken;
* a row with the same date, city and venue as a protest already in the data (or an earlier
  draft row) is reported and skipped.

Rows with ``status`` ``planned`` are reported and skipped: the data holds protests that took
place; import a planned row after it has happened, with ``status`` ``held`` and its real date.

The merged tables are validated with :func:`geo.tables.load_dataset` before anything is
written; a problem in a draft row is reported as ``DRAFTS.csv:LINE: column: message`` and
nothing is written. ``protests.csv`` and ``venues.csv`` are then replaced together
(:func:`geo._atomic.write_many`), their existing bytes untouched and the new rows appended.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

import pandas as pd

from geo._atomic import write_many
from geo.errors import DataError, Problem, UsageError
from geo.importing._appending import check_merged, header_of
from geo.places.gazetteer import Gazetteer, default_gazetteer
from geo.places.names import normalize
from geo.schema import MISSION_KINDS, PROTEST_COLUMNS, VENUE_COLUMNS
from geo.tables import LINE, read_csv_table
from geo.tables.cells import encode_field
from geo.tables.columns import slugify, unique_slug

DRAFT_READ_COLUMNS = {
    **{c: c in ("date", "city", "country", "summary") for c in PROTEST_COLUMNS},
    "venue_name": False, "venue_kind": False, "represents": False, "status": True,
}
"""Draft columns import reads, mapped to whether the header must have them."""

STATUSES = ("held", "planned")
SUMMARY_MISSING = ("summary is blank; write what happened in your own words (the evidence "
                   "column quotes the report for you)")
_KIND_FAMILY = {"honorary_consulate": "consulate"}
_MERGED = ("protests.csv", "venues.csv")
_VENUE_TO_DRAFT = {"id": "venue_id", "name": "venue_name", "kind": "venue_kind"}
"""``venues.csv`` column names as the draft calls them (others are the same)."""


@dataclass
class ImportReport:
    """What an import did.

    Attributes
    ----------
    drafts, data_dir
        The files merged.
    protests, venues
        Ids of the protests and venues added.
    skipped
        One message per draft row not imported, naming its line and why.
    """

    drafts: Path
    data_dir: Path
    protests: list[str] = field(default_factory=list)
    venues: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        n, v = len(self.protests), len(self.venues)
        if n:
            lines = [f"{self.drafts.name}: added {n} protest{'s' * (n != 1)} to "
                     f"{self.data_dir / 'protests.csv'}: {', '.join(self.protests)}"]
        else:
            lines = [f"{self.drafts.name}: nothing imported; {self.data_dir} is unchanged"]
        if v:
            lines.append(f"added {v} venue{'s' * (v != 1)} without coordinates to "
                         f"{self.data_dir / 'venues.csv'}: {', '.join(self.venues)}; next: "
                         f"protest-map geocode --data {self.data_dir}")
        lines += [f"skipped {s}" for s in self.skipped]
        return "\n".join(lines)


@dataclass
class _Table:
    """A data table as read: its bytes, columns, rows, and the rows to append."""

    path: Path
    raw: bytes
    frame: pd.DataFrame
    header: list[str]
    new: list[tuple[int, dict[str, str]]] = field(default_factory=list)

    def merged(self) -> tuple[bytes, dict[int, int]]:
        """The file with the new rows appended, and each new row's line → its draft line."""
        text = self.raw.decode("utf-8-sig")
        ending = "\r\n" if "\r\n" in text else "\n"
        if not text.strip():
            text = ",".join(encode_field(h) for h in self.header) + ending
        elif not text.endswith(("\n", "\r")):
            text += ending
        line = text.count("\n") + 1
        lines: dict[int, int] = {}
        parts = []
        for draft_line, row in self.new:
            record = ",".join(encode_field(row.get(h, "")) for h in self.header) + ending
            lines[line] = draft_line
            line += record.count("\n")
            parts.append(record)
        bom = b"\xef\xbb\xbf" if self.raw.startswith(b"\xef\xbb\xbf") else b""
        return bom + (text + "".join(parts)).encode("utf-8"), lines


def import_drafts(drafts_path: str | Path, data_dir: str | Path = "data",
                  gazetteer: Gazetteer | None = None) -> ImportReport:
    """Merge the held rows of a reviewed draft file into a data folder.

    Parameters
    ----------
    drafts_path
        A draft CSV (from ``protest-map extract``), reviewed: ``summary`` filled in, rows
        corrected or deleted.
    data_dir
        The data folder (it must exist); ``protests.csv`` and ``venues.csv`` are created in it
        if missing.
    gazetteer
        Offline gazetteer (to compare cities); the default one if None.

    Returns
    -------
    ImportReport

    Raises
    ------
    DataError
        Listing every problem, draft rows as ``DRAFTS.csv:LINE: column: message``; nothing
        is written.
    UsageError
        The data folder does not exist.
    """
    drafts_path, data_dir = Path(drafts_path), Path(data_dir)
    if not data_dir.is_dir():
        raise UsageError(f"--data {data_dir}: no such folder; give the data folder, or create "
                         "an empty one to start a new dataset")
    gaz = gazetteer or default_gazetteer()
    read = read_csv_table(drafts_path, DRAFT_READ_COLUMNS)
    drafts, problems = read.frame, list(read.problems)
    if drafts is None or problems:
        raise DataError(sorted(problems))
    protests = _read_table(data_dir / "protests.csv", PROTEST_COLUMNS)
    venues = _read_table(data_dir / "venues.csv", VENUE_COLUMNS)
    report = ImportReport(drafts_path, data_dir)
    problems += _plan(drafts, drafts_path.name, protests, venues, gaz, report)
    if protests.new:
        problems += _validate(data_dir, drafts_path.name, protests, venues, gaz)
    if problems:
        raise DataError(sorted(set(problems)))
    if protests.new:
        write_many({protests.path: protests.merged()[0], venues.path: venues.merged()[0]})
    return report


def _read_table(path: Path, columns: dict[str, bool]) -> _Table:
    if not path.exists():
        frame = pd.DataFrame({c: pd.Series([], dtype=object) for c in [*columns, LINE]})
        return _Table(path, b"", frame, list(columns))
    read = read_csv_table(path, columns)
    frame = read.frame
    if frame is None or read.problems:
        raise DataError(sorted(read.problems))
    raw = path.read_bytes()
    header = header_of(raw.decode("utf-8-sig")) or list(columns)  # as the file has it
    return _Table(path, raw, frame, header)


def _plan(drafts: pd.DataFrame, name: str, protests: _Table, venues: _Table, gaz: Gazetteer,
          report: ImportReport) -> list[Problem]:
    """Decide, row by row, what to add and what to skip; check what only drafts have."""
    problems: list[Problem] = []
    taken_protests = set(protests.frame["id"])
    taken_venues = set(venues.frame["id"])
    seen: dict[tuple[str, str, str], str] = {}
    for r in protests.frame.to_dict("records"):
        key = (r["date"], _place_key(r["city"], r["country"], gaz), r["venue_id"])
        seen.setdefault(key, f"protest {r['id']!r} (protests.csv line {r[LINE]})")
    known_venues = venues.frame.to_dict("records")
    for row in drafts.to_dict("records"):
        line = int(row[LINE])
        where = f"{name}:{line}"
        status = row["status"].casefold()
        if status not in STATUSES:
            problems.append(Problem(name, line, "status", f"{row['status']!r} is not a status; "
                                    "use held (imported) or planned (skipped)"))
            continue
        if status == "planned":
            report.skipped.append(f"{where}: planned protest ({row['city']}, "
                                  f"{row['date'] or 'no date'}); import it once it has taken "
                                  "place, with status held and its date")
            continue
        if row["venue_kind"] and not row["venue_name"] and not row["venue_id"]:
            problems.append(Problem(name, line, "venue_name", "venue_kind is set but the venue "
                                    "has no name; name it (e.g. 'Embassy of Kazakhstan, "
                                    "Berlin') or clear venue_kind to place the protest at its "
                                    "city"))
            continue
        venue_id, new_venue = _venue(row, known_venues, taken_venues, gaz)
        key = (row["date"], _place_key(row["city"], row["country"], gaz), venue_id)
        if key in seen:
            report.skipped.append(f"{where}: same date, city and venue as {seen[key]}; not "
                                  "imported again")
            continue
        lost = [c for c in PROTEST_COLUMNS if row[c] and c not in protests.header]
        if lost:
            problems += [Problem(name, line, c, f"protests.csv has no {c} column, so this value "
                                 f"would be lost; add {c} to its header (and a blank field to "
                                 "its rows), or clear the value") for c in lost]
            continue
        protest_id = row["id"] or unique_slug(_protest_slug(row), taken_protests)
        taken_protests.add(protest_id)
        seen[key] = f"{name} line {line}"
        if new_venue is not None:
            known_venues.append(new_venue)
            taken_venues.add(venue_id)
            venues.new.append((line, new_venue))
            report.venues.append(venue_id)
        protests.new.append((line, {**{c: row[c] for c in PROTEST_COLUMNS},
                                    "id": protest_id, "venue_id": venue_id}))
        report.protests.append(protest_id)
    return problems


def _venue(row: dict[str, str], known: list[dict[str, str]], taken: set[str],
           gaz: Gazetteer) -> tuple[str, dict[str, str] | None]:
    """The venue id of a draft row, and the new venue to add (None if it exists or none)."""
    given = row["venue_id"]
    if given and given in taken:
        return given, None
    if not (given or row["venue_name"] or row["venue_kind"]):
        return "", None
    place = _place_key(row["city"], row["country"], gaz)
    if not given:
        for v in known:
            if (_place_key(v["city"], v["country"], gaz) == place
                    and _same_venue(v, row)):
                return v["id"], None
    venue_id = given or unique_slug(_venue_slug(row), taken)
    new = {"id": venue_id, "name": row["venue_name"], "kind": row["venue_kind"],
           "represents": row["represents"], "city": row["city"], "country": row["country"]}
    return venue_id, new


def _same_venue(v: dict[str, str], row: dict[str, str]) -> bool:
    kind = _KIND_FAMILY.get(v["kind"], v["kind"])
    if kind != _KIND_FAMILY.get(row["venue_kind"], row["venue_kind"]):
        return False
    if row["represents"] or v["represents"]:
        return normalize(v["represents"]) == normalize(row["represents"])
    return normalize(v["name"]) == normalize(row["venue_name"])


def _place_key(city: str, country: str, gaz: Gazetteer) -> str:
    """Cities compare by their gazetteer place (Köln = Cologne), else by name."""
    found = gaz.candidates(city, country or None) if city else []
    return found[0].source if found else f"{normalize(city)}|{country}"


def _venue_slug(row: dict[str, str]) -> str:
    kind, rep, city = row["venue_kind"], row["represents"], row["city"]
    if kind in MISSION_KINDS and rep:
        return slugify(f"{rep} {kind} {city}")
    if rep:
        return slugify(f"{rep} {city}")
    name = slugify(row["venue_name"])
    return name if slugify(city) in name else slugify(f"{row['venue_name']} {city}")


def _protest_slug(row: dict[str, str]) -> str:
    kind = row["venue_kind"]
    if kind in MISSION_KINDS:
        what = "embassy" if kind == "embassy" else "consulate"
    elif row["represents"]:
        what = row["represents"]
    else:
        what = row["venue_name"].split(",")[0]
    return slugify(f"{row['date']} {row['city']} {what}")


def _validate(data_dir: Path, name: str, protests: _Table, venues: _Table,
              gaz: Gazetteer) -> list[Problem]:
    """The problems ``load_dataset`` finds in the merged tables.

    The merged ``protests.csv`` and ``venues.csv`` are written to a temporary folder inside
    the data folder, beside hard links to (or, where linking fails, copies of) everything else
    in it (photos, ``context.csv``), and loaded from there. A problem on an appended line is
    reported on the draft line it came from.
    """
    p_bytes, p_lines = protests.merged()
    v_bytes, v_lines = venues.merged()
    problems = check_merged(data_dir, {"protests.csv": p_bytes, "venues.csv": v_bytes}, gaz)
    found = [_relabel(p, name, p_lines, v_lines) for p in problems]
    # a value the new protest and its new venue share is reported once, for the protest
    said = {(p.line, p.column) for p in found if p.file == name and "(new venue)" not in p.message}
    return [p for p in found if not ("(new venue)" in p.message and (p.line, p.column) in said)]


def _relabel(p: Problem, name: str, p_lines: dict[int, int], v_lines: dict[int, int]) -> Problem:
    """A problem on an appended row, moved to the draft line it came from.

    Lines named in its message are moved too: a line of the merged file (the first use of an
    id, a new venue) becomes the draft line it came from, any other the data file's line.
    """
    if p.file == "protests.csv" and p.line in p_lines:
        message = SUMMARY_MISSING if p.column == "summary" and "blank" in p.message else p.message
        message = _MERGED_LINE.sub(lambda m: _where(m, "protests.csv", name, p_lines, v_lines),
                                   message)
        return Problem(name, p_lines[p.line], p.column, message)
    if p.file == "venues.csv" and p.line in v_lines:
        message = _MERGED_LINE.sub(lambda m: _where(m, "venues.csv", name, p_lines, v_lines),
                                   p.message)
        return Problem(name, v_lines[p.line], _VENUE_TO_DRAFT.get(p.column, p.column),
                       f"(new venue) {message}")
    return p


_MERGED_LINE: Final = re.compile(r"\((first used on line|venues\.csv line) ([0-9]{1,12})\)")
"""A line of a merged file named in a problem's message: an id's first use, or a venue's."""


def _where(match: re.Match[str], file: str, name: str, p_lines: dict[int, int],
           v_lines: dict[int, int]) -> str:
    """A merged file's line named in a message, as the draft's line or the data file's."""
    what, line = match.group(1), int(match.group(2))
    if what.startswith("venues"):
        file = "venues.csv"
    lines = v_lines if file == "venues.csv" else p_lines
    where = f"{name} line {lines[line]}" if line in lines else f"{file} line {line}"
    return f"(first used on {where})" if what.startswith("first") else f"({where})"
