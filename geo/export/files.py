"""Write the events GeoDataFrame to files other tools read: GeoJSON, GeoPackage, GeoParquet, CSV.

Every writer is atomic (:mod:`geo._atomic`): a reader never sees half a file, and a failure
leaves the previous file in place. The same events give the same bytes. ``events_geojson`` and
``events_csv`` are pure functions that return the text, so builds can write it together with
the map.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Final

import geopandas as gpd
import pandas as pd
import pyarrow as pa

from geo._atomic import atomic_open, atomic_path, expected, io_error
from geo.errors import OutputError, UsageError
from geo.export.geojson import write_geojson
from geo.schema import CRS, EVENT_COLUMNS

FORMATS: Final[dict[str, tuple[str, ...]]] = {
    "geojson": (".geojson", ".json"),
    "gpkg": (".gpkg",),
    "parquet": (".parquet", ".geoparquet"),
    "csv": (".csv",),
}
"""Export formats and the file extensions each accepts (the first is the usual one)."""

DATE_COLUMNS: Final = ("date", "end_date")
"""Event columns holding days (``end_date`` blank for a one-day protest)."""

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


FORMULA_START: Final = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet read a cell as a formula (CSV injection)."""

_NUMBER: Final = r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?"
"""A number as text (``-33.9``): a spreadsheet reads it as a number, not a formula."""


def spreadsheet_safe(values: pd.Series) -> pd.Series:
    r"""Text cells a spreadsheet would run as a formula, with a ``'`` put in front.

    A cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is neutralised
    (the OWASP advice for CSV injection); numbers as text (``-33.9``) and blanks are kept.

    Examples
    --------
    >>> spreadsheet_safe(pd.Series(["=HYPERLINK(1)", "-33.9", "@x", "ok", ""])).tolist()
    ["'=HYPERLINK(1)", '-33.9', "'@x", 'ok', '']
    """
    text = values.astype(object)
    is_text = text.map(lambda v: isinstance(v, str))
    risky = is_text & text.where(is_text, "").str.startswith(FORMULA_START)
    risky &= ~text.where(is_text, "").str.fullmatch(_NUMBER)
    return text.where(~risky, "'" + text.where(risky, "").astype(str))


def without_nul(values: pd.Series) -> pd.Series:
    """Text with each NUL character replaced by U+FFFD (GeoPackage text stops at a NUL)."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        return values.cat.rename_categories(
            [c.replace("\x00", "\ufffd") if isinstance(c, str) else c
             for c in values.cat.categories])
    return values.map(lambda v: v.replace("\x00", "\ufffd") if isinstance(v, str) else v)


def _text_columns(frame: pd.DataFrame) -> list[str]:
    """The columns that may hold text (not the geometry, numbers or dates)."""
    geometry = frame.geometry.name if isinstance(frame, gpd.GeoDataFrame) else None
    return [c for c in frame.columns if c != geometry and (
        pd.api.types.is_object_dtype(frame[c].dtype)
        or isinstance(frame[c].dtype, (pd.CategoricalDtype, pd.StringDtype)))]


def flat_events(events: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return the events with ``photos`` as JSON text (:func:`photos_json`), the rest as is.

    A NUL character in text becomes U+FFFD (:func:`without_nul`), as in the GeoJSON.
    """
    flat = events.copy()
    flat["photos"] = [photos_json(p) for p in flat["photos"]]
    for column in _text_columns(flat):
        flat[column] = without_nul(flat[column])
    return flat


def events_csv(events: gpd.GeoDataFrame, *, raw: bool = False) -> str:
    """Return the events as CSV text: every column but ``geometry``; points in ``lat``/``lon``.

    Dates (``date``, ``end_date``) are written ``YYYY-MM-DD``, ``photos`` as JSON text, blanks
    as empty fields. Text a spreadsheet would run as a formula gets a ``'`` in front
    (:func:`spreadsheet_safe`) unless ``raw``; numbers are written as they are.

    Examples
    --------
    >>> import geo
    >>> events_csv(geo.load_events("data")).splitlines()[0].split(",")[-3:]
    ['photos', 'lat', 'lon']
    """
    table = pd.DataFrame(flat_events(events).drop(columns=events.geometry.name))
    for column in DATE_COLUMNS:
        table[column] = table[column].dt.strftime("%Y-%m-%d")
    if not raw:
        for column in _text_columns(table):
            table[column] = spreadsheet_safe(table[column])
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


def write_events(events: gpd.GeoDataFrame, out: str | Path, fmt: str, *,
                 raw_csv: bool = False) -> Path:
    """Write events in one of :data:`FORMATS`, atomically.

    ``geojson``
        RFC 7946, as in ``events.geojson`` of a build (:func:`events_geojson`).
    ``gpkg``
        GeoPackage (through pyogrio), layer ``events``: ``date`` and ``end_date`` DATE fields
        (``end_date`` null for a one-day protest), ``photos`` JSON
        text, categoricals as text; CRS EPSG:4326.
    ``parquet``
        GeoParquet (through pyarrow): dtypes kept as in pandas (``date``, ``end_date`` datetime64,
        categoricals), ``photos`` JSON text; CRS EPSG:4326.
    ``csv``
        :func:`events_csv`; coordinates only in ``lat``/``lon`` (WGS84; a CSV records no CRS);
        text a spreadsheet would run as a formula starts with ``'`` unless ``raw_csv``.

    In every format a NUL character in text is written as U+FFFD.

    Parameters
    ----------
    events
        From :func:`geo.load_events` (filtered rows are fine).
    out
        The file; its extension must fit the format (e.g. ``.gpkg``).
    fmt
        ``geojson``, ``gpkg``, ``parquet`` or ``csv``.
    raw_csv
        Write CSV text as it is, formulas included (for tools that are not spreadsheets).

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
    if raw_csv and fmt != "csv":
        raise UsageError(f"--raw-csv is for --format csv, not {fmt}")
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
                fh.write(events_csv(events, raw=raw_csv))
    except OSError as exc:
        if isinstance(exc, OutputError) or not expected(exc):
            raise
        raise io_error(exc, out) from exc
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
    import pyogrio

    flat = flat_events(events)
    for column in DATE_COLUMNS:
        flat[column] = flat[column].astype(pd.ArrowDtype(pa.date32()))
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
