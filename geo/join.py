"""Join protests, venues and photos into the events GeoDataFrame.

Pure functions of validated tables (:class:`geo.tables.Dataset`): no file or network I/O. The
join is vectorised: venue columns are taken by position (one index lookup per protest), and the
gazetteer is asked once per distinct city. When the protests are a dask DataFrame (a data folder
with a partitioned ``protests.parquet``, see :mod:`geo.tables.partitions`), the same
per-partition join runs on every partition and the result is a dask-geopandas GeoDataFrame.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from geo._arrow import arrow_array, take_rows
from geo.places.gazetteer import Gazetteer, default_gazetteer
from geo.places.regions import default_regions
from geo.places.resolve import resolve_city
from geo.schema import (
    CRS,
    EVENT_COLUMNS,
    OWN_POINT,
    PRECISIONS,
    PROTEST_COLUMNS,
    VENUE_KINDS,
)
from geo.tables import LINE, Dataset
from geo.tables.columns import index_in

if TYPE_CHECKING:
    import dask.dataframe as dd
    import dask_geopandas

VENUE_FIELDS = {
    "id": "venue_id", "name": "venue_name", "kind": "venue_kind", "represents": "represents",
    "address": "address", "lat": "lat", "lon": "lon", "precision": "precision",
    "source": "location_source",
}
"""Venue columns carried into the events, and their names there."""

OWN_FIELDS = ("lat", "lon", "precision")
"""A protest's own point: used when it has no venue, else ignored (see check_protests)."""


def join_events(
    ds: Dataset, gazetteer: Gazetteer | None = None, *, release: bool = False
) -> gpd.GeoDataFrame | dask_geopandas.GeoDataFrame:
    """One Point per protest: at its venue, else at its own lat/lon, else at its city.

    A protest with a venue is placed at the venue even when the row gives a point of its own
    (validation warns that the point is ignored). ``location_source`` says where each point
    came from: the venue's ``source``, ``protest`` (:data:`geo.schema.OWN_POINT`) or the
    gazetteer's ``geonames:ID``.

    Parameters
    ----------
    ds
        Validated tables, from :func:`geo.tables.load_dataset`.
    gazetteer
        Places venues without coordinates and protests without a venue (city precision).
    release
        Let go of each column of ``ds.protests`` once it is reordered into the events, and of
        ``ds.venues`` once placed (the columns are removed from them): for a caller with no more
        use for the tables, such as the build, so that a million reports are not held twice.

    Returns
    -------
    GeoDataFrame
        Columns :data:`geo.schema.EVENT_COLUMNS` plus the protests' extra columns and
        ``geometry``, CRS EPSG:4326, sorted by date then id, with a fresh RangeIndex. ``date``
        and ``end_date`` are datetime64 (``end_date`` NaT for a one-day protest),
        ``venue_kind`` and ``precision`` are categoricals, ``photos`` holds a
        list of dicts per event. A dask-geopandas GeoDataFrame (each partition sorted) when
        ``ds.protests`` is a dask DataFrame.

    Examples
    --------
    >>> from geo.tables import load_dataset
    >>> events = join_events(load_dataset("data"))
    >>> events.crs.to_string(), len(events)
    ('EPSG:4326', 9)
    """
    gaz = gazetteer or default_gazetteer()
    if isinstance(ds.protests, pd.DataFrame):  # no name holds the placed venues here, so
        # that events_frame can let go of them
        return events_frame(ds.protests, _placed(ds, gaz, release=release), ds.photos, gaz,
                            release=release)
    return join_partitions(ds.protests, place_venues(ds.venues, gaz), ds.photos, gaz)


def _placed(ds: Dataset, gaz: Gazetteer, *, release: bool) -> pd.DataFrame:
    """:func:`place_venues` of ``ds.venues``; with ``release`` its columns are removed from it."""
    venues = place_venues(ds.venues, gaz)
    if release:
        for column in list(ds.venues.columns):
            del ds.venues[column]
    return venues


