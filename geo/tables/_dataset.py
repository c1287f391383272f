"""Read the CSV tables of a data folder and validate them.

:func:`load_dataset` reads ``protests.csv``, ``venues.csv``, ``photos.csv`` and ``context.csv``,
checks every rule of the data contract (:mod:`geo.tables.rules`) and raises one
:class:`~geo.errors.DataError` listing every problem, each naming file, line and column; or, with
``skip_invalid``, leaves out the rows with a problem (and the rows that need them) and says so.
Each file is read by :func:`geo.tables.csvfile.read_csv_table`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import numpy as np
import pandas as pd

from geo.errors import DataError, Problem, Problems, UsageError
from geo.places.gazetteer import Gazetteer, default_gazetteer
from geo.schema import CONTEXT_COLUMNS, PARTS, PHOTO_COLUMNS, PROTEST_COLUMNS, VENUE_COLUMNS
from geo.tables.columns import LINE, Cells, problems_at
from geo.tables.csvfile import CsvTable, read_csv_table
from geo.tables.rules import photo_source_kinds, validate

if TYPE_CHECKING:
    import dask.dataframe as dd


TABLES: Final = {
    "protests.csv": (PROTEST_COLUMNS, True),
    "venues.csv": (VENUE_COLUMNS, True),
    "photos.csv": (PHOTO_COLUMNS, False),
    "context.csv": (CONTEXT_COLUMNS, False),
}
"""Each table's contract columns and whether the file is required."""



@dataclass
class Dataset:
    """The validated tables of one data folder.

    Attributes
    ----------
    data_dir
        The folder the tables were read from (photo paths are relative to it).
    protests, venues, photos, context
        One DataFrame per table, values as stripped strings (pandas ``str`` dtype); column
        ``_line`` holds the line each row starts on, and ``lat``/``lon`` of venues and context
        are floats (NaN if blank). Extra columns of the files are kept. ``protests`` is a lazy
        dask DataFrame when the folder holds ``protests.parquet/`` instead of ``protests.csv``
        (:mod:`geo.tables.partitions`; ``_line`` is then the row in its part file).
    warnings
        Approximations worth telling the user about (not errors).
    problems
        With ``skip_invalid``: the problems of the rows left out (those rows, and the rows that
        need them: protests at a venue left out, photos of a protest left out); else empty.
    rows
        Rows read per file, before any was left out.
    left_out
        Rows left out per file (``skip_invalid``).
    """

    data_dir: Path
    protests: pd.DataFrame | dd.DataFrame
    venues: pd.DataFrame
    photos: pd.DataFrame
    context: pd.DataFrame
    warnings: Problems = field(default_factory=Problems)
    problems: Problems = field(default_factory=Problems)
    rows: dict[str, int] = field(default_factory=dict)
    left_out: dict[str, int] = field(default_factory=dict)


def load_dataset(data_dir: str | Path = "data", gazetteer: Gazetteer | None = None, *,
                 skip_invalid: bool = False) -> Dataset:
    """Read and validate ``protests.csv``, ``venues.csv``, ``photos.csv`` and ``context.csv``.

    Parameters
    ----------
    data_dir
        Folder holding the tables. ``photos.csv`` and ``context.csv`` are optional; a
        partitioned ``protests.parquet/`` may stand in for ``protests.csv``.
    gazetteer
        Offline gazetteer for country codes and places without coordinates; the default one if
        None.
    skip_invalid
        Leave out each row with a problem instead of raising: a protest, photo or context row
        with a problem; a venue with a problem and the protests at it; the photos of a protest
        left out. ``Dataset.problems`` lists why. Problems that make a whole file unreadable (a
        missing file or required column, bytes that are not UTF-8, an unclosed quote) still
        raise.

    Returns
    -------
    Dataset

    Raises
    ------
    DataError
        With every problem found in every table (and the warnings, and the rows read per file).
    UsageError
        ``skip_invalid`` with a partitioned ``protests.parquet/``.

    Examples
    --------
    >>> ds = load_dataset("data")
    >>> len(ds.protests), ds.protests.loc[0, "_line"]
    (9, np.int64(2))
    """
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        raise DataError([_no_folder(data_dir)])
    gaz = gazetteer or default_gazetteer()
    parts = data_dir / PARTS
    partitioned = not (data_dir / "protests.csv").exists() and parts.exists()
    if partitioned and skip_invalid:
        raise UsageError(f"{data_dir} holds protests.parquet/: leaving out invalid rows works on "
                         "protests.csv only; fix the problems in the parts instead")
    read = {}
    for name in sorted(TABLES, key=lambda n: n != "venues.csv"):  # venues first: see below
        columns, required = TABLES[name]
        path = data_dir / name
        if partitioned and name == "protests.csv":
            read[name] = CsvTable(None, [], "")  # checked part by part below
        elif required or path.exists():
            read[name] = read_csv_table(path, columns)
        else:
            read[name] = CsvTable(empty_table(columns), [], "")
        if name == "venues.csv" and _has_blank_point(read[name].frame):
            gaz.warm()  # some venue is placed at its city: index the cities while reading on
    read = {name: read[name] for name in TABLES}
    problems = Problems(p for r in read.values() for p in r.problems)
    # leaving rows out, a table that lost a ragged row still serves to check references
    complete = {n: (r.frame is not None) if skip_invalid else r.complete for n, r in read.items()}
    checked = validate({n: r.frame for n, r in read.items()}, complete, gaz)
    problems += checked.problems
    warnings = checked.warnings
    tables: dict[str, Any] = dict(checked.tables)
    photos = tables["photos.csv"]
    if photos is not None:
        problems += check_photo_files(photos, data_dir)
    if partitioned:
        from geo.tables.partitions import check_parts

        venues = tables["venues.csv"] if read["venues.csv"].complete else None
        found, warned, tables["protests.csv"] = check_parts(
            parts, venues, photos if read["photos.csv"].complete else None, gaz)
        problems += found
        warnings += warned
    rows = {n: len(r.frame) for n, r in read.items() if r.frame is not None}
    warnings = warnings.as_severity("warning")
    if problems and (not skip_invalid or any(read[n].frame is None for n in read)
                     or any(not b.lines.all() for b in problems.batches())):
        raise DataError(problems.sorted(), warnings=warnings.sorted(), rows=rows)
    ds = Dataset(data_dir, tables["protests.csv"], tables["venues.csv"], tables["photos.csv"],
                 tables["context.csv"], warnings.sorted(), rows=rows)
    return _leave_out(ds, problems) if problems else ds


