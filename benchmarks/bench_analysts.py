"""Benchmark: the analysts' API — import time, match_venues, nearest_other and the exports.

Prints one table per part:

1. ``import geo`` in a fresh process, then the first ``geo.load_events("data")``.
2. ``match_venues``: synthetic ACLED-like points (uniform over Europe, or over the whole
   world) against synthetic venues in Europe, 1 km limit; wall time and matches.
3. ``analysis.nearest_other`` on synthetic events spread over Europe.
4. ``write_events`` of synthetic events (the default events repeated with new ids and
   jittered points) in each format: wall time and file size.

Usage::

    python benchmarks/bench_analysts.py
    python benchmarks/bench_analysts.py --points 1000000 --events 100000
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import geo  # noqa: E402
from geo import analysis  # noqa: E402
from geo.export import FORMATS, write_events  # noqa: E402

EUROPE = (36.0, 70.0, -10.0, 30.0)  # lat min, lat max, lon min, lon max


def uniform(rng: np.random.Generator, n: int, box: tuple[float, float, float, float]
            ) -> tuple[np.ndarray, np.ndarray]:
    lat0, lat1, lon0, lon1 = box
    return rng.uniform(lat0, lat1, n), rng.uniform(lon0, lon1, n)


def part_import() -> None:
    code = ("import time; t = time.perf_counter(); import geo; a = time.perf_counter() - t; "
            "t = time.perf_counter(); geo.load_events('data'); b = time.perf_counter() - t; "
            "print(f'{a:.3f} {b:.3f}')")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         check=True, env={"PYTHONPATH": str(ROOT), "PATH": ""}).stdout.split()
    print("| step | seconds |\n|---|---|")
    print(f"| import geo | {float(out[0]):.3f} |")
    print(f"| first geo.load_events('data') (geopandas, gazetteer) | {float(out[1]):.2f} |")


def part_match(points: list[int], venue_counts: list[int]) -> None:
    rng = np.random.default_rng(1)
    print("\n| points | spread | venues | seconds | matched within 1 km |\n|---|---|---|---|---|")
    for n_venues in venue_counts:
        v_lat, v_lon = uniform(rng, n_venues, EUROPE)
        venues = pd.DataFrame({"id": [f"v{i}" for i in range(n_venues)], "lat": v_lat,
                               "lon": v_lon})
        for n in points:
            for spread, box in (("Europe", EUROPE), ("world", (-60.0, 75.0, -180.0, 180.0))):
                lat, lon = uniform(rng, n, box)
                # a tenth of the points lie within 800 m of a venue
                near = rng.choice(n, n // 10, replace=False)
                pick = rng.integers(0, n_venues, len(near))
                lat[near] = v_lat[pick] + rng.uniform(-0.005, 0.005, len(near))
                lon[near] = v_lon[pick] + rng.uniform(-0.005, 0.005, len(near))
                frame = pd.DataFrame({"date": "2011-12-16", "latitude": lat, "longitude": lon,
                                      "notes": "x"})
                t = time.perf_counter()
                out = geo.match_venues(frame, venues, max_distance_m=1000)
                dt = time.perf_counter() - t
                print(f"| {n:,} | {spread} | {n_venues:,} | {dt:.2f} | "
                      f"{out['venue_id'].notna().sum():,} |")


def synthetic_events(n: int) -> gpd.GeoDataFrame:
    base = geo.load_events(ROOT / "data")
    rng = np.random.default_rng(2)
    events = base.iloc[np.arange(n) % len(base)].reset_index(drop=True)
    events["id"] = [f"{i}-{x}" for i, x in enumerate(events["id"])]
    events["lat"] = events["lat"] + rng.uniform(-0.5, 0.5, n)
    events["lon"] = events["lon"] + rng.uniform(-0.5, 0.5, n)
    return events.set_geometry(gpd.points_from_xy(events["lon"], events["lat"]), crs="EPSG:4326")


def part_nearest(sizes: list[int]) -> None:
    print("\n| events | nearest_other seconds |\n|---|---|")
    rng = np.random.default_rng(3)
    for n in sizes:
        lat, lon = uniform(rng, n, EUROPE)
        frame = pd.DataFrame({"id": [f"e{i}" for i in range(n)], "lat": lat, "lon": lon})
        t = time.perf_counter()
        analysis.nearest_other(frame)
        print(f"| {n:,} | {time.perf_counter() - t:.2f} |")


def part_export(n: int) -> None:
    events = synthetic_events(n)
    print(f"\n| format ({n:,} events) | seconds | MB |\n|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for fmt, suffixes in FORMATS.items():
            out = Path(tmp) / f"events{suffixes[0]}"
            t = time.perf_counter()
            write_events(events, out, fmt)
            dt = time.perf_counter() - t
            print(f"| {fmt} | {dt:.2f} | {out.stat().st_size / 1e6:.1f} |")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--points", type=int, default=100_000, help="largest match_venues input")
    p.add_argument("--events", type=int, default=20_000, help="events for nearest and export")
    args = p.parse_args()
    part_import()
    part_match(sorted({10_000, args.points}), [100, 10_000])
    part_nearest(sorted({1_000, args.events}))
    part_export(args.events)


if __name__ == "__main__":
    main()
