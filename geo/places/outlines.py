"""Country outlines, and whether a point lies in (or just off the coast of) its country.

Two GeoJSON files in ``geo/assets/``, both made by ``scripts/make_countries.py`` from Natural
Earth 4.1.0 (public domain, via the npm package ``world-atlas`` 2.0.2; see ``assets/README.md``):

- ``countries-10m.geojson`` (1:10m, simplified 0.01 degree, about 3.3 MB): the truth the country
  check uses. Islands and exclaves are there (Mallorca, Melilla, Bioko, Jeju, Key West, Nantucket).
- ``countries.geojson`` (1:110m, simplified, about 160 kB): drawn as the map's offline basemap.

Each feature has ``iso_a2`` and ``also``: the codes accepted inside it besides its own (the
state a territory belongs to, the other claimants of a disputed area).

:func:`outside_country` is vectorised: the outlines are cut into small pieces (at most
:data:`PIECE_VERTICES` vertices) under an STRtree, and points in grid cells a piece covers are
settled by their cell, so a million points take seconds.

Examples
--------
>>> outside_country([39.5694, 35.2937, 44.6080], [2.6502, -2.9383, 33.5213], ["ES", "ES", "UA"])
array([False, False, False])
>>> outside_country([50.0755], [14.4378], ["AT"])  # Prague is not in Austria
array([ True])
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Final

import numpy as np
import numpy.typing as npt
import pandas as pd
import shapely

CHECKED: Final = "countries-10m.geojson"
"""The asset the country check uses (Natural Earth 1:10m, simplified)."""
DRAWN: Final = "countries.geojson"
"""The asset drawn as the offline basemap (Natural Earth 1:110m, simplified)."""
TOLERANCE_KM: Final = 8.0
"""How far (km) a point may lie outside its country's outline and still pass.

