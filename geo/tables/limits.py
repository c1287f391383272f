"""How large a table and its values may be: limits the whole pipeline handles.

The map page, the exports and the validation itself stay quick and small only when no value is
absurdly long and no file absurdly wide: a 100,000-character city name, or a header of a million
columns, is a slip (or an attack), never data. :func:`check_lengths` refuses a value longer than
its column allows; :data:`MAX_COLUMNS` bounds the header (:mod:`geo.tables.csvfile` checks it
before reading any row).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from types import MappingProxyType
from typing import Final

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from geo.errors import Problems
from geo.tables.columns import LINE, problems_at

MAX_COLUMNS: Final = 200
"""Columns a table's header may have (the contract's and any extra ones)."""

SHORT: Final = 200
"""Characters of a name, a code or an id: a city, a country, a venue's name, a date."""

MEDIUM: Final = 1_000
"""Characters of a phrase: an address, an organizer, a caption, a source's title."""

LINK: Final = 2_000
"""Characters of a link or a photo's path (what browsers and servers reliably take)."""

LONG: Final = 20_000
"""Characters of a report text (``summary``), and of a column outside the contract."""

LIMITS: Final = MappingProxyType({
    **dict.fromkeys(("id", "date", "end_date", "city", "region", "country", "venue_id",
                     "protest_id", "name", "kind", "represents", "lat", "lon", "precision",
                     "participants"), SHORT),
    **dict.fromkeys(("address", "location", "organizer", "source_title", "date_note", "source",
                     "caption", "credit", "alt"), MEDIUM),
    **dict.fromkeys(("source_url", "src"), LINK),
    "summary": LONG,
})
"""Most characters a value of each column may have; :data:`LONG` for any other column."""


def check_lengths(file: str, frame: pd.DataFrame,
                  columns: Iterable[str] | None = None) -> Problems:
    """Values no longer than their column's limit (:data:`LIMITS`, else :data:`LONG`).

    Parameters
    ----------
    file
        Name to report problems against.
    frame
        The table (stripped strings, ``_line``).
    columns
        The columns to check; by default every column but ``_line``.

    Returns
    -------
    Problems
        One per value that is too long, saying how long it is and what is allowed.

    Examples
    --------
    >>> frame = pd.DataFrame({"city": ["Graz", "x" * 201], LINE: [2, 3]})
    >>> [str(p) for p in check_lengths("protests.csv", frame)]  # doctest: +NORMALIZE_WHITESPACE
    ['protests.csv:3: city: city is 201 characters long, more than the 200 allowed;
      shorten it']
    """
    out = Problems()
    for column in columns if columns is not None else frame.columns:
        if column == LINE or column not in frame:
            continue
        limit = LIMITS.get(column, LONG)
        values = frame[column]
        if not pd.api.types.is_string_dtype(values.dtype):
            continue
        # a value of at most ``limit`` bytes has at most ``limit`` characters: count only longer
        maybe = np.flatnonzero(pc.binary_length(pa.array(values)).to_numpy(zero_copy_only=False)
                               > limit)
        length = np.zeros(len(values), dtype=np.int64)
        length[maybe] = values.iloc[maybe].str.len().to_numpy()
        too_long = length > limit
        if too_long.any():
            out += problems_at(file, frame, too_long, column,
                               _too_long(column, limit, length), rule="too-long")
    return out


def _too_long(column: str, limit: int, sizes: np.ndarray) -> Callable[[int], str]:
    """The message of row ``i``'s value, ``sizes[i]`` characters long."""
    def message(i: int) -> str:
        return (f"{column} is {int(sizes[i]):,} characters long, more than the {limit:,} "
                "allowed; shorten it")
    return message
