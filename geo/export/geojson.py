"""The events as GeoJSON (RFC 7946): one Point feature per protest, built column-wise with Arrow.

The same events give the same bytes. :func:`iter_events_geojson` yields the file in pieces, so
a build can stream it to disk (from a forked child, see :mod:`geo.build`).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from json.encoder import encode_basestring
from pathlib import Path
from typing import Any, Final

import geopandas as gpd
import numpy as np
import orjson
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from geo._arrow import string_buffers
from geo._atomic import atomic_open
from geo.schema import GEOJSON_PROPERTIES


def _plain(value: Any) -> Any:
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, float) and math.isnan(value):
        return None
    if value is None or (not isinstance(value, (list, dict, str)) and pd.isna(value)):
        return None
    return value


def events_geojson(events: gpd.GeoDataFrame) -> str:
    """Return the events as an RFC 7946 FeatureCollection (text), one Point per protest.

    Coordinates are ``[lon, lat]`` rounded to 6 decimals (about 10 cm); properties are
    :data:`geo.schema.GEOJSON_PROPERTIES`; features keep the frame's order (date, then id).

    Parameters
    ----------
    events
        From :func:`geo.join.join_events`.

    Returns
    -------
    str
        Deterministic JSON text, one feature per line (UTF-8, newline at end): the pieces of
        :func:`iter_events_geojson` joined.
    """
    return b"".join(iter_events_geojson(events)).decode("utf-8")


def iter_events_geojson(events: gpd.GeoDataFrame, chunk: int = 10_000) -> Iterator[bytes]:
    """Yield :func:`events_geojson`'s text (UTF-8) in pieces of ``chunk`` features.

    Each piece is built column by column (:func:`json_values`): strings are escaped on their
    whole Arrow buffer at once, numbers and dates cast to text in Arrow, and the features'
    lines are then copied together by one Arrow ``take`` (:func:`_feature_lines`), all without
    a Python loop over rows (except photo lists). Only one piece is in memory at a time (and
    the coordinates, rounded once).

    Parameters
    ----------
    events
        From :func:`geo.join.join_events`.
    chunk
        Features per piece.

    Examples
    --------
    >>> import geo
    >>> pieces = list(iter_events_geojson(geo.load_events("data"), chunk=4))
    >>> len(pieces)  # the head, then three pieces of features (the last one closes the list)
    4
    """
    yield b'{"type":"FeatureCollection","features":[\n'
    lon, lat = (events[name].astype(float).round(6) for name in ("lon", "lat"))  # about 10 cm
    values = [events["id"], lon, lat, *(events[name] for name in GEOJSON_PROPERTIES)]
    for start in range(0, len(events), chunk):
        text = _feature_lines([json_values(v.iloc[start : start + chunk]) for v in values])
        yield text[:-2] + b"\n]}\n" if start + chunk >= len(events) else text
    if events.empty:
        yield b"\n]}\n"


_BETWEEN: Final = (
    '{"type":"Feature","id":', ',"geometry":{"type":"Point","coordinates":[', ",",
    ']},"properties":{' + encode_basestring(GEOJSON_PROPERTIES[0]) + ":",
    *("," + encode_basestring(name) + ":" for name in GEOJSON_PROPERTIES[1:]), "}},\n",
)
"""The text around a feature's values: id, lon, lat, then the properties."""


@dataclass(frozen=True)
class JsonValues:
    """A column's values as JSON text, made by :func:`json_values`.

    Attributes
    ----------
    texts
        Arrow string arrays of JSON text, read as one array end to end.
    index
        For each feature, its value's position in ``texts`` (-1: missing, written ``null``).
    quoted
        Whether each value is written between quotes (strings and dates: ``texts`` holds them
        escaped but unquoted).
    """

    texts: list[pa.Array]
    index: np.ndarray
    quoted: bool


def _feature_lines(columns: list[JsonValues]) -> bytes:
    """One line of JSON per feature, from the columns of :data:`_BETWEEN`'s values.

    Every piece of every line (the text between two values, with the quotes of the values
    next to it, and each value) is an element of one Arrow array; one ``take`` copies them in
    order, and its data buffer is the text.
    """
    quotes = [(column.index >= 0) & column.quoted for column in columns] + [False]
    pieces: list[str] = ["null"]
    order = np.empty((2 * len(columns) + 1, len(columns[0].index)), dtype=np.int32)
    for k, between in enumerate(_BETWEEN):  # the text before value k, with its quotes
        order[2 * k] = len(pieces) + 2 * quotes[k - 1] + quotes[k]  # quotes[-1]: none
        pieces += [close + between + open_ for close in ("", '"') for open_ in ("", '"')]
    start = len(pieces)
    for k, column in enumerate(columns):
        order[2 * k + 1] = np.where(column.index >= 0, start + column.index, 0)
        start += sum(len(text) for text in column.texts)
    source = pa.concat_arrays([pa.array(pieces, pa.string())]
                              + [text for column in columns for text in column.texts])
    return string_buffers(source.take(pa.array(order.T.ravel())))[1].tobytes()


