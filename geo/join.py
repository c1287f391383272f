"""Join protests, venues and photos into the events GeoDataFrame.

Pure functions of validated tables (:class:`geo.tables.Dataset`): no file or network I/O.
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.gazetteer import Gazetteer, default_gazetteer
from geo.schema import CRS, EVENT_COLUMNS, PRECISIONS, VENUE_KINDS
from geo.tables import LINE, Dataset


def join_events(ds: Dataset, gazetteer: Gazetteer | None = None) -> gpd.GeoDataFrame:
    """One Point per protest, at its venue or, failing that, at its city.

    Parameters
    ----------
    ds
        Validated tables, from :func:`geo.tables.load_dataset`.
    gazetteer
        Places venues without coordinates and protests without a venue (city precision).

    Returns
    -------
    GeoDataFrame
        Columns :data:`geo.schema.EVENT_COLUMNS` plus ``geometry``, CRS EPSG:4326, sorted by
        date then id, with a fresh RangeIndex. ``date`` is datetime64, ``venue_kind`` and
        ``precision`` are categoricals, ``photos`` holds a list of dicts per event.

    Examples
    --------
    >>> from geo.tables import load_dataset
    >>> events = join_events(load_dataset("data"))
    >>> events.crs.to_string(), len(events)
    ('EPSG:4326', 9)
    """
    gaz = gazetteer or default_gazetteer()
    venues = place_venues(ds.venues, gaz)
    v = venues.rename(columns={
        "id": "venue_id", "name": "venue_name", "kind": "venue_kind", "city": "venue_city",
        "country": "venue_country", "source": "location_source"})
    keep = ["venue_id", "venue_name", "venue_kind", "represents", "address", "lat", "lon",
            "precision", "location_source"]
    events = ds.protests.drop(columns=[LINE]).merge(v[keep], on="venue_id", how="left")
    for col in ("venue_name", "venue_kind", "represents", "address", "precision",
                "location_source"):
        events[col] = events[col].fillna("")
    no_venue = events["venue_id"] == ""
    if no_venue.any():
        lat, lon, src = _city_points(events.loc[no_venue, ["city", "country"]], gaz)
        events.loc[no_venue, "lat"] = lat
        events.loc[no_venue, "lon"] = lon
        events.loc[no_venue, "location_source"] = src
        events.loc[no_venue, "precision"] = "city"
    events["photos"] = photo_lists(ds.photos, events["id"])
    events["date"] = pd.to_datetime(events["date"], format="%Y-%m-%d")
    events["venue_kind"] = pd.Categorical(events["venue_kind"].replace("", None),
                                          categories=VENUE_KINDS)
    events["precision"] = pd.Categorical(events["precision"], categories=PRECISIONS)
    events["lat"] = events["lat"].astype(float)
    events["lon"] = events["lon"].astype(float)
    events = events.sort_values(["date", "id"], kind="stable").reset_index(drop=True)
    extra = [c for c in events.columns if c not in EVENT_COLUMNS]
    events = events[list(EVENT_COLUMNS) + extra]
    return gpd.GeoDataFrame(events, geometry=gpd.points_from_xy(events["lon"], events["lat"]),
                            crs=CRS)


def place_venues(venues: pd.DataFrame, gaz: Gazetteer) -> pd.DataFrame:
    """Venues with a point each: their own coordinates, or their city's from the gazetteer.

    A venue with coordinates but no stated precision is taken as exact (``venue``); one placed
    by the gazetteer gets ``city`` precision and a ``geonames:ID`` source.
    """
    out = venues.copy()
    missing = out["lat"].isna() | out["lon"].isna()
    out.loc[~missing & (out["precision"] == ""), "precision"] = "venue"
    if missing.any():
        lat, lon, src = _city_points(out.loc[missing, ["city", "country"]], gaz)
        out.loc[missing, "lat"] = lat
        out.loc[missing, "lon"] = lon
        out.loc[missing, "source"] = src
        out.loc[missing, "precision"] = "city"
    return out


def _city_points(places: pd.DataFrame, gaz: Gazetteer) -> tuple[np.ndarray, np.ndarray, list[str]]:
    cache: dict[tuple[str, str], Any] = {}
    lats, lons, srcs = [], [], []
    for city, country in places.itertuples(index=False):
        key = (city, country)
        if key not in cache:
            cache[key] = gaz.lookup(city, country or None)
        p = cache[key]
        lats.append(p.lat)
        lons.append(p.lon)
        srcs.append(p.source)
    return np.asarray(lats, dtype=float), np.asarray(lons, dtype=float), srcs


def photo_lists(photos: pd.DataFrame, protest_ids: pd.Series) -> list[list[dict[str, str]]]:
    """For each protest id, its photos as ``{src, caption, credit, alt}`` dicts in file order.

    ``alt`` defaults to the caption.
    """
    by_id: dict[str, list[dict[str, str]]] = {}
    for pid, src, caption, credit, alt in photos[
        ["protest_id", "src", "caption", "credit", "alt"]
    ].itertuples(index=False):
        by_id.setdefault(pid, []).append(
            {"src": src, "caption": caption, "credit": credit, "alt": alt or caption})
    return [by_id.get(pid, []) for pid in protest_ids]


def context_places(ds: Dataset) -> gpd.GeoDataFrame:
    """The context places (what the protests were about) as a GeoDataFrame in EPSG:4326.

    Examples
    --------
    >>> from geo.tables import load_dataset
    >>> context_places(load_dataset("data"))["id"].tolist()
    ['zhanaozen-2011']
    """
    ctx = ds.context.drop(columns=[LINE]).reset_index(drop=True)
    ctx["date"] = pd.to_datetime(ctx["date"].replace("", None), format="%Y-%m-%d")
    return gpd.GeoDataFrame(ctx, geometry=gpd.points_from_xy(ctx["lon"], ctx["lat"]), crs=CRS)
