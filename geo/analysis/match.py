"""Attach the nearest venue to points from other sources (ACLED, GDELT, your own list).

How distances are measured
--------------------------
The nearest venue is searched with :func:`geopandas.sjoin_nearest` in an azimuthal equidistant
projection (AEQD) centred on the venues. Its scale is exactly 1 along lines through the centre
and ``θ / sin θ`` across them, at an angle ``θ`` from the centre; so a projected distance is never
shorter than the true one, and at most ``k = θ / sin θ`` times longer (1.2 % for points 15°
away, the span of Europe). For each point, every venue whose projected distance is within ``k``
times the projected nearest one is a candidate; the reported ``distance_m`` is the geodesic
distance on the WGS84 ellipsoid (:class:`pyproj.Geod`) to the closest candidate. The result is
therefore the true geodesic nearest venue, not an artefact of the projection.

The projection is valid within a hemisphere: when the venues (and, with no distance limit, the
points) spread farther than 90° from their centre, :class:`~geo.errors.UsageError` asks to match
region by region. Points farther from every venue than ``max_distance_m`` are set aside before
projecting, so a world-wide event list can be matched against one continent's venues.

Ties
----
Distances are compared to the millimetre. When several venues are equally near, the one with the
smallest id (in Python string order) wins, so the answer does not depend on the order of the
rows.
"""

from __future__ import annotations

import math
from typing import Final, TypeVar

import geopandas as gpd
import numpy as np
import pandas as pd
from pyproj import CRS as ProjCRS
from pyproj import Geod

from geo.errors import UsageError
from geo.schema import CRS

Frame = TypeVar("Frame", pd.DataFrame, gpd.GeoDataFrame)

COORDINATE_NAMES: Final = (("lat", "lon"), ("latitude", "longitude"), ("lat", "lng"))
"""Column pairs recognised as coordinates (any case), tried in this order."""

TIE_RESOLUTION_M: Final = 0.001
"""Distances are rounded to this many metres (1 mm) before comparing; equal ones are ties."""

DEFAULT_MAX_DISTANCE_M: Final = 1000.0
"""Default of ``max_distance_m``: event datasets often place a protest at a street or a square
near the venue rather than on it."""

MAX_SPREAD_DEG: Final = 90.0
"""How far from their centre the points may spread for the projection to hold (a hemisphere)."""

_WGS84: Final = Geod(ellps="WGS84")
_SMALLEST_RADIUS_M: Final = 6_335_439.327
"""Smallest radius of curvature of WGS84 (the meridian at the equator): turns metres into an
angle that is never too small."""
_ELLIPSOID_MARGIN: Final = 1.01
"""Headroom over the spherical scale bound, for the ellipsoid's uneven curvature."""


