"""The tables as typed (Geo)DataFrames, and the map, for Python and Jupyter users.

Each loader reads and validates the whole data folder (:func:`geo.tables.load_dataset`), so
what an analyst gets is exactly what ``protest-map build`` puts on the map. Approximations the
build would warn about (e.g. venues placed at a city centre) are logged on the ``geo`` logger at
INFO level; the ``precision`` column says the same for every row.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

import geopandas as gpd
import pandas as pd

from geo.export import check_format, write_events
from geo.join import context_places, join_events, place_venues
from geo.places.gazetteer import default_gazetteer
from geo.schema import CRS, PRECISIONS, VENUE_COLUMNS, VENUE_KINDS
from geo.tables import LINE, Dataset, load_dataset
from geo.tables.report import console_lines

if TYPE_CHECKING:
    import folium

log = logging.getLogger("geo")


def _dataset(data: str | Path, skip_invalid: bool = False) -> Dataset:
    ds = load_dataset(data, skip_invalid=skip_invalid)
    for line in console_lines(ds.warnings):
        log.info("%s", line)
    for file, n in ds.left_out.items():
        if n:
            log.warning("%s: left out %d of %d rows with a problem (see the dataset's problems, "
                        "or protest-map validate --report)", file, n, ds.rows.get(file, n))
    return ds


def load_events(data: str | Path = "data", *, skip_invalid: bool = False) -> gpd.GeoDataFrame:
    """Load the protests as points: one row per protest, at its venue or its city.

    Parameters
    ----------
    data
        Folder with ``protests.csv``, ``venues.csv`` and optionally ``photos.csv``.
    skip_invalid
        Leave out the rows with a problem (and the protests at a venue left out) instead of
        raising, as ``protest-map build --skip-invalid`` does; how many is logged as a warning.

    Returns
    -------
    GeoDataFrame
        CRS EPSG:4326; columns :data:`geo.schema.EVENT_COLUMNS` plus ``geometry`` (and any
        extra columns of ``protests.csv``); ``date`` is datetime64, ``venue_kind`` and
        ``precision`` are categoricals, ``photos`` a list of ``{src, caption, credit, alt}``
        per row. Sorted by date, then id.

    Raises
    ------
    geo.errors.DataError
        Listing every problem in the tables (file, line, column, fix).

    Examples
    --------
    >>> import geo
    >>> events = geo.load_events("data")
    >>> events.crs.to_string(), len(events)
    ('EPSG:4326', 9)
    >>> str(events["date"].dtype).startswith("datetime64"), events["venue_kind"].dtype.name
    (True, 'category')
    >>> events.loc[0, ["id", "city", "venue_kind", "precision"]].tolist()
    ['2011-12-16-berlin-embassy', 'Berlin', 'embassy', 'street']
    """
    return join_events(_dataset(data, skip_invalid))


def load_venues(data: str | Path = "data") -> gpd.GeoDataFrame:
    """Load the venues as points, placed as on the map.

    Venues without coordinates are placed at their city's centre by the offline gazetteer
    (``precision`` ``city``, ``source`` ``geonames:…``).

    Returns
    -------
    GeoDataFrame
        CRS EPSG:4326; the columns of ``venues.csv`` (``lat``/``lon`` as floats, ``kind`` and
        ``precision`` as categoricals) plus ``geometry``, in file order.

    Examples
    --------
    >>> import geo
    >>> venues = geo.load_venues("data")
    >>> berlin = venues.set_index("id").loc["kz-embassy-berlin"]
    >>> berlin[["kind", "represents", "precision"]].tolist()
    ['embassy', 'KZ', 'street']
    """
    venues = place_venues(_dataset(data).venues, default_gazetteer())
    venues = venues.drop(columns=[LINE]).reset_index(drop=True)
    first = [*VENUE_COLUMNS, "place_note"]
    venues = venues[first + [c for c in venues.columns if c not in first]]
    venues["kind"] = pd.Categorical(venues["kind"], categories=VENUE_KINDS)
    venues["precision"] = pd.Categorical(venues["precision"], categories=PRECISIONS)
    venues["lat"] = venues["lat"].astype(float)
    venues["lon"] = venues["lon"].astype(float)
    return gpd.GeoDataFrame(venues, geometry=gpd.points_from_xy(venues["lon"], venues["lat"]),
                            crs=CRS)


def load_protests(data: str | Path = "data") -> pd.DataFrame:
    """Load the protest records of ``protests.csv`` (not joined to their places), validated.

    Returns
    -------
    DataFrame
        The columns of ``protests.csv`` as strings, except ``date`` and ``end_date``
        (datetime64; ``end_date`` NaT when blank); file order.

    Examples
    --------
    >>> import geo
    >>> protests = geo.load_protests("data")
    >>> len(protests), protests["date"].min().strftime("%Y-%m-%d")
    (9, '2011-12-16')
    """
    protests = _dataset(data).protests.drop(columns=[LINE]).reset_index(drop=True)
    for column in ("date", "end_date"):
        protests[column] = pd.to_datetime(protests[column].where(protests[column] != ""),
                                          format="%Y-%m-%d")
    return protests


def load_context(data: str | Path = "data") -> gpd.GeoDataFrame:
    """Load the context places of ``context.csv`` (what the protests were about), as points.

    Returns
    -------
    GeoDataFrame
        CRS EPSG:4326; ``date`` as datetime64 (NaT when blank); empty without ``context.csv``.

    Examples
    --------
    >>> import geo
    >>> geo.load_context("data").loc[0, ["id", "city", "country"]].tolist()
    ['zhanaozen-2011', 'Zhanaozen', 'KZ']
    """
    return context_places(_dataset(data))


def build_map(
    events: gpd.GeoDataFrame,
    context: gpd.GeoDataFrame | None = None,
    *,
    title: str | None = None,
    data: str | Path | None = None,
    lang: str = "en",
) -> folium.Map:
    """Make the interactive map of ``events``, the same one ``protest-map build`` writes.

    In Jupyter the map shows inline when it is a cell's last value. Leaflet and its plugins
    are inlined, so it also works offline; :func:`geo.render.page_html` gives the page that
    ``protest-map build`` writes.

    Parameters
    ----------
    events
        From :func:`load_events`, possibly filtered (e.g. ``events[events.country == "AT"]``).
    context
        Context places from :func:`load_context`, drawn apart from the protests.
    title
        Map title; from the dates if None (e.g. ``"Protests, 16–17 December 2011"``).
    data
        The data folder, to show photos whose ``src`` is a local path; without it they show
        as not supplied.
    lang
        The map's language when the reader's browser asks for none it has (en, ru, kk, de).

    Returns
    -------
    folium.Map

    Raises
    ------
    geo.errors.UsageError
        When ``events`` lacks columns of :func:`load_events`.

    Examples
    --------
    >>> import geo
    >>> fmap = geo.build_map(geo.load_events("data"), geo.load_context("data"))
    >>> type(fmap).__name__
    'Map'
    """
    from geo import render
    from geo.build import default_title

    return render.make_map(events, context, title=title or default_title(events), cdn=False,
                           data_dir=None if data is None else Path(data), lang=lang)


def export_events(data_dir: str | Path, out: str | Path, fmt: str, *,
                  raw_csv: bool = False) -> Path:
    """Load the events of a data folder and write them (``protest-map export``).

    The format and path are checked before the tables are read; see :func:`geo.export.write_events`.

    Parameters
    ----------
    data_dir
        Folder with the CSV tables.
    out
        The file to write.
    fmt
        ``geojson``, ``gpkg``, ``parquet`` or ``csv``.
    raw_csv
        Write CSV text as it is, formulas included (see :func:`geo.export.write_events`).

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
    out = check_format(out, fmt)
    return write_events(load_events(data_dir), out, fmt, raw_csv=raw_csv)