def events_frame(protests: pd.DataFrame, venues: pd.DataFrame, photos: pd.DataFrame,
                 gaz: Gazetteer, *, release: bool = False) -> gpd.GeoDataFrame:
    """Join some protests (all of them, or one partition) to their places and photos.

    Parameters
    ----------
    protests
        Validated protest rows.
    venues
        From :func:`place_venues`: every venue with a point.
    photos
        Validated photo rows (those of other protests are ignored).
    gaz
        Places protests without a venue or a point of their own at their city.
    release
        Remove the columns from ``protests`` as they are reordered (see :func:`join_events`).

    Returns
    -------
    GeoDataFrame
        As :func:`join_events` describes, sorted by date then id.
    """
    extra = [c for c in protests.columns
             if c not in PROTEST_COLUMNS and c not in EVENT_COLUMNS and c != LINE]
    # ISO dates sort as text; sort first so that every column is reordered once.
    order = date_order(protests)
    own = take_rows(protests, OWN_FIELDS, order)
    base = take_rows(protests, [c for c in (*PROTEST_COLUMNS, *extra) if c not in OWN_FIELDS],
                     order, release=release)
    places = venues[[*VENUE_FIELDS, "region", "place_note"]].reset_index(drop=True)
    del venues  # with ``release``, the join's only hold on the venues' other columns
    places["country"] = ""
    pos = index_in(base["venue_id"], places["id"])
    own_lat, own_lon = (pd.to_numeric(own[c].where(own[c] != ""), errors="coerce")
                        .to_numpy(dtype=float) for c in ("lat", "lon"))
    at_own = (pos < 0) & ~np.isnan(own_lat) & ~np.isnan(own_lon)  # no venue, a point of its own
    at_city = (pos < 0) & ~at_own  # placed at the city, one row per distinct city
    pos[at_own] = len(places)  # a blank row, filled in below
    places = pd.concat([places, pd.DataFrame({c: [np.nan if c in ("lat", "lon") else ""]
                                              for c in places.columns}).astype(places.dtypes)],
                       ignore_index=True)
    if at_city.any():
        keys = pd.MultiIndex.from_arrays([base.loc[at_city, c].to_numpy()
                                          for c in ("city", "country", "region")])
        cities = keys.unique()
        city, country, region = (pd.Series(cities.get_level_values(i)) for i in range(3))
        found = city_points(city, country, region, gaz)
        blank = [""] * len(cities)
        rows = pd.DataFrame({**{c: blank for c in VENUE_FIELDS}, **found})
        pos[at_city] = len(places) + cities.get_indexer(keys)
        places = pd.concat([places, rows.astype(places.dtypes.to_dict())], ignore_index=True)
    taken = take_rows(places, [c for c in places.columns if c != "id"], pos).rename(
        columns={**VENUE_FIELDS, "region": "_region", "country": "_country"})
    del places
    lat, lon = taken["lat"].to_numpy(dtype=float), taken["lon"].to_numpy(dtype=float)
    if at_own.any():
        lat, lon = np.where(at_own, own_lat, lat), np.where(at_own, own_lon, lon)
        taken["precision"] = _where(at_own, own["precision"], taken["precision"])
        taken["location_source"] = _where(at_own, OWN_POINT, taken["location_source"])
    taken["lat"], taken["lon"] = lat, lon
    events = pd.concat([base, taken], axis=1)
    named = canonical_regions(events["region"], events["country"])
    events["region"] = _where((named != "").to_numpy(), named, events["_region"])
    events["country"] = _where((events["_country"] != "").to_numpy(), events["_country"],
                               events["country"])
    events = events.drop(columns=["_region", "_country"])
    events["photos"] = photo_lists(photos, events["id"])
    for col in ("date", "end_date"):
        codes, days = pd.factorize(events[col])  # few distinct days: parse each once
        parsed = pd.to_datetime(pd.Series(days).where(days != ""), format="%Y-%m-%d")
        events[col] = parsed.to_numpy()[codes]
    for col, words in (("venue_kind", VENUE_KINDS), ("precision", PRECISIONS)):
        codes = index_in(events[col], pd.Series(words))  # -1 (blank): missing
        events[col] = pd.Categorical.from_codes(codes, categories=list(words))
    events = events[list(EVENT_COLUMNS) + extra]
    return gpd.GeoDataFrame(events, geometry=gpd.points_from_xy(events["lon"], events["lat"]),
                            crs=CRS)


