"""Column-level rules shared by every table: required values, ids, dates, codes, links, choices.

Pure functions of a DataFrame (values stripped strings, ``_line`` the row's line in its file),
vectorised with pandas/pyarrow. Every offending row is found; :func:`problems_at` keeps them as
one :class:`~geo.errors.Batch` per check, whose messages are formatted only when read.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import cache
from typing import Final

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from geo.errors import Batch, Message, Problems
from geo.places.gazetteer import Gazetteer
from geo.places.names import normalize

LINE: Final = "_line"
"""Name of the column holding each row's physical line number in its file."""


# Patterns keep to what pyarrow's RE2 and Python's re agree on (no \s, \d, $ or lookarounds),
# so that pandas runs them on the Arrow strings instead of falling back to Python.
SPACE: Final = r" \t\r\n\f\v"


SLUG: Final = r"[A-Za-z0-9][A-Za-z0-9._-]*"


DATE: Final = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"


YEARS: Final = (1000, 2999)
"""The first and last year of a date the whole pipeline handles (Python's and the page's dates,
pandas, the exports); outside them a date is refused, not left to crash a build."""


HTTP_URL: Final = rf"(?i)https?://[^{SPACE}/$.?#][^{SPACE}]*"


SCHEME: Final = r"[A-Za-z][A-Za-z0-9+.-]*:"


HTML_TAG: Final = rf"</?[A-Za-z][A-Za-z0-9]*(?:[{SPACE}][^<>]*)?/?>"


DECIMAL_COMMA: Final = r"[+-]?[0-9]+,[0-9]+"
"""Venue kinds whose ``represents`` is a country code."""


def problems_at(file: str, frame: pd.DataFrame, mask: pd.Series | np.ndarray, column: str,
                message: Message, *, rule: str = "", hint: Message | None = None) -> Problems:
    """Make one :class:`~geo.errors.Problem` per row where ``mask`` holds, formatted lazily.

    Parameters
    ----------
    file, column
        Where, as the user sees it. The row's value in ``column`` (if ``frame`` has it) is the
        problem's ``value``.
    frame
        The table (for the ``_line`` column).
    mask
        True for the rows with the problem, aligned with ``frame``.
    message
        The text, or a function of the row's position in ``frame`` that returns it (called only
        for the problems read: a console shows a few, a report all).
    rule
        Short name of the check (``"bad-date"``), to group its problems by.
    hint
        How to fix it (text or function of the row); by default the end of the message after
        its first ``"; "``.

    Returns
    -------
    Problems
        Every offending row, in table order.
    """
    rows = np.flatnonzero(np.asarray(mask, dtype=bool))
    if not len(rows):
        return Problems()
    lines = frame[LINE].to_numpy()[rows]
    values = frame[column].iloc[rows].to_numpy(dtype=object) if column in frame else None
    return Problems([Batch(file, column, lines, rows, message, values=values, hint=hint,
                           rule=rule)])


class Cells:
    """Values of a column by row position, for message functions called row by row.

    The first few reads use :attr:`pandas.Series.iat`; then the column is turned into one numpy
    array once (reading an Arrow string with ``iat`` costs about 15 µs, from an array 0.2 µs), so
    that a report of a million problems does not take minutes.

    Given ``rows`` (a mask, aligned with ``series``), only those rows' values are kept (and only
    they may be read): the problems a build keeps to report then hold a few values, not the
    whole column of a table that is let go of (at a million venues, 0.3 GB).

    Examples
    --------
    >>> Cells(pd.Series(["a", "b"], dtype="str"))[1]
    'b'
    >>> Cells(pd.Series(["a", "b", "c"], dtype="str"), rows=np.array([False, True, True]))[2]
    'c'
    """

    __slots__ = ("_array", "_positions", "_reads", "_series")

    def __init__(self, series: pd.Series, rows: np.ndarray | pd.Series | None = None) -> None:
        self._positions: np.ndarray | None = None
        if rows is not None:
            self._positions = np.flatnonzero(np.asarray(rows, dtype=bool))
            series = series.iloc[self._positions].reset_index(drop=True)
        self._series = series
        self._array: np.ndarray | None = None
        self._reads = 0

    def __getitem__(self, i: int) -> object:
        if self._positions is not None:
            i = int(np.searchsorted(self._positions, i))
        if self._array is None:
            self._reads += 1
            if self._reads <= 100:
                return self._series.iat[i]
            self._array = self._series.to_numpy(dtype=object)
        return self._array[i]


