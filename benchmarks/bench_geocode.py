"""Benchmark: geocoding politeness under faults, and the venues.csv rewrite at scale.

Part 1 runs ``geocode_venues`` against the test suite's fake Nominatim server on 127.0.0.1 with a
share of first attempts failing (500, dropped connection, 503, malformed JSON, 429 with
Retry-After: 0), then reruns it on a fresh copy with the same cache. It prints requests, retries,
wall time, and the smallest and mean gap between two requests as the *server* timed them.

Part 2 geocodes (offline) a large venues.csv in which one row in ten lacks coordinates and
prints the wall time of the whole command and of the byte-preserving cell rewrite alone, and
checks that every untouched row kept its bytes.

Usage::

    python benchmarks/bench_geocode.py                      # 60 venues; 10k and 100k rows
    python benchmarks/bench_geocode.py --venues 200 --min-delay 0.05 --rows 1000000
"""

from __future__ import annotations

import argparse
import csv
import io
import logging
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from fake_nominatim import DROP, E500, E503, MALFORMED, FakeNominatim, gaps, osm, status  # noqa: E402

from geo.geocode import geocode_venues  # noqa: E402
from geo.tables.cells import replace_cells  # noqa: E402

HEADER = ["id", "name", "kind", "represents", "address", "city", "country", "lat", "lon",
          "precision", "source"]
CITIES = [("Berlin", "DE", 52.52, 13.40), ("Vienna", "AT", 48.21, 16.37),
          ("Stockholm", "SE", 59.33, 18.07), ("London", "GB", 51.51, -0.13),
          ("Brussels", "BE", 50.85, 4.35), ("Warsaw", "PL", 52.23, 21.01)]


def write_table(path: Path, rows: list[list[str]]) -> None:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8", newline="")


def politeness(n: int, min_delay: float, fail_every: int) -> None:
    rng = random.Random(1)
    with tempfile.TemporaryDirectory() as tmp, FakeNominatim() as server:
        rows = []
        for i in range(n):
            city, cc, lat, lon = CITIES[i % len(CITIES)]
            rows.append([f"v{i}", f"Embassy of Country {i}, {city}", "embassy", "KZ", "", city,
                         cc, "", "", "", ""])
            if i % 3:  # two in three are known to the server
                point = (lat + rng.uniform(-0.02, 0.02), lon + rng.uniform(-0.02, 0.02))
                server.add([osm("node", i + 1, *point, "office", "diplomatic")],
                           amenity=f"Embassy of Country {i}", city=city)
        server.fail_first_attempts([E500, DROP, E503, MALFORMED, status(429, "0")],
                                   every=fail_every)
        cache = Path(tmp) / "cache.sqlite"
        timings = []
        for run in ("first run", "rerun"):
            data = Path(tmp) / run.replace(" ", "-")
            data.mkdir()
            write_table(data / "venues.csv", rows)
            before = len(server.requests)
            start = time.perf_counter()
            summary = geocode_venues(data, provider="nominatim", nominatim_url=server.url,
                                     user_agent="bench", cache_path=cache, min_delay=min_delay,
                                     progress=False)
            hits = server.requests[before:]
            spaced = list(gaps(hits))
            timings.append((run, len(hits), sum(not h.answered for h in hits),
                            time.perf_counter() - start,
                            min(spaced) if spaced else float("nan"),
                            statistics.fmean(spaced) if spaced else float("nan"),
                            summary.found("venue"), summary.fallbacks()))
    print(f"\npoliteness: {n} venues, min-delay {min_delay} s, first attempt of every "
          f"{fail_every}. query fails\n")
    print("| run | requests | failed | seconds | min gap s | mean gap s | venue | gazetteer |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for run, req, failed, secs, low, mean, venue, gaz in timings:
        print(f"| {run} | {req} | {failed} | {secs:.2f} | {low:.4f} | {mean:.4f} | {venue} | "
              f"{gaz} |")


def rewrite(sizes: list[int]) -> None:
    print("\nrewrite: offline geocoding of venues.csv, one row in ten without coordinates\n")
    print("| rows | to geocode | geocode_venues s | replace_cells s | untouched rows kept |")
    print("|---:|---:|---:|---:|---|")
    rng = random.Random(2)
    for size in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            data = Path(tmp)
            rows = []
            for i in range(size):
                city, cc, lat, lon = CITIES[i % len(CITIES)]
                blank = i % 10 == 0
                rows.append([f"v{i}", f'Shop {i}, "{city}"', "company_shop", "Telia",
                             f"Street {i}, {city}", city, cc,
                             "" if blank else f"{lat + rng.uniform(-0.01, 0.01):.5f}",
                             "" if blank else f"{lon + rng.uniform(-0.01, 0.01):.5f}",
                             "" if blank else "street", "" if blank else "manual"])
            write_table(data / "venues.csv", rows)
            original = (data / "venues.csv").read_text(encoding="utf-8")
            start = time.perf_counter()
            summary = geocode_venues(data, progress=False)
            whole = time.perf_counter() - start
            updates = {i + 2: {"lat": "1", "lon": "2", "precision": "city", "source": "x"}
                       for i in range(0, size, 10)}
            start = time.perf_counter()
            replace_cells(original, updates)
            cells = time.perf_counter() - start
            after = (data / "venues.csv").read_text(encoding="utf-8").splitlines()
            kept = all(a == b for i, (a, b) in enumerate(zip(original.splitlines(), after,
                                                             strict=True))
                       if i == 0 or (i - 1) % 10)
            print(f"| {size:,} | {len(summary.placements):,} | {whole:.2f} | {cells:.2f} | "
                  f"{'yes' if kept else 'NO'} |")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--venues", type=int, default=60)
    p.add_argument("--min-delay", type=float, default=0.02)
    p.add_argument("--fail-every", type=int, default=2)
    p.add_argument("--rows", type=int, nargs="*", default=[10_000, 100_000])
    args = p.parse_args()
    logging.basicConfig(level=logging.ERROR)  # the fallback warnings are expected here
    politeness(args.venues, args.min_delay, args.fail_every)
    rewrite(args.rows)


if __name__ == "__main__":
    main()