def date_order(protests: pd.DataFrame) -> np.ndarray | None:
    """Positions of the rows sorted by ``date`` then ``id``; None when they are in that order.

    ISO dates sort as text (Arrow's sort, by code point, as pandas sorts strings).

    Examples
    --------
    >>> date_order(pd.DataFrame({"date": ["2011-12-17", "2011-12-16"], "id": ["a", "b"]}))
    array([1, 0])
    """
    keys = pa.table({"date": arrow_array(protests["date"].astype("str")),
                     "id": arrow_array(protests["id"].astype("str"))})
    order = pc.sort_indices(keys, sort_keys=[("date", "ascending"), ("id", "ascending")])
    rows = order.to_numpy().astype(np.int64)
    return None if (rows == np.arange(len(rows))).all() else rows


def _where(mask: np.ndarray, values: pd.Series | str, other: pd.Series) -> pd.Series:
    """Strings: ``values`` (a column, or one value for all) where ``mask`` holds, else ``other``.

    Examples
    --------
    >>> _where(np.array([True, False]), "x", pd.Series(["a", "b"], dtype="str")).tolist()
    ['x', 'b']
    """
    chosen = values if isinstance(values, str) else arrow_array(values)
    return pd.Series(pd.array(pc.if_else(pa.array(mask), chosen, arrow_array(other)),
                              dtype="str"), index=other.index)


def place_venues(venues: pd.DataFrame, gaz: Gazetteer) -> pd.DataFrame:
    """Venues with a point each: their own coordinates, or their city's from the gazetteer.

    A venue with coordinates but no stated precision is taken as exact (``venue``); one placed
    by the gazetteer gets ``city`` precision (``region`` for a town it does not know, placed in
    its region) and a ``geonames:ID`` source. ``region`` becomes the
    region's name ("Maine" for "ME"), or the chosen place's region when the gazetteer placed
    the venue; ``place_note`` says how the gazetteer chose, when it was a choice.
    """
    out = venues.copy(deep=False)
    out["region"] = canonical_regions(out["region"], out["country"])
    out["place_note"] = pd.Series("", index=out.index, dtype="str")
    missing = (out["lat"].isna() | out["lon"].isna()).to_numpy()
    exact = ~missing & (out["precision"] == "").to_numpy()
    out["precision"] = _where(exact, "venue", out["precision"])
    if missing.any():
        found = city_points(out.loc[missing, "city"], out.loc[missing, "country"],
                            venues.loc[missing, "region"], gaz)
        mask = pa.array(missing)
        for column in ("lat", "lon", "source", "region", "place_note", "precision"):
            if column in ("lat", "lon"):
                values = out[column].to_numpy(dtype=float, copy=True)
                values[missing] = found[column]
                out[column] = values
            else:
                out[column] = pd.Series(pd.array(pc.replace_with_mask(
                    arrow_array(out[column]), mask, pa.array(found[column], pa.large_string())),
                    dtype="str"), index=out.index)
    return out


def canonical_regions(region: pd.Series, country: pd.Series) -> pd.Series:
    """Each row's region by its name ("Maine" for "ME" or "US-ME"); blank stays blank."""
    if not (region != "").any():
        return region.astype("str")
    regions = default_regions()
    keys = pd.MultiIndex.from_arrays([region.to_numpy(), country.to_numpy()])
    unique = keys.unique()
    names = [(r.label if (r := regions.find(k, v)) else v) if v else "" for v, k in unique]
    return pd.Series(np.array(names, dtype=object)[unique.get_indexer(keys)],
                     index=region.index, dtype="str")


