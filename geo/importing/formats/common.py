"""What every format's mapping shares: output columns, issues, and vectorised cell helpers.

Pure functions of DataFrames of strings (as :func:`geo.tables.read_csv_table` reads them: one
column per input column, stripped strings, column ``_line`` = the input line each row starts on).
No file is read or written here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Final

import numpy as np
import pandas as pd

from geo.schema import PROTEST_COLUMNS
from geo.tables.columns import LINE

NEW_COLUMNS: Final = ("region", "end_date", "lat", "lon", "precision", "location")
"""The optional ``protests.csv`` columns of the data contract the formats fill in."""

PROVENANCE: Final = ("source", "also_reported_as")
"""Extra columns every imported row carries: its dataset and own id (``acled:KAZ1234``), and the
other datasets' records merged into it as duplicates."""

OUTPUT_COLUMNS: Final = tuple(dict.fromkeys((*PROTEST_COLUMNS, *NEW_COLUMNS, *PROVENANCE)))
"""Columns of a mapped row, in the order they are written to ``protests.csv``."""

TEXT: Final = "_text"
"""Column of a mapped row holding the source's text about the place (for venue rules)."""

INVALID: Final = "invalid"
SKIPPED: Final = "skipped"


@dataclass(frozen=True, order=True)
class Issue:
    """One input row that is not imported as it stands, or one thing wrong with it.

    Parameters
    ----------
    file
        Input file name as shown to the user.
    line
        Input line the row starts on (the header is line 1 where there is one).
    column
        The input column at fault, or ``""``.
    value
        The value found (shortened).
    message
        What is wrong.
    hint
        How to fix it, or what was done instead.
    outcome
        ``"invalid"`` (a bad row: the import fails unless ``--skip-invalid``) or ``"skipped"``
        (a row the format leaves out by rule: not a protest, no geography).
    reason
        Short label the summary counts by ("not a protest: Riots").
    """

    file: str
    line: int
    column: str
    value: str
    message: str
    hint: str
    outcome: str = INVALID
    reason: str = ""

    def __str__(self) -> str:
        col = f" {self.column}:" if self.column else ""
        value = f" {self.value!r}" if self.value else ""
        return f"{self.file}:{self.line}:{col}{value} {self.message}; {self.hint}"


@dataclass
class Mapped:
    """A source table mapped onto ``protests.csv`` columns.

    Attributes
    ----------
    rows
        One row per input row that maps: :data:`OUTPUT_COLUMNS`, ``_line`` and ``_text``, all
        strings.
    issues
        The input rows left out (skipped by rule, or invalid), and every problem found.
    total
        Input rows read (blank lines not counted).
    """

    rows: pd.DataFrame
    issues: list[Issue] = field(default_factory=list)
    total: int = 0


def blank_rows(n: int, index: pd.Index | None = None) -> pd.DataFrame:
    """A frame of ``n`` rows with every output column (and ``_text``) blank."""
    index = index if index is not None else pd.RangeIndex(n)
    return pd.DataFrame({c: pd.Series("", index=index, dtype=object)
                         for c in (*OUTPUT_COLUMNS, TEXT)})


def col(frame: pd.DataFrame, name: str) -> pd.Series:
    """A column as plain strings (blank if the column is missing)."""
    if name not in frame.columns:
        return pd.Series("", index=frame.index, dtype=object)
    return frame[name].fillna("").astype(str)


def first_present(frame: pd.DataFrame, *names: str) -> pd.Series:
    """Per row, the first non-blank value among the columns ``names`` (missing ones skipped)."""
    out = pd.Series("", index=frame.index, dtype=object)
    for name in names:
        values = col(frame, name)
        out = out.where(out != "", values)
    return out


def issues_at(file: str, frame: pd.DataFrame, mask: pd.Series | np.ndarray, column: str,
              message: str | Callable[[str], str], hint: str, *, outcome: str = INVALID,
              reason: str = "", values: pd.Series | None = None) -> list[Issue]:
    """One :class:`Issue` per row where ``mask`` holds.

    Parameters
    ----------
    file, frame
        The input's name and its rows (with ``_line``).
    mask
        Rows at fault.
    column
        Input column named in the issue.
    message
        Text, or a function of the row's value.
    hint
        How to fix it.
    outcome, reason
        See :class:`Issue`; ``reason`` defaults to ``message`` when that is a string.
    values
        The values to quote; defaults to ``frame[column]``.
    """
    mask = np.asarray(mask, dtype=bool)
    if not mask.any():
        return []
    vals = (values if values is not None else col(frame, column))[mask].tolist()
    lines = frame.loc[mask, LINE].astype(int).tolist()
    out = []
    for line, value in zip(lines, vals, strict=True):
        text = message(value) if callable(message) else message
        out.append(Issue(file, line, column, shorten(value), text, hint, outcome,
                         reason or (message if isinstance(message, str) else column)))
    return out


