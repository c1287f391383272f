"""Column-level rules shared by every table: required values, ids, dates, codes, links, choices.

Pure functions of a DataFrame (values stripped strings, ``_line`` the row's line in its file),
vectorised with pandas/pyarrow; only offending rows are formatted, at most
:data:`MAX_PER_CHECK` per check and file.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Final

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from geo.errors import Problem
from geo.places.gazetteer import Gazetteer
from geo.places.names import normalize

LINE: Final = "_line"
"""Name of the column holding each row's physical line number in its file."""


MAX_PER_CHECK: Final = 20
"""Problems listed per check and file; the rest are summed up in one more line."""


# Patterns keep to what pyarrow's RE2 and Python's re agree on (no \s, \d, $ or lookarounds),
# so that pandas runs them on the Arrow strings instead of falling back to Python.
SPACE: Final = r" \t\r\n\f\v"


SLUG: Final = r"[A-Za-z0-9][A-Za-z0-9._-]*"


DATE: Final = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"


HTTP_URL: Final = rf"(?i)https?://[^{SPACE}/$.?#][^{SPACE}]*"


SCHEME: Final = r"[A-Za-z][A-Za-z0-9+.-]*:"


HTML_TAG: Final = rf"</?[A-Za-z][A-Za-z0-9]*(?:[{SPACE}][^<>]*)?/?>"


DECIMAL_COMMA: Final = r"[+-]?[0-9]+,[0-9]+"
"""Venue kinds whose ``represents`` is a country code."""


def problems_at(file: str, frame: pd.DataFrame, mask: pd.Series | np.ndarray, column: str,
                message: str | Callable[[int], str]) -> list[Problem]:
    """Make one :class:`Problem` per row where ``mask`` holds, at most :data:`MAX_PER_CHECK`.

    Parameters
    ----------
    file, column
        Where, as the user sees it.
    frame
        The table (for the ``_line`` column).
    mask
        True for the rows with the problem, aligned with ``frame``.
    message
        The text, or a function of the row's position in ``frame`` that returns it (called only
        for the rows listed).

    Returns
    -------
    list of Problem
        When more rows than :data:`MAX_PER_CHECK` are affected, a last problem (at the first row
        not listed) says how many more there are and where the last one is.
    """
    rows = np.flatnonzero(np.asarray(mask, dtype=bool))
    if not len(rows):
        return []
    lines = frame[LINE].to_numpy()
    shown = rows[:MAX_PER_CHECK]
    text = message if callable(message) else (lambda _i: message)
    out = [Problem(file, int(lines[i]), column, text(int(i))) for i in shown]
    if len(rows) > len(shown):
        rest = rows[len(shown):]
        out.append(Problem(file, int(lines[rest[0]]), column,
                           f"... and {len(rest):,} more rows with the same problem, up to line "
                           f"{int(lines[rest[-1]]):,}"))
    return out


def index_in(values: pd.Series, targets: pd.Series) -> np.ndarray:
    """Position of each value in ``targets`` (-1 if absent); a hash lookup in Arrow."""
    found = pc.index_in(pa.array(values, type=pa.large_string()),
                        value_set=pa.array(targets, type=pa.large_string()))
    return np.array(found.fill_null(-1), dtype=np.int64)


def check_required(file: str, frame: pd.DataFrame, columns: Mapping[str, bool]) -> list[Problem]:
    """Check that required columns are not blank."""
    out: list[Problem] = []
    for col, required in columns.items():
        if required:
            out += problems_at(file, frame, frame[col] == "", col,
                               f"{col} is required but blank; fill it in")
    return out


def check_ids(file: str, frame: pd.DataFrame, column: str) -> list[Problem]:
    """Ids are unique slugs (letters, digits, '-', '_', '.'; a letter or digit first).

    Each repeat names the line of the first use.
    """
    values = frame[column]
    first_use = ~values.duplicated(keep="first")
    dup = ~first_use & (values != "")
    first = frame.loc[first_use, [column, LINE]].set_index(column)[LINE]
    bad_slug = (values != "") & ~values.str.fullmatch(SLUG)
    return (
        problems_at(file, frame, dup, column,
                    lambda i: f"duplicate {column} {values.iat[i]!r} (first used on line "
                              f"{first[values.iat[i]]}); every row needs its own {column}")
        + problems_at(file, frame, bad_slug, column,
                      lambda i: f"{values.iat[i]!r} is not a valid id; use letters, digits, '-', "
                                f"'_' and '.' only (e.g. {slugify(values.iat[i]) or 'my-id'!r})")
    )


def slugify(text: str) -> str:
    """Turn text into an id slug.

    Examples
    --------
    >>> slugify("Graz Consulate, Österreich")
    'graz-consulate-osterreich'
    """
    return re.sub(r"[^a-z0-9]+", "-", normalize(text)).strip("-")


