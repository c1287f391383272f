"""Text from the data as Arrow strings for the page: whole arrays, and links that are safe.

Pure functions, vectorised with pyarrow: :func:`arrow_text` turns any column into one contiguous
string array, :func:`safe_links` keeps only the links a page may follow.
"""

from __future__ import annotations

from typing import Any, Final

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from geo._arrow import contiguous
from geo.tables.columns import HTTP_URL, SCHEME

BIDI_CONTROLS: Final = "[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
"""Characters that change the direction of the text around them (embeddings, overrides,
isolates and marks): in a link they can make an address read as another one, so they are
removed from links (:func:`safe_links`); the page isolates every text from the data."""
_UNSAFE_CHARS: Final = r"[\x00-\x20\x7f\\]"
_HTTP: Final = f"^(?:{HTTP_URL})$"


def safe_links(urls: Any) -> pa.Array:
    r"""Each URL if it is an http(s) URL or a relative one, else ``""`` (missing: ``""``).

    Anything with another scheme (``javascript:``, ``data:``, ``file:`` ...), a protocol-relative
    ``//host``, whitespace, control characters or backslashes is refused, since browsers strip or
    reinterpret those. Bidirectional controls (:data:`BIDI_CONTROLS`) are removed first (from
    the values that are not ASCII: the others hold none). Checked in Arrow, all values at once.

    Parameters
    ----------
    urls
        Strings: a pandas Series, an array or a list.

    Returns
    -------
    pyarrow.StringArray

    Examples
    --------
    >>> safe_links(["https://example.org/a?b=1", "reports/berlin.html", None]).to_pylist()
    ['https://example.org/a?b=1', 'reports/berlin.html', '']
    >>> safe_links(["javascript:alert(1)", " java	script:x", "//evil.example"]).to_pylist()
    ['', '', '']
    >>> safe_links(["https://example.org/\u202egpj.exe"]).to_pylist()
    ['https://example.org/gpj.exe']
    """
    text = _without_bidi_controls(arrow_text(urls))
    foreign = pc.or_(pc.match_substring_regex(text, f"^{SCHEME}"), pc.starts_with(text, "//"))
    keep = pc.and_(pc.invert(pc.match_substring_regex(text, _UNSAFE_CHARS)),
                   pc.or_(pc.match_substring_regex(text, _HTTP), pc.invert(foreign)))
    return pc.if_else(keep, text, "")


def _without_bidi_controls(text: pa.Array) -> pa.Array:
    """``text`` with :data:`BIDI_CONTROLS` removed; only its values that are not ASCII are read."""
    other = pc.invert(pc.string_is_ascii(text))
    if not pc.any(other).as_py():
        return text
    cleaned = pc.replace_substring_regex(pc.filter(text, other), BIDI_CONTROLS, "")
    return pc.replace_with_mask(text, other, cleaned)


def safe_link(url: str) -> str:
    """:func:`safe_links` of one URL.

    Examples
    --------
    >>> safe_link("https://example.org/a"), safe_link("javascript:alert(1)")
    ('https://example.org/a', '')
    """
    return str(safe_links([url])[0].as_py())


def arrow_text(values: Any) -> pa.Array:
    """Values as one contiguous Arrow string array; missing values blank, others as ``str``.

    A pandas column of Arrow strings can hold several chunks (a concatenation, say a join's):
    they are combined, so that the result is always a :class:`pyarrow.Array`.

    Examples
    --------
    >>> arrow_text(pd.Series(["Graz", None, 3], dtype=object)).to_pylist()
    ['Graz', '', '3']
    >>> arrow_text(pa.chunked_array([["a"], ["b"]])).to_pylist()
    ['a', 'b']
    """
    if isinstance(values, (pa.Array, pa.ChunkedArray)) and (
            pa.types.is_string(values.type) or pa.types.is_large_string(values.type)):
        return contiguous(pc.fill_null(pc.cast(values, pa.string()), ""))
    series = values if isinstance(values, pd.Series) else pd.Series(values, dtype=object)
    if isinstance(series.dtype, pd.CategoricalDtype):
        series = series.astype(object)
    if pd.api.types.is_string_dtype(series.dtype):
        try:
            text = pc.cast(pa.array(series, from_pandas=True), pa.string())
            return contiguous(pc.fill_null(text, ""))
        except (pa.ArrowInvalid, pa.ArrowTypeError):  # an object column mixing strings and others
            pass
    as_text = series.map(lambda v: "" if v is None or v is pd.NA or v != v else str(v))
    return pa.array(as_text, pa.string())


def local_sources(srcs: pa.Array) -> pa.Array:
    """Whether each photo ``src`` names a file (relative to the data folder) rather than a URL."""
    return pc.and_(pc.not_equal(srcs, ""), pc.invert(pc.match_substring_regex(srcs, _HTTP)))