Measured on the 34,006 GeoNames cities of 15,000 people or more: 611 points lie outside their
country's outline (harbours, spits and islets the simplified 1:10m coast smooths away), 131 by
more than 1 km, 16 by more than 3 km, 5 by more than 5 km; the farthest that is a matter of
drawing is 6.9 km (Sitangkai, PH, on stilts off an islet). Beyond 8 km only three remain, 14 to
28 km off: islands Natural Earth leaves out (Ly Son and Kien Hai, VN) and Kafia Kingi (SS),
which Natural Earth draws in Sudan. 8 km passes every coastal town and still flags a point in the
wrong country or out at sea; along a land border a point up to 8 km inside the neighbour passes.
"""
KM_PER_DEGREE: Final = 6371.0088 * np.pi / 180
"""Kilometres per degree of latitude (mean Earth radius)."""
PIECE_VERTICES: Final = 256
"""Largest piece (vertices) the outlines are cut into for the spatial index."""
GRID_DEGREES: Final = (1.0, 0.25, 0.0625, 0.015625)
"""Cell sizes (degrees, powers of two: exact cell edges) of the grids that settle most points
without a point-in-polygon test: a point in a cell that a piece accepting its code covers is in."""
GRID_POINTS: Final = 8
"""Fewest points of one code in a grid cell that make testing the cell worth it."""


@cache
def read_asset(name: str) -> dict[str, Any]:
    """A GeoJSON asset of ``geo/assets/`` as a dict (read once, then shared: do not modify).

    Parameters
    ----------
    name
        File name, :data:`CHECKED` or :data:`DRAWN`.
    """
    data: dict[str, Any] = json.loads(_asset_text(name))
    return data


_PROPERTIES = re.compile(r'"properties":(\{[^{}]*\})')


def _asset_text(name: str) -> str:
    return resources.files("geo").joinpath(f"assets/{name}").read_text("utf-8")


@dataclass(frozen=True)
class Outlines:
    """Country outlines cut into small pieces under a spatial index.

    Attributes
    ----------
    pieces
        Polygons (shapely), each part of one feature.
    tree
        STRtree over ``pieces``.
    accepted
        Sorted keys ``piece * len(codes) + code index`` of the codes accepted in each piece.
    codes
        Every code accepted somewhere, sorted; a code not listed has no outline (not checked).
    """

    pieces: npt.NDArray[np.object_]
    tree: shapely.STRtree
    accepted: npt.NDArray[np.int64]
    codes: npt.NDArray[np.str_]

    def accepts(self, piece: npt.NDArray[np.intp], code: npt.NDArray[np.intp]) -> npt.NDArray:
        """Whether each ``piece`` accepts the code of index ``code`` (in :attr:`codes`)."""
        return np.isin(piece.astype(np.int64) * len(self.codes) + code, self.accepted)


def _subdivide(geom: Any, limit: int) -> list[Any]:
    """Cut a polygon into pieces of at most ``limit`` vertices, halving its box each time.

    ``clip_by_rect`` is quick but may leave a piece invalid in degenerate spots; point-in,
    distance and covers tests do not mind (covers also looks for a ring inside the cell).
    """
    if shapely.get_num_coordinates(geom) <= limit:
        return [geom]
    x0, y0, x1, y1 = geom.bounds
    if x1 - x0 >= y1 - y0:
        halves = ((x0, y0, (x0 + x1) / 2, y1), ((x0 + x1) / 2, y0, x1, y1))
    else:
        halves = ((x0, y0, x1, (y0 + y1) / 2), (x0, (y0 + y1) / 2, x1, y1))
    out = []
    for box in halves:
        for poly in shapely.get_parts(shapely.clip_by_rect(geom, *box)):
            if poly.geom_type == "Polygon" and not poly.is_empty:
                out += _subdivide(poly, limit)
    return out


@cache
def checked_outlines(name: str = CHECKED) -> Outlines:
    """The outlines of an asset, cut and indexed (made once, then shared).

    Parameters
    ----------
    name
        File name in ``geo/assets/``.
    """
    text = _asset_text(name)
    # GEOS reads the geometries (one per feature); only the small properties go through json
    geoms = shapely.get_parts(shapely.from_geojson(text))
    properties = [json.loads(m) for m in _PROPERTIES.findall(text)]
    codes = sorted({c for p in properties for c in [p["iso_a2"], *p.get("also", [])]})
    index = {c: i for i, c in enumerate(codes)}
    pieces: list[Any] = []
    keys: list[int] = []
    for props, geom in zip(properties, geoms, strict=True):
        ok = [index[c] for c in [props["iso_a2"], *props.get("also", [])]]
        for poly in shapely.get_parts(geom):
            for piece in _subdivide(poly, PIECE_VERTICES):
                keys += [len(pieces) * len(codes) + i for i in ok]
                pieces.append(piece)
    arr = np.array(pieces, dtype=object)
    shapely.prepare(arr)
    return Outlines(arr, shapely.STRtree(arr), np.unique(np.array(keys, dtype=np.int64)),
                    np.array(codes))


def outside_country(lat: Sequence[float] | npt.ArrayLike, lon: Sequence[float] | npt.ArrayLike,
                    country: Sequence[str] | npt.ArrayLike,
                    tolerance_km: float = TOLERANCE_KM,
                    outlines: Outlines | None = None) -> npt.NDArray[np.bool_]:
    """Which points lie more than ``tolerance_km`` outside every outline accepting their country.

    A point passes when it lies in, or within ``tolerance_km`` of, an outline whose ``iso_a2``
    or ``also`` holds its country (so either claimant passes in a listed disputed area).
    Points without coordinates (NaN) and countries without an outline (tiny states, codes
    unknown to Natural Earth) are not checked: False. Points out of range are outside: True.

    Parameters
    ----------
    lat, lon
        WGS84 decimal degrees, one per point.
    country
        ISO 3166-1 alpha-2 code of each point's country.
    tolerance_km
        Distance from the outline that still passes; measured on a local equirectangular
        projection (exact enough at these distances; not across the 180th meridian).
    outlines
        Outlines to test against; default :func:`checked_outlines`.

    Returns
    -------
    numpy.ndarray of bool
        True where the point is outside its country.

    Examples
    --------
    >>> outside_country([24.5552, 60.0], [-81.7816, 10.0], ["US", "US"])
    array([False,  True])
    """
    out = outlines or checked_outlines()
    lat = np.asarray(lat, dtype=float)
    lon = np.asarray(lon, dtype=float)
    code = pd.Index(out.codes, dtype=object).get_indexer(np.asarray(country, dtype=object))
    known = code >= 0
    valid = (np.abs(lat) <= 90) & (np.abs(lon) <= 180)
    result = known & ~valid & ~np.isnan(lat) & ~np.isnan(lon)
    todo = np.flatnonzero(known & valid)
    if not len(todo):
        return result
    # 1. inside: in a grid cell a piece accepting the code covers, else a piece contains the point
    todo = todo[~_inside_by_grid(lon[todo], lat[todo], code[todo], out)]
    pts = shapely.points(lon[todo], lat[todo])
    row, piece = out.tree.query(pts)
    keep = out.accepts(piece, code[todo][row])
    row, piece = row[keep], piece[keep]
    hit = shapely.intersects(out.pieces[piece], pts[row])
    inside = np.zeros(len(todo), dtype=bool)
    inside[row[hit]] = True
    rest = todo[~inside]
    if not len(rest) or tolerance_km <= 0:
        result[rest] = True
        return result
    # 2. near: within tolerance_km of such a piece, on a local equirectangular projection
    dlat = tolerance_km / KM_PER_DEGREE
    scale = np.cos(np.radians(lat[rest]))
    dlon = np.minimum(dlat / np.maximum(scale, 1e-6), 360.0)
    boxes = shapely.box(lon[rest] - dlon, lat[rest] - dlat, lon[rest] + dlon, lat[rest] + dlat)
    row, piece = out.tree.query(boxes)
    keep = out.accepts(piece, code[rest][row])
    row, piece = row[keep], piece[keep]
    near = np.zeros(len(rest), dtype=bool)
    if len(row):
        geoms = out.pieces[piece].copy()
        xy, owner = shapely.get_coordinates(geoms, return_index=True)
        xy[:, 0] *= scale[row][owner]
        geoms = shapely.set_coordinates(geoms, xy)
        here = shapely.points(lon[rest][row] * scale[row], lat[rest][row])
        km = shapely.distance(geoms, here) * KM_PER_DEGREE
        near[row[km <= tolerance_km]] = True
    result[rest[~near]] = True
    return result


def _inside_by_grid(lon: npt.NDArray[np.float64], lat: npt.NDArray[np.float64],
                    code: npt.NDArray[np.intp], out: Outlines) -> npt.NDArray[np.bool_]:
    """Points (in range) that lie in a grid cell covered by a piece accepting their code.

    Each grid of :data:`GRID_DEGREES` in turn takes the points the coarser ones left. Only a
    cell holding at least :data:`GRID_POINTS` points of one code is tested (a test costs about
    as much as a few points' own). A point is in a cell when it lies within the cell's box (edges
    included); one that rounding puts in a cell it does not lie in is left to the exact test.
    """
    inside = np.zeros(len(lon), dtype=bool)
    left = np.arange(len(lon))
    for size in GRID_DEGREES:
        x, y = lon[left], lat[left]
        col, row = np.floor((x + 180) / size), np.floor((y + 90) / size)
        x0, y0 = col * size - 180, row * size - 90
        at, cells = pd.factorize((row * (360 / size + 1) + col) * len(out.codes) + code[left])
        one = np.empty(len(cells), dtype=np.intp)
        one[at] = np.arange(len(at))  # one point of each cell and code: all share x0, y0
        one = one[np.bincount(at, minlength=len(cells)) >= GRID_POINTS]
        boxes = shapely.box(x0[one], y0[one], x0[one] + size, y0[one] + size)
        box, piece = out.tree.query(boxes)
        keep = out.accepts(piece, code[left[one]][box])
        box, piece = box[keep], piece[keep]
        covered = np.zeros(len(cells), dtype=bool)
        covered[at[one[box[shapely.covers(out.pieces[piece], boxes[box])]]]] = True
        hit = covered[at] & (x0 <= x) & (x <= x0 + size) & (y0 <= y) & (y <= y0 + size)
        inside[left[hit]] = True
        left = left[~hit]
    return inside
