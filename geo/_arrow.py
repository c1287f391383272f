"""Reorder the columns of a DataFrame in Arrow, a column per thread.

pandas reorders a column of Arrow strings (``str`` dtype) with one ``pyarrow.compute.take`` per
column and block, one after another, and keeps every chunk the column had. :func:`take_rows`
takes every column once, as one contiguous array, on as many threads as there are cores
(``take`` releases the GIL), and gives back a frame of the same dtypes. At a million protests of
700-character reports that is the difference between 6 s and 1 s.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

ARROW_ARRAYS = (pd.arrays.ArrowStringArray, pd.arrays.ArrowExtensionArray)
"""pandas arrays backed by Arrow memory."""


def arrow_array(values: pd.Series) -> pa.Array:
    """A column of Arrow strings as one contiguous Arrow array (a copy only if it is chunked).

    Examples
    --------
    >>> arrow_array(pd.Series(["a", "b"], dtype="str")).to_pylist()
    ['a', 'b']
    """
    array = pa.array(values.array)
    if isinstance(array, pa.ChunkedArray):
        return array.combine_chunks() if array.num_chunks != 1 else array.chunk(0)
    return array


def take_rows(frame: pd.DataFrame, columns: Sequence[str], rows: np.ndarray | None, *,
              release: bool = False) -> pd.DataFrame:
    """``frame[columns]`` with its rows in the order of ``rows`` (positions), and a RangeIndex.

    Columns of Arrow strings stay Arrow strings (one chunk each); other columns go through
    numpy. ``rows`` None keeps the order (the columns are still made contiguous). With
    ``release`` the columns are removed from ``frame`` and each is let go of as soon as it is
    taken, so that a table of a million reports is not held twice.

    Examples
    --------
    >>> f = pd.DataFrame({"a": pd.Series(["x", "y", "z"], dtype="str"), "b": [1.0, 2.0, 3.0]})
    >>> take_rows(f, ["a", "b"], np.array([2, 0])).to_dict("list")
    {'a': ['z', 'x'], 'b': [3.0, 1.0]}
    >>> _ = take_rows(f, ["a"], None, release=True)
    >>> list(f.columns)
    ['b']
    """
    dtypes = {c: frame[c].dtype for c in columns}
    source = {c: frame.pop(c) if release else frame[c] for c in columns}

    def one(column: str) -> pd.Series:
        series = source.pop(column)
        if isinstance(series.array, ARROW_ARRAYS):
            array = arrow_array(series)
            del series
            taken = array if rows is None else pc.take(array, rows)
            return pd.Series(pd.array(taken, dtype=dtypes[column]), name=column)
        values = series.to_numpy()
        return pd.Series(values if rows is None else values[rows], name=column,
                         dtype=dtypes[column])

    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        out = dict(zip(columns, pool.map(one, columns), strict=True))
    return pd.DataFrame(out, columns=list(columns))
