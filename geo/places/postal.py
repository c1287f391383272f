"""US towns GeoNames leaves out, from the US Postal Service's place names (``zipcodes``).

GeoNames' ``cities500`` lists populated places of 500 people or more. Many towns of New England
and New Jersey are kept there as administrative towns, not as populated places (``Monroe, CT``,
``Bristol, MA``), and many villages are smaller: on the Crowd Counting Consortium's places
(``docs/placement.md``) they were a quarter of the US rows the gazetteer could not place.
Every such town has a post office name. The ``zipcodes`` package (MIT) ships the USPS table of
ZIP codes with each code's town, the other town names the USPS accepts for it, its state and a
point.

:func:`postal_records` turns it into gazetteer records (the shape of
:data:`geo.places._cityindex.Records`): one per (state, town name) that GeoNames does not
already have in that state, at the point of its ZIP codes nearest all the others (a medoid: a
real code's point, so never off the land between them; a ZIP code's own town before the names it
merely accepts). Codes for one company (``UNIQUE``), military post and the
states' territories (GeoNames has Puerto Rico, Guam, ... as countries) are left out, and so is
every point the country check would reject (the table holds codes at 0°, 0° and a few with
wrong points, such as one of Groveport, Ohio's in the Atlantic; small islands off the coast
that Natural Earth's 1:10m outline leaves out, such as Monhegan, Maine, go with them), so
that what the gazetteer writes, ``validate`` accepts. A
record's ``geonameid`` is negative (there is none); :attr:`geo.places.gazetteer.Place.source`
then names the ZIP table instead. Its population is unknown (0), so a GeoNames place of the same
name wins a tie.

Examples
--------
>>> rows = [{"zip_code": "06468", "zip_code_type": "STANDARD", "active": True,
...          "city": "Monroe", "acceptable_cities": [], "state": "CT", "country": "US",
...          "lat": "41.3312", "long": "-73.2243"}]
>>> [(r["name"], r["admin1code"], r["latitude"]) for r in postal_records(rows, {}).values()]
[('Monroe', 'CT', 41.3312)]
>>> postal_records(rows, {("CT", "monroe")}) == {}
True
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Iterable
from importlib import metadata
from typing import Any, Final

import numpy as np

from geo.places.names import fold_all

STATES: Final = frozenset(
    "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH "
    "NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY".split())
"""The states (and DC) whose GeoNames admin1 code is the USPS code."""

KINDS: Final = frozenset({"STANDARD", "PO BOX"})
"""ZIP code types that stand for a town (not ``UNIQUE``, one company; not ``MILITARY``)."""

PRIMARY, ACCEPTED = 0, 1


def version() -> str:
    """The ``zipcodes`` package's version (part of the city index's cache key)."""
    return metadata.version("zipcodes")


def zip_rows() -> list[dict[str, Any]]:
    """Every ZIP code of the ``zipcodes`` package."""
    import zipcodes

    return list(zipcodes.list_all())


Inside = Callable[[np.ndarray, np.ndarray], np.ndarray]
"""Which of the points (latitudes, longitudes) to keep: a boolean array."""


def postal_records(rows: Iterable[dict[str, Any]], known: Collection[tuple[str, str]],
                   inside: Inside | None = None) -> dict[str, dict[str, Any]]:
    """Gazetteer records for the towns of ``rows`` not in ``known``.

    Parameters
    ----------
    rows
        ZIP codes as ``zipcodes`` gives them.
    known
        (state, folded name) pairs the gazetteer has already.
    inside
        Keeps the ZIP codes whose points it accepts (the country check); None keeps all.

    Returns
    -------
    dict
        Records by (negative) id, in a fixed order: the same rows give the same ids.
    """
    towns: list[tuple[dict[str, Any], tuple[float, float]]] = []
    for row in rows:
        if (row.get("country") == "US" and row.get("state") in STATES and row.get("active")
                and row.get("zip_code_type") in KINDS):
            try:
                towns.append((row, (float(row["lat"]), float(row["long"]))))
            except (KeyError, TypeError, ValueError):
                continue
    if inside is not None and towns:
        keep = inside(np.array([t[1][0] for t in towns]), np.array([t[1][1] for t in towns]))
        towns = [t for t, ok in zip(towns, keep.tolist(), strict=True) if ok]
    points: dict[tuple[str, str], dict[int, list[tuple[float, float]]]] = defaultdict(
        lambda: defaultdict(list))
    names: dict[tuple[str, str], str] = {}
    named = [(row["state"], point, rank, name) for row, point in towns
             for rank, name in [(PRIMARY, row.get("city") or ""),
                                *((ACCEPTED, n) for n in row.get("acceptable_cities") or ())]]
    folded = fold_all([n for *_, n in named])
    for (state, point, rank, name), fold in zip(named, folded, strict=True):
        key = (state, fold)
        if fold and key not in known:
            names.setdefault(key, name.strip())
            points[key][rank].append(point)
    out: dict[str, dict[str, Any]] = {}
    for number, key in enumerate(sorted(points), start=1):
        by_rank = points[key]
        chosen = by_rank[PRIMARY] or by_rank[ACCEPTED]
        lat, lon = _medoid(chosen)
        out[str(-number)] = {
            "geonameid": -number, "name": _titled(names[key]), "countrycode": "US",
            "admin1code": key[0], "population": 0, "alternatenames": [],
            "latitude": lat, "longitude": lon}
    return out


def _medoid(points: list[tuple[float, float]]) -> tuple[float, float]:
    """The point with the least sum of (planar, degree) distances to the others.

    Ties go to the smallest point (of two points, the smaller).
    """
    if len(points) <= 2:
        return min(points)
    xy = np.array(sorted(points))
    far = np.hypot(xy[:, None, 0] - xy[None, :, 0], xy[:, None, 1] - xy[None, :, 1]).sum(axis=1)
    best = xy[int(np.argmin(far))]
    return float(best[0]), float(best[1])


def _titled(name: str) -> str:
    """USPS writes some names in capitals ("MC LEAN"); GeoNames-like case for those."""
    return name.title() if name.isupper() else name