def index_in(values: pd.Series, targets: pd.Series) -> np.ndarray:
    """Position of each value in ``targets`` (-1 if absent); a hash lookup in Arrow."""
    found = pc.index_in(pa.array(values, type=pa.large_string()),
                        value_set=pa.array(targets, type=pa.large_string()))
    return np.array(found.fill_null(-1), dtype=np.int64)


def check_required(file: str, frame: pd.DataFrame, columns: Mapping[str, bool]) -> Problems:
    """Check that required columns are not blank."""
    out = Problems()
    for col, required in columns.items():
        if required:
            out += problems_at(file, frame, frame[col] == "", col,
                               f"{col} is required but blank; fill it in", rule="blank-required")
    return out


def check_ids(file: str, frame: pd.DataFrame, column: str) -> Problems:
    """Ids are unique slugs (letters, digits, '-', '_', '.'; a letter or digit first).

    Each repeat names the line of the first use.
    """
    values = frame[column]
    v = Cells(values)
    first_use = ~values.duplicated(keep="first")
    dup = ~first_use & (values != "")
    bad_slug = (values != "") & ~values.str.fullmatch(SLUG)

    @cache
    def first() -> pd.Series:
        """The line of each id's first use (made when a repeat's message is read)."""
        return frame.loc[first_use, [column, LINE]].set_index(column)[LINE]

    return (
        problems_at(file, frame, dup, column,
                    lambda i: f"duplicate {column} {v[i]!r} (first used on line "
                              f"{first()[v[i]]}); every row needs its own {column}",
                    rule="duplicate-id")
        + problems_at(file, frame, bad_slug, column,
                      lambda i: f"{v[i]!r} is not a valid id; use letters, digits, '-', "
                                f"'_' and '.' only (e.g. {slugify(str(v[i])) or 'my-id'!r})",
                      rule="bad-id")
    )


def slugify(text: str) -> str:
    """Turn text into an id slug.

    Examples
    --------
    >>> slugify("Graz Consulate, Österreich")
    'graz-consulate-osterreich'
    """
    return re.sub(r"[^a-z0-9]+", "-", normalize(text)).strip("-")


def unique_slug(slug: str, taken: set[str], default: str = "row") -> str:
    """``slug`` (or ``default`` when blank), numbered ``-2``, ``-3`` … until not in ``taken``.

    Examples
    --------
    >>> unique_slug("berlin", {"berlin", "berlin-2"}), unique_slug("", set(), "venue")
    ('berlin-3', 'venue')
    """
    slug = slug or default
    candidate, n = slug, 1
    while candidate in taken:
        n += 1
        candidate = f"{slug}-{n}"
    return candidate


def parse_dates(values: pd.Series) -> pd.Series:
    """Each value as a date: NaT where blank, not written YYYY-MM-DD or not a calendar date."""
    return pd.to_datetime(values.where(values.str.fullmatch(DATE)), format="%Y-%m-%d",
                          errors="coerce")


def check_dates(file: str, frame: pd.DataFrame, column: str,
                dates: pd.Series | None = None) -> Problems:
    """Dates must be real calendar dates written YYYY-MM-DD in the years of :data:`YEARS`.

    Blank is left to :func:`check_required`. ``dates`` are the values as
    :func:`parse_dates` reads them, when the caller has them already.
    """
    values = frame[column]
    parsed = parse_dates(values) if dates is None else dates
    bad = parsed.isna() & (values != "")
    year = parsed.dt.year  # NaN where not a date
    out_of_range = ((year < YEARS[0]) | (year > YEARS[1])).to_numpy(dtype=bool)  # NaN: False
    v = Cells(values)
    return (problems_at(file, frame, bad, column,
                        lambda i: f"{v[i]!r} is not a date (expected YYYY-MM-DD); write "
                                  "the day it happened, e.g. 2011-12-16", rule="bad-date")
            + problems_at(file, frame, out_of_range, column,
                          lambda i: f"{v[i]!r} is outside the years {YEARS[0]}-{YEARS[1]} the "
                                    "map can show; check the year (e.g. 2011-12-16)",
                          rule="date-out-of-range"))