def match_venues(
    points: Frame,
    venues: pd.DataFrame,
    max_distance_m: float = DEFAULT_MAX_DISTANCE_M,
    *,
    lat: str | None = None,
    lon: str | None = None,
) -> Frame:
    """Give each point the id of its nearest venue and the distance, within a limit.

    Parameters
    ----------
    points
        Events to match: a GeoDataFrame of points in any CRS, or a DataFrame with latitude and
        longitude columns in WGS84 degrees (``lat``/``lon``, ``latitude``/``longitude`` or
        ``lat``/``lng``, any case), as in an ACLED or GDELT export.
    venues
        Venues with an ``id`` column and points: :func:`geo.load_venues`, or any (Geo)DataFrame
        with coordinates as for ``points``.
    max_distance_m
        Points farther than this (geodesic metres) from every venue get no venue.
    lat, lon
        Names of the coordinate columns of ``points`` when they are not recognised
        automatically (then used even if ``points`` is a GeoDataFrame).

    Returns
    -------
    DataFrame or GeoDataFrame
        A copy of ``points`` (same type, index, order and CRS) with two more columns:
        ``venue_id`` (the nearest venue's id, or None beyond ``max_distance_m``) and
        ``distance_m`` (geodesic metres to it, to the millimetre, NaN without a venue). Ties
        go to the smallest venue id (see the module notes).

    Raises
    ------
    geo.errors.UsageError
        When coordinates are missing or out of range, ``venues`` has no ``id`` column,
        ``points`` already has a ``venue_id`` or ``distance_m`` column, ``max_distance_m`` is
        not a non-negative number, or the venues spread over more than a hemisphere.

    Examples
    --------
    >>> import pandas as pd
    >>> venues = pd.DataFrame({"id": ["kz-embassy-berlin", "kz-consulate-graz"],
    ...                        "lat": [52.585, 47.071], "lon": [13.392, 15.439]})
    >>> acled = pd.DataFrame({"date": ["2011-12-16", "2011-12-16"],
    ...                       "latitude": [52.5862, 48.2082], "longitude": [13.3925, 16.3738],
    ...                       "notes": ["rally at the embassy", "rally in Vienna"]})
    >>> match_venues(acled, venues, max_distance_m=500)[["notes", "venue_id", "distance_m"]]
                      notes           venue_id  distance_m
    0  rally at the embassy  kz-embassy-berlin     137.767
    1       rally in Vienna               None         NaN
    """
    limit = _check_distance(max_distance_m)
    for column in ("venue_id", "distance_m"):
        if column in points.columns:
            raise UsageError(f"points already have a column {column!r}, which match_venues adds; "
                             "rename or drop it first")
    if "id" not in venues.columns:
        raise UsageError("venues need an 'id' column (the venue ids of venues.csv); load them "
                         "with geo.load_venues()")
    p_lat, p_lon = coordinates(points, lat=lat, lon=lon, what="points")
    v_lat, v_lon = coordinates(venues, what="venues")
    ids = venues["id"].astype(str).to_numpy()
    index, distance = nearest(p_lat, p_lon, v_lat, v_lon, ids, max_distance_m=limit)
    out = points.copy()
    found = index >= 0
    venue_id = np.full(len(points), None, dtype=object)
    venue_id[found] = ids[index[found]]
    out["venue_id"] = pd.Series(venue_id, index=out.index, dtype=object)  # None, not NaN
    out["distance_m"] = distance
    return out


def _check_distance(value: float) -> float:
    try:
        limit = float(value)
    except (TypeError, ValueError):
        limit = math.nan
    if not math.isfinite(limit) or limit < 0:
        raise UsageError(f"max_distance_m must be a number of metres, 0 or more; got {value!r}")
    return limit


def coordinates(
    frame: pd.DataFrame,
    *,
    lat: str | None = None,
    lon: str | None = None,
    what: str = "points",
) -> tuple[np.ndarray, np.ndarray]:
    """Latitudes and longitudes (WGS84 degrees) of the rows of ``frame``, checked.

    Parameters
    ----------
    frame
        A GeoDataFrame of points (any CRS; reprojected to EPSG:4326), or a DataFrame with
        coordinate columns (see :data:`COORDINATE_NAMES`).
    lat, lon
        Coordinate column names; they take precedence over the geometry.
    what
        How to call the rows in error messages (``"points"``, ``"venues"``).

    Returns
    -------
    lat, lon : ndarray
        Float arrays in row order.

    Raises
    ------
    geo.errors.UsageError
        Naming the rows and columns whose coordinates are missing, not numbers or out of
        range, or the geometry that is not a point.

    Examples
    --------
    >>> import pandas as pd
    >>> coordinates(pd.DataFrame({"Latitude": [43.34], "Longitude": [52.86]}))
    (array([43.34]), array([52.86]))
    """
    if isinstance(frame, gpd.GeoDataFrame) and lat is None and lon is None:
        return _geometry_coordinates(frame, what)
    lat_col, lon_col = _coordinate_columns(frame, lat, lon, what)
    lats = pd.to_numeric(frame[lat_col], errors="coerce").to_numpy(dtype=float)
    lons = pd.to_numeric(frame[lon_col], errors="coerce").to_numpy(dtype=float)
    problems = []
    for col, values, limit in ((lat_col, lats, 90.0), (lon_col, lons, 180.0)):
        bad = ~(np.abs(values) <= limit)  # NaN is bad too
        for label, raw in zip(frame.index[bad], frame[col].to_numpy()[bad], strict=True):
            problems.append(f"{what} row {label!r}, column {col!r}: {raw!r} is not a "
                            f"{'latitude' if limit == 90 else 'longitude'} (a number from "
                            f"-{limit:g} to {limit:g})")
    _raise_problems(problems, "fix or drop these rows (e.g. frame.dropna(subset=[...]))")
    return lats, lons