def json_values(values: pd.Series) -> JsonValues:
    r"""A column's values as JSON text (:class:`JsonValues`).

    Strings are escaped as ``json.dumps(..., ensure_ascii=False)`` escapes them, dates are
    written ``"YYYY-MM-DD"``, numbers in their shortest form, lists and dicts (photos) as
    compact JSON; missing values ``null``.

    Examples
    --------
    >>> column = json_values(pd.Series(['say "hi"', None, "Åre"]))
    >>> column.texts[0].to_pylist(), column.index.tolist(), column.quoted
    (['say \\"hi\\"', None, 'Åre'], [0, -1, 2], True)
    """
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        days = pc.cast(pa.array(values, from_pandas=True), pa.date32())  # ISO as text
        return _plain_column(pc.cast(days, pa.string()), quoted=True)
    if pd.api.types.is_numeric_dtype(values.dtype):  # numbers and booleans
        return _plain_column(pc.cast(pa.array(values, from_pandas=True), pa.string()), False)
    if isinstance(values.dtype, pd.CategoricalDtype) or pd.api.types.is_string_dtype(values):
        return _json_strings(pa.array(values, from_pandas=True))
    return _json_objects(values.tolist())


def _plain_column(text: pa.Array, quoted: bool) -> JsonValues:
    """A column whose JSON text is ``text`` as it is (nulls missing)."""
    index = np.arange(len(text))
    if text.null_count:
        index[~pc.is_valid(text).to_numpy(zero_copy_only=False)] = -1
    return JsonValues([text], index, quoted)


_QUOTE, _BACKSLASH, _SPACE = 0x22, 0x5C, 0x20
"""The bytes JSON escapes in a string: ``"``, ``\\`` and the control characters below space."""


def _json_strings(strings: pa.Array) -> JsonValues:
    """Escape Arrow strings as ``json.dumps(..., ensure_ascii=False)`` does (nulls stay null).

    A NUL character becomes U+FFFD, as in every export format (GeoPackage text cannot hold it).

    A dictionary's values are escaped once. Quotes and backslashes are escaped on the whole data
    buffer at once (:func:`_escaped`); the few values with control characters (a line break in
    a report) are written by :func:`json.encoder.encode_basestring` instead, after the others.
    """
    if pa.types.is_dictionary(strings.type):
        values = _json_strings(strings.dictionary)
        codes = pc.fill_null(strings.indices, -1).to_numpy(zero_copy_only=False)
        return JsonValues(values.texts, np.append(values.index, -1)[codes], quoted=True)
    text = pc.cast(strings, pa.string())
    offsets, data = string_buffers(text)
    raw = data.tobytes()
    if not (b'"' in raw or b"\\" in raw or (data.size and data.min() < _SPACE)):
        return _plain_column(text, quoted=True)
    special = np.flatnonzero((data < _SPACE) | (data == _QUOTE) | (data == _BACKSLASH))
    controls = data[special] < _SPACE
    escaped = _plain_column(_escaped(text, offsets, raw, special[~controls]), quoted=True)
    rows = np.unique(np.searchsorted(offsets, special[controls], side="right") - 1)
    rows = rows[escaped.index[rows] >= 0]
    fixed = [encode_basestring(v.replace("\x00", "\ufffd"))[1:-1]
             for v in text.take(pa.array(rows, pa.int64())).to_pylist()]
    index = escaped.index.copy()
    index[rows] = len(text) + np.arange(rows.size)
    return JsonValues([*escaped.texts, pa.array(fixed, pa.string())], index, quoted=True)


def _escaped(text: pa.StringArray, offsets: np.ndarray, raw: bytes,
             special: np.ndarray) -> pa.StringArray:
    """``text`` with a backslash before each quote and backslash (at ``special`` in ``raw``)."""
    if not special.size:
        return text
    escaped = raw.replace(b"\\", b"\\\\").replace(b'"', b'\\"')
    shifted = (offsets + np.searchsorted(special, offsets)).astype(np.int32)
    validity = pc.is_valid(text).buffers()[1] if text.null_count else None
    return pa.StringArray.from_buffers(len(text), pa.py_buffer(shifted), pa.py_buffer(escaped),
                                       validity, text.null_count)


def _json_objects(values: list[Any]) -> JsonValues:
    """Python values (photo lists) as JSON text (missing values null).

    Lists are written by one :func:`orjson.dumps` of them all, cut where one list ends and the
    next begins (``],[``; the commas between them are left out by the column's index), unless a
    string in them holds ``],[`` too; then, and for other values, one value at a time.
    """
    if set(map(type, values)) == {list}:
        text = orjson.dumps(values)[1:-1]  # the lists, without the brackets around them
        data = np.frombuffer(text, dtype=np.uint8)
        commas = np.flatnonzero(data[1:-1] == ord(",")) + 1
        commas = commas[(data[commas - 1] == ord("]")) & (data[commas + 1] == ord("["))]
        if commas.size == len(values) - 1:
            bounds = np.empty(2 * len(values), dtype=np.int32)  # a list, a comma, a list ...
            bounds[[0, -1]] = 0, len(text)
            bounds[1:-1:2], bounds[2:-1:2] = commas, commas + 1
            lists = pa.StringArray.from_buffers(len(bounds) - 1, pa.py_buffer(bounds),
                                                pa.py_buffer(text))
            return JsonValues([lists], 2 * np.arange(len(values)), quoted=False)
    return _plain_column(pa.array([_json(v) for v in values], type=pa.string()), quoted=False)


def _json(value: Any) -> str | None:
    plain = _plain(value)
    return None if plain is None else orjson.dumps(plain).decode("utf-8")


def write_geojson(events: gpd.GeoDataFrame, path: str | Path) -> None:
    """Write :func:`events_geojson` to ``path`` atomically, piece by piece."""
    with atomic_open(path, "wb") as fh:
        fh.writelines(iter_events_geojson(events))