def _leave_out(ds: Dataset, problems: Problems) -> Dataset:
    """Leave out the rows with a problem, and the protests and photos that need them."""
    bad = {name: problems.lines(name) for name in TABLES}
    venues = ds.venues
    gone = venues[LINE].isin(bad["venues.csv"]).to_numpy()
    protests = ds.protests
    venue_id = protests["venue_id"]
    at_gone = ((venue_id != "") & venue_id.isin(venues.loc[gone, "id"])
               & ~venue_id.isin(venues.loc[~gone, "id"])).to_numpy()
    own = protests[LINE].isin(bad["protests.csv"]).to_numpy()
    venue_line = dict(zip(venues.loc[gone, "id"][::-1], venues.loc[gone, LINE][::-1],
                          strict=True))
    ids = Cells(venue_id)
    problems += problems_at(
        "protests.csv", protests, at_gone & ~own, "venue_id",
        lambda i: f"venue {ids[i]!r} (venues.csv line {venue_line[str(ids[i])]}) is left out "
                  "for its own problem, so this protest is left out too; fix the venue",
        rule="venue-left-out", hint="fix the venue's row in venues.csv")
    drop_p = own | at_gone
    photos = ds.photos
    pid = photos["protest_id"]
    own_ph = photos[LINE].isin(bad["photos.csv"]).to_numpy()
    of_gone = (pid.isin(protests.loc[drop_p, "id"]) & ~pid.isin(protests.loc[~drop_p, "id"])
               ).to_numpy()
    problems += problems_at("photos.csv", photos, of_gone & ~own_ph, "protest_id",
                            "its protest is left out for a problem, so this photo is left out "
                            "too; fix the protest", rule="protest-left-out",
                            hint="fix the protest's row in protests.csv")
    drop_ph = own_ph | of_gone
    drop_c = ds.context[LINE].isin(bad["context.csv"]).to_numpy()
    drops = {"protests.csv": drop_p, "venues.csv": gone, "photos.csv": drop_ph,
             "context.csv": drop_c}
    frames = {"protests.csv": protests, "venues.csv": venues, "photos.csv": photos,
              "context.csv": ds.context}
    dropped_lines = {n: frames[n].loc[d, LINE].to_numpy() for n, d in drops.items()}
    kept = {n: frames[n].loc[~d].reset_index(drop=True) for n, d in drops.items()}
    return Dataset(ds.data_dir, kept["protests.csv"], kept["venues.csv"], kept["photos.csv"],
                   kept["context.csv"], ds.warnings.without(dropped_lines), problems.sorted(),
                   ds.rows, {n: int(d.sum()) for n, d in drops.items()})


def _has_blank_point(venues: pd.DataFrame | None) -> bool:
    if venues is None or not {"lat", "lon"} <= set(venues.columns):
        return False
    return bool(((venues["lat"] == "") | (venues["lon"] == "")).any())


def empty_table(columns: Mapping[str, bool]) -> pd.DataFrame:
    """Make an empty table with the given columns and the line column."""
    frame = pd.DataFrame({c: pd.Series([], dtype="str") for c in columns})
    frame[LINE] = pd.Series([], dtype=np.int64)
    return frame


def check_photo_files(photos: pd.DataFrame, data_dir: Path) -> Problems:
    """Check that a photo ``src`` that is a relative path names a file in the data folder.

    Each distinct path is looked up once; a symbolic link leading out of the folder counts as
    missing.
    """
    _, _, local = photo_source_kinds(photos)
    src = photos["src"]
    cells = Cells(src)
    root = data_dir.resolve()
    missing = []
    for path in src[local].unique():
        target = (root / path).resolve()
        if not (target.is_file() and target.is_relative_to(root)):
            missing.append(path)
    return problems_at("photos.csv", photos, local & src.isin(missing), "src",
                       lambda i: f"{cells[i]!r}: no such file in {data_dir}; add the image "
                                 "there, or leave src blank for a caption-only entry",
                       rule="missing-photo-file")


def _no_folder(data_dir: Path) -> Problem:
    """Why ``data_dir`` is no data folder (missing, a file, under a file), and the fix."""
    fix = "give the folder that holds protests.csv and venues.csv with --data DIR"
    try:
        data_dir.stat()
    except FileNotFoundError:
        return Problem(str(data_dir), 0, "", f"no such folder; {fix}")
    except NotADirectoryError:
        return Problem(str(data_dir), 0, "", f"no such folder: a part of that path is a file; "
                       f"{fix}")
    except OSError as exc:
        return Problem(str(data_dir), 0, "", f"cannot read the folder: "
                       f"{exc.strerror or exc}; {fix}")
    return Problem(str(data_dir), 0, "", f"is a file, not a folder; {fix}")
