"""Write the events GeoDataFrame to files other tools read: GeoJSON, GeoPackage, GeoParquet, CSV.

Every writer is atomic (:mod:`geo.atomic`): a reader never sees half a file, and a failure
leaves the previous file in place. The same events give the same bytes. ``events_geojson`` and
``events_csv`` are pure functions that return the text, so builds can write it together with
the map.
"""

from __future__ import annotations

import json
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

from geo.atomic import atomic_open, atomic_path
from geo.errors import UsageError
from geo.schema import CRS, EVENT_COLUMNS, GEOJSON_PROPERTIES


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

    Backslashes and quotes are escaped in Arrow; the few values with control characters (a line
    break in a report) are written by :func:`json.encoder.encode_basestring` instead.
    """
    if pa.types.is_dictionary(strings.type):
        strings = strings.dictionary_decode()
    text = pc.cast(strings, pa.string())
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


FORMATS: Final[dict[str, tuple[str, ...]]] = {
    "geojson": (".geojson", ".json"),
    "gpkg": (".gpkg",),
    "parquet": (".parquet", ".geoparquet"),
    "csv": (".csv",),
}
"""Export formats and the file extensions each accepts (the first is the usual one)."""

GPKG_LAYER: Final = "events"
"""Layer (table) name inside the GeoPackage."""

GPKG_TIMESTAMP: Final = "1970-01-01T00:00:00.000Z"
"""``last_change`` stamped into the GeoPackage instead of the clock, so that the same events
give the same bytes."""


def photos_json(photos: list[dict[str, str]]) -> str:
    """Return one event's photos as compact JSON text, for formats without nested values.

    Examples
    --------
    >>> photos_json([{"src": "", "caption": "At the gate", "credit": "", "alt": "At the gate"}])
    '[{"src":"","caption":"At the gate","credit":"","alt":"At the gate"}]'
    """
    return json.dumps(list(photos), ensure_ascii=False, separators=(",", ":"))


def flat_events(events: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return the events with ``photos`` as JSON text (:func:`photos_json`), the rest as is."""
    flat = events.copy()
    flat["photos"] = [photos_json(p) for p in flat["photos"]]
    return flat


def events_csv(events: gpd.GeoDataFrame) -> str:
    """Return the events as CSV text: every column but ``geometry``; points in ``lat``/``lon``.

    Dates are written ``YYYY-MM-DD``, ``photos`` as JSON text, blanks as empty fields.

    Examples
    --------
    >>> import geo
    >>> events_csv(geo.load_events("data")).splitlines()[0].split(",")[-3:]
    ['photos', 'lat', 'lon']
    """
    table = pd.DataFrame(flat_events(events).drop(columns=events.geometry.name))
    table["date"] = table["date"].dt.strftime("%Y-%m-%d")
    return table.to_csv(index=False, lineterminator="\n", na_rep="")


def check_format(out: str | Path, fmt: str) -> Path:
    """Check an export format and output path before any work is done.

    Parameters
    ----------
    out
        The file to write; its folder is created if missing.
    fmt
        One of :data:`FORMATS`.

    Returns
    -------
    Path

    Raises
    ------
    geo.errors.UsageError
        For an unknown format, a path that is a folder, an extension that does not match
        the format, or a folder that cannot be created.
    """
    if fmt not in FORMATS:
        raise UsageError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
    out = Path(out)
    suffixes = FORMATS[fmt]
    if out.is_dir():
        raise UsageError(f"output {out} is a folder; give a file name, e.g. "
                         f"{out / ('events' + suffixes[0])}")
    if out.suffix.lower() not in suffixes:
        raise UsageError(f"output {out} does not end in {' or '.join(suffixes)}, as a {fmt} "
                         f"file should (other tools go by the extension); e.g. "
                         f"{out.with_suffix(suffixes[0])}")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"cannot create the folder {out.parent} for {out.name}: "
                         f"{exc.strerror or exc}; choose another output path") from exc
    return out