def _coordinate_columns(frame: pd.DataFrame, lat: str | None, lon: str | None,
                        what: str) -> tuple[str, str]:
    if lat is not None or lon is not None:
        missing = [c for c in (lat, lon) if c is None or c not in frame.columns]
        if missing:
            raise UsageError(f"{what}: give both lat= and lon=, naming existing columns; "
                             f"not found: {', '.join(map(repr, missing))}")
        return str(lat), str(lon)
    by_lower = {str(c).lower(): c for c in frame.columns}
    for lat_name, lon_name in COORDINATE_NAMES:
        if lat_name in by_lower and lon_name in by_lower:
            return by_lower[lat_name], by_lower[lon_name]
    names = ", ".join(f"{a}/{b}" for a, b in COORDINATE_NAMES)
    raise UsageError(f"{what} have no coordinates: pass a GeoDataFrame, or a DataFrame with "
                     f"columns {names} (WGS84 degrees), or name the columns with lat= and lon=")


def _geometry_coordinates(frame: gpd.GeoDataFrame, what: str) -> tuple[np.ndarray, np.ndarray]:
    if frame.crs is None:
        raise UsageError(f"{what} have no CRS; set it, e.g. frame.set_crs('EPSG:4326') for "
                         "longitude/latitude degrees")
    geoms = frame.geometry.to_crs(CRS)
    not_point = (geoms.geom_type != "Point") | geoms.is_empty | geoms.isna()
    problems = [f"{what} row {label!r}: geometry is {'missing' if g is None else g.geom_type}, "
                "not a point"
                for label, g in zip(frame.index[not_point], geoms[not_point], strict=True)]
    _raise_problems(problems, "give every row a point (e.g. use .centroid of shapes)")
    lats, lons = geoms.y.to_numpy(dtype=float), geoms.x.to_numpy(dtype=float)
    bad = ~((np.abs(lats) <= 90) & (np.abs(lons) <= 180))
    problems = [f"{what} row {label!r}: point ({y}, {x}) is outside -90..90 latitude, "
                "-180..180 longitude"
                for label, y, x in zip(frame.index[bad], lats[bad], lons[bad], strict=True)]
    _raise_problems(problems, "check the CRS set on the frame")
    return lats, lons


def _raise_problems(problems: list[str], fix: str, shown: int = 5) -> None:
    if not problems:
        return
    more = f"\n... and {len(problems) - shown} more" if len(problems) > shown else ""
    raise UsageError("\n".join(problems[:shown]) + more + f"\n{fix}")


def geodesic_m(lat1: np.ndarray, lon1: np.ndarray, lat2: np.ndarray | float,
               lon2: np.ndarray | float) -> np.ndarray:
    """Geodesic distances in metres on the WGS84 ellipsoid, element by element.

    Examples
    --------
    >>> import numpy as np
    >>> round(float(geodesic_m(np.array([0.0]), np.array([0.0]), 0.0, 1.0)[0]))
    111319
    """
    lat1, lon1 = np.asarray(lat1, dtype=float), np.asarray(lon1, dtype=float)
    lat2 = np.broadcast_to(np.asarray(lat2, dtype=float), lat1.shape)
    lon2 = np.broadcast_to(np.asarray(lon2, dtype=float), lon1.shape)
    if lat1.size == 0:
        return np.zeros(lat1.shape)
    return np.asarray(_WGS84.inv(lon1, lat1, lon2, lat2)[2], dtype=float)