def check_dates(file: str, frame: pd.DataFrame, column: str) -> list[Problem]:
    """Dates must be real calendar dates written YYYY-MM-DD (blank is left to check_required)."""
    values = frame[column]
    parsed = pd.to_datetime(values.where(values.str.fullmatch(DATE)), format="%Y-%m-%d",
                            errors="coerce")
    bad = parsed.isna() & (values != "")
    return problems_at(file, frame, bad, column,
                       lambda i: f"{values.iat[i]!r} is not a date (expected YYYY-MM-DD); write "
                                 "the day it happened, e.g. 2011-12-16")


def check_date_order(file: str, frame: pd.DataFrame, start: str, end: str) -> list[Problem]:
    """``end`` is not before ``start`` (blanks and bad dates are left to the other checks)."""
    first, last = (pd.to_datetime(frame[c].where(frame[c].str.fullmatch(DATE)),
                                  format="%Y-%m-%d", errors="coerce") for c in (start, end))
    bad = (last < first).to_numpy(dtype=bool)  # NaT compares False
    return problems_at(file, frame, bad, end,
                       lambda i: f"{frame[end].iat[i]!r} is before the {start} "
                                 f"{frame[start].iat[i]!r}; {end} is the last day of a protest "
                                 f"that spans days: swap the two dates, or leave {end} blank "
                                 "for a one-day protest")


def check_countries(file: str, frame: pd.DataFrame, column: str, codes: frozenset[str],
                    gaz: Gazetteer | None = None) -> list[Problem]:
    """Check that countries are ISO 3166-1 alpha-2 codes in capitals.

    With a gazetteer, a country written as a name gets its code as a hint.
    """
    values = frame[column]
    bad = (values != "") & ~values.isin(codes)

    def text(i: int) -> str:
        v = values.iat[i]
        code = v.upper() if v.upper() in codes else (gaz.country_code(v) if gaz else None)
        hint = f"; did you mean {code!r}?" if code else ""
        return (f"{v!r} is not an ISO 3166-1 alpha-2 country code (two capital letters, e.g. "
                f"DE for Germany){hint}")

    return problems_at(file, frame, bad, column, text)


def is_safe_link(value: str) -> bool:
    """Whether ``value`` is an absolute http(s) URL (the only absolute links protest-map writes).

    Examples
    --------
    >>> is_safe_link("https://example.org/a"), is_safe_link("javascript:alert(1)")
    (True, False)
    """
    return re.fullmatch(HTTP_URL, value) is not None


def check_links(file: str, frame: pd.DataFrame, column: str) -> list[Problem]:
    """Links must be http:// or https:// URLs (no ``javascript:``, ``data:``, ``file:`` ...)."""
    values = frame[column]
    bad = (values != "") & ~values.str.fullmatch(HTTP_URL)
    return problems_at(file, frame, bad, column,
                       lambda i: f"{values.iat[i]!r} is not an http(s) link; only http:// and "
                                 "https:// links are allowed (or leave it blank)")


def check_choice(file: str, frame: pd.DataFrame, column: str,
                 allowed: Sequence[str]) -> list[Problem]:
    """Values must be one of ``allowed``; blanks are left to :func:`check_required`."""
    values = frame[column]
    bad = (values != "") & ~values.isin(allowed)

    def text(i: int) -> str:
        v = values.iat[i]
        near = v.strip().lower().replace(" ", "_").replace("-", "_")
        hint = f"; did you mean {near!r}?" if near in allowed else ""
        return f"{v!r} is not a known {column}; use one of {', '.join(allowed)}{hint}"

    return problems_at(file, frame, bad, column, text)


def check_references(file: str, frame: pd.DataFrame, column: str, targets: pd.Series,
                     target_file: str) -> list[Problem]:
    """Each non-blank ``column`` value must be an id in ``target_file``."""
    values = frame[column]
    bad = (values != "").to_numpy() & (index_in(values, targets) < 0)
    return problems_at(file, frame, bad, column,
                       lambda i: f"unknown {column} {values.iat[i]!r}: no row of {target_file} "
                                 "has this id; add it there or fix the spelling")


def html_warnings(file: str, frame: pd.DataFrame, column: str) -> list[Problem]:
    """Text that looks like HTML: it is shown as plain text, so the tags would show."""
    values = frame[column]
    tagged = values.str.contains(HTML_TAG)

    def text(i: int) -> str:
        tag = re.search(HTML_TAG, values.iat[i])
        return (f"looks like HTML ({tag.group() if tag else '<...>'!r}); {column} is plain text "
                "and shown as written, tags included: remove them")

    return problems_at(file, frame, tagged, column, text)
