"""Look at the bytes of Arrow ``large_string`` arrays with numpy.

pyarrow's string functions go through every character of every value; these look only at the
bytes that matter. :mod:`geo.tables.csvfile` uses them to number the lines of a table (line
breaks inside values) and to tell which columns need their whitespace stripped.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import pyarrow as pa

from geo._arrow import string_buffers

STEP: Final = 1 << 20
"""Bytes compared at a time (small enough to stay in cache)."""
SPACE_LEAD: Final = np.isin(np.arange(256), [*range(0x21), 0xC2, 0xE1, 0xE2, 0xE3])
"""The first bytes of whitespace characters in UTF-8 (see :func:`edge_may_be_space`)."""


def find(data: np.ndarray, byte: int) -> np.ndarray:
    """Where ``byte`` is in ``data``, looked for :data:`STEP` bytes at a time (in cache)."""
    found = [np.flatnonzero(data[i:i + STEP] == byte) + i for i in range(0, len(data), STEP)]
    return np.concatenate(found) if found else np.zeros(0, dtype=np.intp)


def value_breaks(chunk: pa.Array, has_cr: bool) -> np.ndarray:
    r"""Line breaks (``\r\n``, ``\r`` or ``\n``) inside each value of a ``large_string`` array.

    Examples
    --------
    >>> value_breaks(pa.array(["a\nb", "", "c\r\nd\re", "\r", "\n"], pa.large_string()),
    ...              True).tolist()
    [1, 0, 2, 1, 1]
    """
    offsets, data = string_buffers(chunk)
    at = find(data, 10)
    if has_cr:
        cr = find(data, 13)
        end = offsets[np.searchsorted(offsets, cr, side="right")]  # of the value holding it
        paired = cr + 1 < end  # and so a byte of that value follows it
        paired[paired] = data[cr[paired] + 1] == 10  # \r\n: one break, counted at the \n
        at = np.concatenate((at, cr[~paired]))
    return np.bincount(np.searchsorted(offsets, at, side="right") - 1, minlength=len(chunk))


def edge_may_be_space(chunk: pa.Array) -> np.ndarray:
    """Whether each value may begin or end with whitespace, told from its first and last bytes.

    A whitespace character (:func:`pyarrow.compute.utf8_is_space`) is either one byte up to
    0x20, or two bytes led by 0xC2, or three bytes led by 0xE1 to 0xE3; values whose edges are
    none of these (nearly all) need no closer look.
    """
    offsets, data = string_buffers(chunk)
    start, end = offsets[:-1], offsets[1:]
    if not len(data):
        return np.zeros(len(chunk), dtype=bool)
    tail = data.take(end - 1, mode="clip")
    maybe = SPACE_LEAD[data.take(start, mode="clip")] | (tail <= 0x20)
    multi = np.flatnonzero(tail >= 0x80)  # the last character is two to four bytes long
    maybe[multi] |= ((data.take(end[multi] - 2, mode="clip") == 0xC2)
                     | SPACE_LEAD[data.take(end[multi] - 3, mode="clip")])
    return maybe & (start < end)
