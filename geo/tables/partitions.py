"""Protests that do not fit in memory: a partitioned Parquet table, read and checked with dask.

A data folder holds its protests either as ``protests.csv`` or, when there are too many for
memory, as ``protests.parquet/``: a folder of Parquet files (one partition each) with the
columns of ``protests.csv``. :func:`geo.tables.load_dataset` then hands out the protests as a
lazy dask DataFrame, and :func:`geo.join.join_events` returns a dask-geopandas GeoDataFrame,
which :func:`geo.export.write_parquet` writes as partitioned GeoParquet. Venues, photos and
context stay
CSV files in memory (thousands of rows, not millions).

Each part file is checked with the same rules as ``protests.csv``
(:func:`geo.tables.rules.check_protests`), one part at a time; problems name the part file and the
row in it (1-based). Rules that span parts are checked on the id column alone: ids unique
across parts, and every photo's ``protest_id`` known.

Examples
--------
Splitting a big ``protests.csv`` into parts with pyarrow, streaming (see docs/scale-tables.md)::

    import pyarrow as pa, pyarrow.csv, pyarrow.dataset
    from geo.schema import PARTS, PROTEST_COLUMNS
from geo.tables.columns import LINE, index_in, problems_at
from geo.tables.rules import check_protests
    reader = pyarrow.csv.open_csv("protests.csv", convert_options=pyarrow.csv.ConvertOptions(
        column_types=dict.fromkeys(PROTEST_COLUMNS, pa.string())),
        parse_options=pyarrow.csv.ParseOptions(newlines_in_values=True))
    pyarrow.dataset.write_dataset(reader, "big/protests.parquet", format="parquet",
                                  max_rows_per_file=1_000_000, max_rows_per_group=100_000)
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import dask
import dask.dataframe as dd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from geo.errors import Problem, Problems
from geo.places.gazetteer import Gazetteer
from geo.schema import PARTS, PROTEST_COLUMNS
from geo.tables.columns import LINE, index_in, problems_at
from geo.tables.rules import check_protests


def part_files(root: Path) -> list[Path]:
    """List the Parquet files of a partitioned table (a folder, searched recursively) by name."""
    return sorted(root.rglob("*.parquet")) if root.is_dir() else [root]


def read_part(path: Path, columns: list[str] | None = None) -> pd.DataFrame:
    """Read one part file as a protests table.

    Every column becomes stripped strings (nulls blank; dates and numbers in their ISO text)
    and ``_line`` holds the row's number in the file (1-based). When all columns are read,
    optional contract columns that are missing are added blank; required ones that are missing
    stay missing (see :func:`check_parts`).
    """
    table = pq.read_table(path, columns=columns)
    cols = [pc.utf8_trim_whitespace(pc.fill_null(c.cast(pa.large_string()), ""))
            for c in table.columns]
    frame = pa.table(cols, names=table.column_names).combine_chunks().to_pandas()
    for c, required in PROTEST_COLUMNS.items():
        if columns is None and c not in frame and not required:
            frame[c] = pd.Series("", index=frame.index, dtype="str")
    frame[LINE] = np.arange(1, len(frame) + 1, dtype=np.int64)
    return frame


def open_parts(root: Path) -> dd.DataFrame:
    """Open the protests of a partitioned table as a lazy dask DataFrame, a partition per file."""
    files = part_files(root)
    return dd.from_map(read_part, files, meta=read_part(files[0]).iloc[:0])


def check_parts(root: Path, venues: pd.DataFrame | None, photos: pd.DataFrame | None,
                gaz: Gazetteer) -> tuple[list[Problem], list[Problem], dd.DataFrame | None]:
    """Every protests rule over a partitioned table, one part at a time.

    Parameters
    ----------
    root
        The ``protests.parquet`` folder.
    venues
        Checked venues (for ``venue_id``); None to skip the checks that need them.
    photos
        Checked photos, whose ``protest_id`` must be a protest id; None to skip.
    gaz
        For country codes and cities.

    Returns
    -------
    problems, warnings : list of Problem
        Problems name ``protests.parquet/PART`` and the row in that part.
    protests : dask DataFrame or None
        None when the table cannot be read (no part file, a required column missing).
    """
    files = part_files(root)
    if not files:
        return [Problem(PARTS, 0, "", f"no .parquet file in {root}; write the protests there "
                        "(see docs/scale-tables.md), or use protests.csv")], [], None
    names = {f: f"{PARTS}/{f.relative_to(root).as_posix()}" if root.is_dir() else PARTS
             for f in files}
    found = dask.compute(*[dask.delayed(_check_part)(f, names[f], venues, gaz) for f in files])
    problems = [p for part, _ in found for p in part]
    warnings = [w for _, part in found for w in part]
    if any(p.line == 0 for p in problems):
        return problems, warnings, None
    protests = open_parts(root)
    problems += _duplicates_across_parts(files, names)
    if photos is not None:
        problems += _unknown_photo_protests(protests, photos)
    return problems, warnings, protests


def _check_part(path: Path, name: str, venues: pd.DataFrame | None,
                gaz: Gazetteer) -> tuple[Sequence[Problem], Sequence[Problem]]:
    frame = read_part(path)
    missing = [c for c, required in PROTEST_COLUMNS.items() if required and c not in frame]
    if missing:
        return [Problem(name, 0, c, f"required column {c!r} is missing; expected columns: "
                        f"{','.join(PROTEST_COLUMNS)}") for c in missing], []
    return check_protests(name, frame, venues, gaz)


def _duplicates_across_parts(files: list[Path], names: dict[Path, str]) -> list[Problem]:
    """Ids used in more than one part (repeats inside a part are found part by part)."""
    ids = dd.from_map(lambda f: pd.DataFrame({"id": read_part(f, ["id"])["id"], "part": names[f]}),
                      files, meta=pd.DataFrame({"id": pd.Series([], dtype="str"),
                                                "part": pd.Series([], dtype="str")}))
    per_part = ids.drop_duplicates()
    counts = per_part["id"].value_counts()
    shared = counts[counts > 1].compute()
    if shared.empty:
        return []
    problems: list[Problem] = []
    first: dict[str, tuple[str, int]] = {}
    for f in files:  # only the parts' id columns, for the few shared ids
        frame = read_part(f, ["id"])
        rows = frame[index_in(frame["id"], pd.Series(shared.index)) >= 0]
        for pid, line in zip(rows["id"], rows[LINE], strict=True):
            if pid not in first:
                first[pid] = (names[f], int(line))
            elif first[pid][0] != names[f]:
                where, at = first[pid]
                problems.append(Problem(names[f], int(line), "id",
                                        f"duplicate id {pid!r} (first used in {where} row {at}); "
                                        "every row needs its own id"))
    return problems


def _unknown_photo_protests(protests: dd.DataFrame, photos: pd.DataFrame) -> Problems:
    wanted = pd.Series(photos["protest_id"].unique())
    known = protests["id"].map_partitions(
        lambda s: s[index_in(s, wanted) >= 0], meta=protests["id"]._meta).unique().compute()
    bad = (photos["protest_id"] != "").to_numpy() & (index_in(photos["protest_id"],
                                                               pd.Series(known)) < 0)
    return problems_at("photos.csv", photos, bad, "protest_id",
                       lambda i: f"unknown protest_id {photos['protest_id'].iat[i]!r}: no row of "
                                 f"{PARTS} has this id; add it there or fix the spelling",
                       rule="unknown-reference")
