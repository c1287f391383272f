"""The events as GeoJSON (RFC 7946): one Point feature per protest, built column-wise with Arrow.

The same events give the same bytes. :func:`iter_events_geojson` yields the file in pieces, so
a build can stream it to disk (from a forked child, see :mod:`geo.build`).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from json.encoder import encode_basestring
from pathlib import Path
from typing import Any, Final

import geopandas as gpd
import numpy as np
import orjson
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

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


def iter_events_geojson(events: gpd.GeoDataFrame, chunk: int = 25_000) -> Iterator[bytes]:
    """Yield :func:`events_geojson`'s text (UTF-8) in pieces of ``chunk`` features.

    Each piece is built column by column in Arrow (:func:`json_values`): values are escaped,
    numbers and dates formatted and each feature's line joined from its columns, all without a
    Python loop over rows (except photo lists). Only one piece is in memory at a time.

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
    for start in range(0, len(events), chunk):
        part = events.iloc[start : start + chunk]
        pieces: list[str | pa.Array] = [
            '{"type":"Feature","id":', json_values(part["id"]),
            ',"geometry":{"type":"Point","coordinates":[', _coordinate(part["lon"]),
            ",", _coordinate(part["lat"]), ']},"properties":{',
        ]
        for k, name in enumerate(GEOJSON_PROPERTIES):
            pieces += [("," if k else "") + encode_basestring(name) + ":", json_values(part[name])]
        pieces.append("}},\n")
        text = _concatenated(pc.binary_join_element_wise(*pieces, ""))
        yield text[:-2] + b"\n]}\n" if start + chunk >= len(events) else text
    if events.empty:
        yield b"\n]}\n"


def json_values(values: pd.Series) -> pa.Array:
    r"""Each value of a column as JSON text, as an Arrow string array (missing values ``null``).

    Strings are escaped as ``json.dumps(..., ensure_ascii=False)`` escapes them, dates are
    written ``"YYYY-MM-DD"``, numbers in their shortest form, lists and dicts (photos) as
    compact JSON.

    Examples
    --------
    >>> print(*json_values(pd.Series(['say "hi"', None, "Åre"])).to_pylist())
    "say \"hi\"" null "Åre"
    >>> json_values(pd.to_datetime(pd.Series(["2011-12-16", None]))).to_pylist()
    ['"2011-12-16"', 'null']
    >>> json_values(pd.Series([2.5, float("nan")])).to_pylist()
    ['2.5', 'null']
    """
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        days = pc.cast(pa.array(values, from_pandas=True), pa.date32())  # ISO as text
        text = pc.binary_join_element_wise('"', pc.cast(days, pa.string()), '"', "")
    elif pd.api.types.is_numeric_dtype(values.dtype):  # numbers and booleans
        text = pc.cast(pa.array(values, from_pandas=True), pa.string())
    elif isinstance(values.dtype, pd.CategoricalDtype) or pd.api.types.is_string_dtype(values):
        text = _json_strings(pa.array(values, from_pandas=True))
    else:  # lists (photos) and other Python values: one at a time, but for empty lists
        text = pa.array([_json(v) for v in values], type=pa.string())
    return pc.fill_null(text, "null")


_CONTROLS: Final = r"[\x00-\x1f]"
"""Control characters, which JSON writes as escapes (``\\n``, ``\\u0007`` ...)."""


def _json_strings(strings: pa.Array) -> pa.Array:
    """Quote Arrow strings as ``json.dumps(..., ensure_ascii=False)`` does (nulls stay null).

    A NUL character becomes U+FFFD, as in every export format (GeoPackage text cannot hold it).

    Backslashes and quotes are escaped in Arrow; the few values with control characters (a line
    break in a report) are written by :func:`json.encoder.encode_basestring` instead.
    """
    if pa.types.is_dictionary(strings.type):
        strings = strings.dictionary_decode()
    text = pc.replace_substring(pc.cast(strings, pa.string()), "\x00", "\ufffd")
    escaped = pc.replace_substring(pc.replace_substring(text, "\\", "\\\\"), '"', '\\"')
    quoted = pc.binary_join_element_wise('"', escaped, '"', "")
    controls = pc.match_substring_regex(text, _CONTROLS)
    if pc.any(controls).as_py():
        fixed = [encode_basestring(v) for v in pc.filter(text, controls).to_pylist()]
        quoted = pc.replace_with_mask(quoted, controls, pa.array(fixed, type=pa.string()))
    return quoted


def _json(value: Any) -> str | None:
    if isinstance(value, list) and not value:
        return "[]"
    plain = _plain(value)
    return None if plain is None else orjson.dumps(plain).decode("utf-8")


def _coordinate(values: pd.Series) -> pa.Array:
    """Degrees rounded to 6 decimals (about 10 cm), shortest form."""
    return json_values(values.astype(float).round(6))


def _concatenated(lines: pa.Array) -> bytes:
    """The UTF-8 bytes of an Arrow string array's values, end to end."""
    lines = pa.concat_arrays([lines]) if lines.offset else lines
    offsets = np.frombuffer(lines.buffers()[1], dtype=np.int32)
    data = lines.buffers()[2]
    if data is None:
        return b""
    return data.slice(int(offsets[0]), int(offsets[len(lines)] - offsets[0])).to_pybytes()


def write_geojson(events: gpd.GeoDataFrame, path: str | Path) -> None:
    """Write :func:`events_geojson` to ``path`` atomically, piece by piece."""
    with atomic_open(path, "wb") as fh:
        fh.writelines(iter_events_geojson(events))