def check_date_order(file: str, frame: pd.DataFrame, start: str, end: str,
                     dates: tuple[pd.Series, pd.Series] | None = None) -> Problems:
    """``end`` is not before ``start`` (blanks and bad dates are left to the other checks).

    ``dates`` are both columns as :func:`parse_dates` reads them, when the caller has them.
    """
    first, last = (parse_dates(frame[start]), parse_dates(frame[end])) if dates is None else dates
    bad = (last < first).to_numpy(dtype=bool)  # NaT compares False
    begins, ends = Cells(frame[start]), Cells(frame[end])
    return problems_at(file, frame, bad, end,
                       lambda i: f"{ends[i]!r} is before the {start} {begins[i]!r}; {end} is the "
                                 "last day of a protest that spans days: swap the two dates, or "
                                 f"leave {end} blank for a one-day protest",
                       rule="end-before-start")


def check_date_span(file: str, frame: pd.DataFrame, start: str, end: str) -> Problems:
    """:func:`check_dates` of ``start`` and of ``end``, then :func:`check_date_order`."""
    dates = parse_dates(frame[start]), parse_dates(frame[end])
    return (check_dates(file, frame, start, dates[0]) + check_dates(file, frame, end, dates[1])
            + check_date_order(file, frame, start, end, dates))


def check_countries(file: str, frame: pd.DataFrame, column: str, codes: frozenset[str],
                    gaz: Gazetteer | None = None) -> Problems:
    """Check that countries are ISO 3166-1 alpha-2 codes in capitals.

    With a gazetteer, a country written as a name gets its code as a hint.
    """
    values = frame[column]
    bad = (values != "") & ~values.isin(codes)
    cells = Cells(values)

    def text(i: int) -> str:
        v = str(cells[i])
        code = v.upper() if v.upper() in codes else (gaz.country_code(v) if gaz else None)
        hint = f"; did you mean {code!r}?" if code else ""
        return (f"{v!r} is not an ISO 3166-1 alpha-2 country code (two capital letters, e.g. "
                f"DE for Germany){hint}")

    return problems_at(file, frame, bad, column, text, rule="bad-country")


def is_safe_link(value: str) -> bool:
    """Whether ``value`` is an absolute http(s) URL (the only absolute links protest-map writes).

    Examples
    --------
    >>> is_safe_link("https://example.org/a"), is_safe_link("javascript:alert(1)")
    (True, False)
    """
    return re.fullmatch(HTTP_URL, value) is not None


def check_links(file: str, frame: pd.DataFrame, column: str) -> Problems:
    """Links must be http:// or https:// URLs (no ``javascript:``, ``data:``, ``file:`` ...)."""
    values = frame[column]
    bad = (values != "") & ~values.str.fullmatch(HTTP_URL)
    v = Cells(values)
    return problems_at(file, frame, bad, column,
                       lambda i: f"{v[i]!r} is not an http(s) link; only http:// and "
                                 "https:// links are allowed (or leave it blank)", rule="bad-link")


def check_choice(file: str, frame: pd.DataFrame, column: str,
                 allowed: Sequence[str]) -> Problems:
    """Values must be one of ``allowed``; blanks are left to :func:`check_required`."""
    values = frame[column]
    bad = (values != "") & ~values.isin(allowed)
    cells = Cells(values)

    def text(i: int) -> str:
        v = str(cells[i])
        near = v.strip().lower().replace(" ", "_").replace("-", "_")
        hint = f"; did you mean {near!r}?" if near in allowed else ""
        return f"{v!r} is not a known {column}; use one of {', '.join(allowed)}{hint}"

    return problems_at(file, frame, bad, column, text, rule=f"unknown-{column}")


def check_references(file: str, frame: pd.DataFrame, column: str, at: np.ndarray,
                     target_file: str) -> Problems:
    """Each non-blank ``column`` value must be an id in ``target_file``.

    ``at`` is each value's position among those ids (:func:`index_in`; -1: not there).
    """
    values = frame[column]
    bad = (values != "").to_numpy() & (at < 0)
    v = Cells(values)
    return problems_at(file, frame, bad, column,
                       lambda i: f"unknown {column} {v[i]!r}: no row of {target_file} "
                                 "has this id; add it there or fix the spelling",
                       rule="unknown-reference")


def html_warnings(file: str, frame: pd.DataFrame, column: str) -> Problems:
    """Text that looks like HTML: it is shown as plain text, so the tags would show."""
    values = frame[column]
    tagged = values.str.contains(HTML_TAG)
    cells = Cells(values)

    def text(i: int) -> str:
        tag = re.search(HTML_TAG, str(cells[i]))
        return (f"looks like HTML ({tag.group() if tag else '<...>'!r}); {column} is plain text "
                "and shown as written, tags included: remove them")

    return problems_at(file, frame, tagged, column, text, rule="looks-like-html")