def nearest(
    lat: np.ndarray,
    lon: np.ndarray,
    target_lat: np.ndarray,
    target_lon: np.ndarray,
    target_keys: np.ndarray,
    *,
    max_distance_m: float | None = None,
    exclude_self: bool = False,
) -> tuple[np.ndarray, np.ndarray]:
    """For each point, the geodesic nearest target (see the module notes for the method).

    Parameters
    ----------
    lat, lon
        The points, WGS84 degrees.
    target_lat, target_lon
        The targets, WGS84 degrees.
    target_keys
        One string per target; among equally near targets the smallest key wins.
    max_distance_m
        Targets farther than this are not considered; None for no limit.
    exclude_self
        Points and targets are the same rows: a point is never its own nearest target (another
        row at the same place is, at distance 0).

    Returns
    -------
    index : ndarray of int
        Position of the nearest target, -1 where none is within ``max_distance_m``.
    distance : ndarray of float
        Geodesic metres, rounded to the millimetre; NaN where there is no target.

    Examples
    --------
    >>> import numpy as np
    >>> nearest(np.array([0.0, 10.0]), np.array([0.0, 0.0]), np.array([0.0, 0.0]),
    ...         np.array([0.001, -0.001]), np.array(["b", "a"]), max_distance_m=200.0)
    (array([ 1, -1]), array([111.319,     nan]))
    """
    n = len(lat)
    index = np.full(n, -1, dtype=np.int64)
    distance = np.full(n, np.nan)
    if n == 0 or len(target_lat) == 0:
        return index, distance
    lat0, lon0 = _centre(target_lat, target_lon)
    target_reach = float(geodesic_m(target_lat, target_lon, lat0, lon0).max())
    to_centre = geodesic_m(lat, lon, lat0, lon0)
    if max_distance_m is None:
        candidates = np.arange(n)
    else:
        # Beyond this no target can be within reach (triangle inequality; 1 m for rounding).
        candidates = np.flatnonzero(to_centre <= target_reach + max_distance_m + 1.0)
    spread = max(target_reach, float(to_centre[candidates].max(initial=0.0)))
    k = _scale_bound(spread)
    aeqd = ProjCRS.from_proj4(f"+proj=aeqd +lat_0={lat0:.9f} +lon_0={lon0:.9f} +datum=WGS84 "
                              "+units=m +no_defs")
    pts = gpd.GeoDataFrame(geometry=gpd.points_from_xy(lon[candidates], lat[candidates]),
                           crs=CRS).to_crs(aeqd)
    tgt = gpd.GeoDataFrame(geometry=gpd.points_from_xy(target_lon, target_lat),
                           crs=CRS).to_crs(aeqd)
    reach = None if max_distance_m is None else k * max_distance_m + 1e-6
    joined = gpd.sjoin_nearest(pts, tgt, max_distance=reach, distance_col="_projected",
                               exclusive=exclude_self)
    closest = joined.groupby(level=0)["_projected"].min().reindex(range(len(pts)))
    if exclude_self:
        closest = closest.fillna(0.0)  # only rows at the very same place remain candidates
    has = closest.notna().to_numpy()
    radius = closest.to_numpy()[has] * k * (1 + 1e-9) + 1e-6
    if reach is not None:
        radius = np.minimum(radius, reach)
    left, right = tgt.sindex.query(pts.geometry.to_numpy()[has], predicate="dwithin",
                                   distance=radius)
    point = candidates[np.flatnonzero(has)[left]]
    if exclude_self:
        keep = point != right
        point, right = point[keep], right[keep]
    dist = np.round(geodesic_m(lat[point], lon[point], target_lat[right], target_lon[right]),
                    3)
    if max_distance_m is not None:
        keep = dist <= max_distance_m
        point, right, dist = point[keep], right[keep], dist[keep]
    rank = np.argsort(np.argsort(np.asarray(target_keys, dtype=str), kind="stable"),
                      kind="stable")
    order = np.lexsort((rank[right], dist, point))
    point, right, dist = point[order], right[order], dist[order]
    first = np.ones(len(point), dtype=bool)
    first[1:] = point[1:] != point[:-1]
    index[point[first]] = right[first]
    distance[point[first]] = dist[first]
    return index, distance


def _centre(lat: np.ndarray, lon: np.ndarray) -> tuple[float, float]:
    """Return the normalised mean of the points' unit vectors, as (lat, lon) degrees."""
    phi, lam = np.radians(lat), np.radians(lon)
    v = np.array([np.cos(phi) * np.cos(lam), np.cos(phi) * np.sin(lam), np.sin(phi)]).mean(axis=1)
    norm = float(np.linalg.norm(v))
    if norm < 1e-9:
        raise UsageError("the places are spread evenly around the globe and have no centre; "
                         "match them region by region (e.g. one continent at a time)")
    x, y, z = v / norm
    return math.degrees(math.asin(max(-1.0, min(1.0, z)))), math.degrees(math.atan2(y, x))


def _scale_bound(spread_m: float) -> float:
    """Upper bound of the AEQD scale within ``spread_m`` of its centre (see module notes)."""
    theta = spread_m / _SMALLEST_RADIUS_M
    if theta > math.radians(MAX_SPREAD_DEG):
        raise UsageError(f"the places spread {spread_m / 1000:,.0f} km from their centre, more "
                         "than a hemisphere, where distances cannot be measured in one "
                         "projection; match them region by region (e.g. one continent at a "
                         "time)")
    return (theta / math.sin(theta) if theta > 1e-9 else 1.0) * _ELLIPSOID_MARGIN