def write_events(events: gpd.GeoDataFrame, out: str | Path, fmt: str) -> Path:
    """Write events in one of :data:`FORMATS`, atomically.

    ``geojson``
        RFC 7946, as in ``events.geojson`` of a build (:func:`events_geojson`).
    ``gpkg``
        GeoPackage (through pyogrio), layer ``events``: ``date`` a DATE field, ``photos`` JSON
        text, categoricals as text; CRS EPSG:4326.
    ``parquet``
        GeoParquet (through pyarrow): dtypes kept as in pandas (``date`` datetime64,
        categoricals), ``photos`` JSON text; CRS EPSG:4326.
    ``csv``
        :func:`events_csv`; coordinates only in ``lat``/``lon`` (WGS84; a CSV records no CRS).

    Parameters
    ----------
    events
        From :func:`geo.load_events` (filtered rows are fine).
    out
        The file; its extension must fit the format (e.g. ``.gpkg``).
    fmt
        ``geojson``, ``gpkg``, ``parquet`` or ``csv``.

    Returns
    -------
    Path
        ``out``.

    Raises
    ------
    geo.errors.UsageError
        For a bad format or path (see :func:`check_format`), events not in EPSG:4326 or
        lacking columns, or a file that cannot be written.

    Examples
    --------
    >>> import geo, geopandas as gpd, tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "events.gpkg"
    >>> path = write_events(geo.load_events("data"), out, "gpkg")
    >>> back = gpd.read_file(path)
    >>> back.crs.to_string(), len(back)
    ('EPSG:4326', 9)
    """
    out = check_format(out, fmt)
    _require_events(events)
    try:
        if fmt == "geojson":
            write_geojson(events, out)
        elif fmt == "gpkg":
            _write_gpkg(events, out)
        elif fmt == "parquet":
            with atomic_path(out) as tmp:
                flat_events(events).to_parquet(tmp, index=False)
        else:
            with atomic_open(out, "w", newline="") as fh:
                fh.write(events_csv(events))
    except OSError as exc:
        raise UsageError(f"cannot write {out}: {exc.strerror or exc}; choose a folder you can "
                         "write to") from exc
    return out


def _require_events(events: gpd.GeoDataFrame) -> None:
    """Check that ``events`` is an events frame as :func:`geo.load_events` returns it.

    Rows may have been filtered; the columns and the CRS must be as loaded.

    Raises
    ------
    geo.errors.UsageError
        Naming the missing columns or the wrong CRS, and the fix.
    """
    if not isinstance(events, gpd.GeoDataFrame):
        raise UsageError("write_events takes the GeoDataFrame of geo.load_events(), not a "
                         f"{type(events).__name__}")
    if events.crs is None or not events.crs.equals(CRS):
        raise UsageError(f"events must be in {CRS} (they are in {events.crs}); use "
                         f"events.to_crs('{CRS}')")
    missing = [c for c in EVENT_COLUMNS if c not in events.columns]
    if missing:
        raise UsageError(f"events lack the columns {', '.join(missing)}; pass the "
                         "frame of geo.load_events() (filtered rows are fine, dropped columns "
                         "are not)")


def _write_gpkg(events: gpd.GeoDataFrame, out: Path) -> None:
    import pyarrow as pa
    import pyogrio

    flat = flat_events(events)
    flat["date"] = flat["date"].astype(pd.ArrowDtype(pa.date32()))
    for column in flat.columns:
        if isinstance(flat[column].dtype, pd.CategoricalDtype):
            flat[column] = flat[column].astype(object).where(flat[column].notna(), None)
    previous = pyogrio.get_gdal_config_option("OGR_CURRENT_DATE")
    pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": GPKG_TIMESTAMP})
    try:
        with atomic_path(out, suffix=".gpkg") as tmp:
            pyogrio.write_dataframe(flat, tmp, layer=GPKG_LAYER, driver="GPKG", use_arrow=True)
    finally:
        pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": previous})


def export_events(data_dir: str | Path, out: str | Path, fmt: str) -> Path:
    """Load the events of a data folder and write them (``protest-map export``).

    The format and path are checked before the tables are read; see :func:`write_events`.

    Parameters
    ----------
    data_dir
        Folder with the CSV tables.
    out
        The file to write.
    fmt
        ``geojson``, ``gpkg``, ``parquet`` or ``csv``.

    Returns
    -------
    Path
        ``out``.

    Raises
    ------
    geo.errors.DataError
        When the tables are invalid (nothing is written).
    geo.errors.UsageError
        For a bad format or path.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "events.csv"
    >>> export_events("data", out, "csv").name
    'events.csv'
    """
    from geo.api import load_events

    out = check_format(out, fmt)
    return write_events(load_events(data_dir), out, fmt)
