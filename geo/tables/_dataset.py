"""Read the CSV tables of a data folder and validate them.

:func:`load_dataset` reads ``protests.csv``, ``venues.csv``, ``photos.csv`` and ``context.csv``,
checks every rule of the data contract (:mod:`geo.tables.rules`) and raises one
:class:`~geo.errors.DataError` listing every problem, each naming file, line and column.
Each file is read by :func:`geo.tables.csvfile.read_csv_table`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import numpy as np
import pandas as pd

from geo.errors import DataError, Problem
from geo.places.gazetteer import Gazetteer, default_gazetteer
from geo.schema import CONTEXT_COLUMNS, PARTS, PHOTO_COLUMNS, PROTEST_COLUMNS, VENUE_COLUMNS
from geo.tables.columns import LINE, problems_at
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
    """

    data_dir: Path
    protests: pd.DataFrame | dd.DataFrame
    venues: pd.DataFrame
    photos: pd.DataFrame
    context: pd.DataFrame
    warnings: list[Problem] = field(default_factory=list)


def load_dataset(data_dir: str | Path = "data", gazetteer: Gazetteer | None = None) -> Dataset:
    """Read and validate ``protests.csv``, ``venues.csv``, ``photos.csv`` and ``context.csv``.

    Parameters
    ----------
    data_dir
        Folder holding the tables. ``photos.csv`` and ``context.csv`` are optional; a
        partitioned ``protests.parquet/`` may stand in for ``protests.csv``.
    gazetteer
        Offline gazetteer for country codes and places without coordinates; the default one if
        None.

    Returns
    -------
    Dataset

    Raises
    ------
    DataError
        With every problem found in every table.

    Examples
    --------
    >>> ds = load_dataset("data")
    >>> len(ds.protests), ds.protests.loc[0, "_line"]
    (9, np.int64(2))
    """
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        raise DataError([Problem(str(data_dir), 0, "", "no such folder; give the folder that "
                                 "holds protests.csv and venues.csv with --data DIR")])
    gaz = gazetteer or default_gazetteer()
    parts = data_dir / PARTS
    partitioned = not (data_dir / "protests.csv").exists() and parts.exists()
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
    problems = [p for r in read.values() for p in r.problems]
    checked = validate({n: r.frame for n, r in read.items()},
                       {n: r.complete for n, r in read.items()}, gaz)
    problems += checked.problems
    warnings = list(checked.warnings)
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
    if problems:
        raise DataError(sorted(problems))
    return Dataset(data_dir, tables["protests.csv"], tables["venues.csv"], tables["photos.csv"],
                   tables["context.csv"], sorted(warnings))


def _has_blank_point(venues: pd.DataFrame | None) -> bool:
    if venues is None or not {"lat", "lon"} <= set(venues.columns):
        return False
    return bool(((venues["lat"] == "") | (venues["lon"] == "")).any())


def empty_table(columns: Mapping[str, bool]) -> pd.DataFrame:
    """Make an empty table with the given columns and the line column."""
    frame = pd.DataFrame({c: pd.Series([], dtype="str") for c in columns})
    frame[LINE] = pd.Series([], dtype=np.int64)
    return frame


def check_photo_files(photos: pd.DataFrame, data_dir: Path) -> list[Problem]:
    """Check that a photo ``src`` that is a relative path names a file in the data folder.

    Each distinct path is looked up once; a symbolic link leading out of the folder counts as
    missing.
    """
    _, _, local = photo_source_kinds(photos)
    src = photos["src"]
    root = data_dir.resolve()
    missing = []
    for path in src[local].unique():
        target = (root / path).resolve()
        if not (target.is_file() and target.is_relative_to(root)):
            missing.append(path)
    return problems_at("photos.csv", photos, local & src.isin(missing), "src",
                       lambda i: f"{src.iat[i]!r}: no such file in {data_dir}; add the image "
                                 "there, or leave src blank for a caption-only entry")