def city_points(city: pd.Series, country: pd.Series, region: pd.Series,
                gaz: Gazetteer) -> dict[str, np.ndarray]:
    """Each row's place (:func:`geo.places.resolve.resolve_city`), one lookup per distinct city.

    Returns
    -------
    dict
        Arrays ``lat``, ``lon``, ``source`` (``geonames:ID``), ``country`` (where the place is
        today), ``region`` (its name), ``place_note`` and ``precision`` (``city``, or
        ``region``), one value per row.
    """
    keys = pd.MultiIndex.from_arrays([city.to_numpy(), country.to_numpy(), region.to_numpy()])
    unique = keys.unique()
    gaz.prepare(c for c, _, _ in unique)
    regions = default_regions()
    found = [resolve_city(gaz, regions, c, k, r) for c, k, r in unique]
    places = [f.place if f.place is not None else gaz.lookup(c, k or None)
              for f, (c, k, _) in zip(found, unique, strict=True)]
    pos = unique.get_indexer(keys)
    return {
        "lat": np.array([p.lat for p in places], dtype=float)[pos],
        "lon": np.array([p.lon for p in places], dtype=float)[pos],
        "source": np.array([p.source for p in places], dtype=object)[pos],
        "country": np.array([f.country for f in found], dtype=object)[pos],
        "region": np.array([f.region for f in found], dtype=object)[pos],
        "place_note": np.array([f.note for f in found], dtype=object)[pos],
        "precision": np.array([f.precision for f in found], dtype=object)[pos],
    }


def photo_lists(photos: pd.DataFrame, protest_ids: pd.Series) -> list[list[dict[str, str]]]:
    """For each protest id, its photos as ``{src, caption, credit, alt}`` dicts in file order.

    ``alt`` defaults to the caption. Photos of other protests are ignored.

    Examples
    --------
    >>> photos = pd.DataFrame({"protest_id": ["a", "a"], "src": ["", ""],
    ...                        "caption": ["One", "Two"], "credit": ["", ""], "alt": ["", "2"]})
    >>> photo_lists(photos, pd.Series(["b", "a"]))
    [[], [{'src': '', 'caption': 'One', 'credit': '', 'alt': 'One'}, \
{'src': '', 'caption': 'Two', 'credit': '', 'alt': '2'}]]
    """
    out: list[list[dict[str, str]]] = [[] for _ in range(len(protest_ids))]
    pos = index_in(photos["protest_id"], protest_ids)
    alt = photos["alt"].where(photos["alt"] != "", photos["caption"])
    for p, src, caption, credit, text in zip(pos.tolist(), photos["src"].tolist(),
                                             photos["caption"].tolist(),
                                             photos["credit"].tolist(), alt.tolist(), strict=True):
        if p >= 0:
            out[p].append({"src": src, "caption": caption, "credit": credit, "alt": text})
    return out


def context_places(ds: Dataset) -> gpd.GeoDataFrame:
    """Return the context places (what the protests were about) as points in EPSG:4326.

    Examples
    --------
    >>> from geo.tables import load_dataset
    >>> context_places(load_dataset("data"))["id"].tolist()
    ['zhanaozen-2011']
    """
    ctx = ds.context.drop(columns=[LINE]).reset_index(drop=True)
    ctx["date"] = pd.to_datetime(ctx["date"].where(ctx["date"] != ""), format="%Y-%m-%d")
    return gpd.GeoDataFrame(ctx, geometry=gpd.points_from_xy(ctx["lon"], ctx["lat"]), crs=CRS)


def join_partitions(protests: dd.DataFrame, venues: pd.DataFrame, photos: pd.DataFrame,
                    gaz: Gazetteer) -> dask_geopandas.GeoDataFrame:
    """:func:`events_frame` on every partition: a lazy dask-geopandas GeoDataFrame.

    Each partition is sorted by date then id; write the result with
    :func:`geo.export.write_parquet`.
    """
    join = functools.partial(events_frame, venues=venues, photos=photos, gaz=gaz)
    events: dask_geopandas.GeoDataFrame = protests.map_partitions(join, meta=join(protests._meta))
    return events