def shorten(value: str, width: int = 80) -> str:
    """A value cut to ``width`` characters for messages.

    Examples
    --------
    >>> shorten("x" * 100, 10)
    'xxxxxxxxx…'
    """
    return value if len(value) <= width else value[:width - 1] + "…"


def parse_dates(values: pd.Series, formats: Sequence[str]) -> pd.Series:
    """Dates written in any of ``formats``, as ``YYYY-MM-DD`` (blank where none fits).

    Each format is tried, in order, on the values no earlier one could read.

    Examples
    --------
    >>> parse_dates(pd.Series(["2011-12-16", "16 December 2011", "x"]),
    ...             ["%Y-%m-%d", "%d %B %Y"]).tolist()
    ['2011-12-16', '2011-12-16', '']
    """
    out = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
    todo = values != ""
    for fmt in formats:
        if not todo.any():
            break
        parsed = pd.to_datetime(values[todo], format=fmt, errors="coerce")
        out[todo] = parsed
        todo = todo & out.isna()
    return out.dt.strftime("%Y-%m-%d").fillna("").astype(object)


def date_from_parts(year: pd.Series, month: pd.Series, day: pd.Series) -> pd.Series:
    """``YYYY-MM-DD`` from three columns of numbers (blank where they are not a real date).

    Examples
    --------
    >>> date_from_parts(pd.Series(["1990", "1991"]), pd.Series(["2", "2"]),
    ...                 pd.Series(["28", "30"])).tolist()
    ['1990-02-28', '']
    """
    parts = pd.DataFrame({"year": pd.to_numeric(year, errors="coerce"),
                          "month": pd.to_numeric(month, errors="coerce"),
                          "day": pd.to_numeric(day, errors="coerce")})
    ok = parts.notna().all(axis=1) & parts["year"].between(1000, 9999)
    out = pd.Series("", index=year.index, dtype=object)
    if ok.any():
        dates = pd.to_datetime(parts[ok].astype(int), errors="coerce")
        out[ok] = dates.dt.strftime("%Y-%m-%d").fillna("")
    return out


def parse_points(lat: pd.Series, lon: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Decimal degrees checked for range: ``(lat, lon, bad)``, strings blank where unusable.

    ``bad`` is True where a value is given but is not a number in [-90, 90] / [-180, 180], or
    only one of the two is given. The point 0, 0 (a common placeholder) counts as missing.

    Examples
    --------
    >>> la, lo, bad = parse_points(pd.Series(["54.68", "", "91"]), pd.Series(["25.28", "", "1"]))
    >>> la.tolist(), lo.tolist(), bad.tolist()
    (['54.68', '', ''], ['25.28', '', ''], [False, False, True])
    """
    y = pd.to_numeric(lat.str.replace(",", ".", regex=False), errors="coerce")
    x = pd.to_numeric(lon.str.replace(",", ".", regex=False), errors="coerce")
    given = (lat != "") | (lon != "")
    ok = y.between(-90, 90) & x.between(-180, 180) & ~((y == 0) & (x == 0))
    bad = given & ~ok & ~((y == 0) & (x == 0))
    out_lat = lat.str.replace(",", ".", regex=False).where(ok, "")
    out_lon = lon.str.replace(",", ".", regex=False).where(ok, "")
    return out_lat.astype(object), out_lon.astype(object), bad


def id_slugs(prefix: str, raw: pd.Series) -> pd.Series:
    """Ids ``PREFIX-OWNID`` made slug-safe (lower case letters, digits and ``-``).

    Examples
    --------
    >>> id_slugs("acled", pd.Series(["KAZ1234", "USA 56/7"])).tolist()
    ['acled-kaz1234', 'acled-usa-56-7']
    """
    slug = raw.str.lower().str.replace(r"[^a-z0-9]+", "-", regex=True).str.strip("-")
    return (prefix + "-" + slug).where(slug != "", "").astype(object)


_NUMBER = re.compile(r"^[0-9]+(?:\.0+)?$")


def whole_number(values: pd.Series) -> pd.Series:
    """``"200"`` for ``"200"`` or ``"200.0"``; other text as given.

    Examples
    --------
    >>> whole_number(pd.Series(["200.0", "dozens", ""])).tolist()
    ['200', 'dozens', '']
    """
    numeric = values.str.fullmatch(r"[0-9]+(?:\.0+)?")
    return values.where(~numeric, values.str.replace(r"\.0+$", "", regex=True)).astype(object)


def join_text(parts: Sequence[pd.Series], sep: str = " ") -> pd.Series:
    """Non-blank parts joined with ``sep``, row by row."""
    out = pd.Series("", index=parts[0].index, dtype=object)
    for part in parts:
        part = part.fillna("").astype(str)
        glue = np.where((out != "") & (part != ""), sep, "")
        out = out + glue + part
    return out.astype(object)


def sentence(values: pd.Series) -> pd.Series:
    """Text ending in a full stop (blank stays blank)."""
    ends = values.str.contains(r"[.!?]$", regex=True)
    return values.where(ends | (values == ""), values + ".").astype(object)
