"""The offline gazetteer's cost: the city index built cold and read warm, and places resolved.

Prints a table: the first build of the city index on a machine (235,000 GeoNames places of 500
people or more, in a fresh cache folder, in a fresh process), the read of the kept index by a
later process, and :func:`geo.places.resolve.resolve_city` over distinct (city, country,
region) keys drawn from the gazetteer itself (deterministic), with and without a region.

Usage: ``python benchmarks/bench_places.py [--keys 5000]``. The 100,000-event render ratio
against naive folium is measured by ``benchmarks/bench_render.py``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CHILD = """
import json, sys, time
t0 = time.perf_counter()
from geo.places.gazetteer import default_gazetteer
gaz = default_gazetteer()
gaz.prepare(["Portland"])
print(json.dumps({"seconds": time.perf_counter() - t0}))
"""


def index_seconds(cache: Path) -> float:
    """Seconds for a fresh process to import the gazetteer and make or read its index."""
    env = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    done = subprocess.run([sys.executable, "-c", CHILD], env=env, check=True,
                          capture_output=True, text=True, cwd=ROOT)
    return float(json.loads(done.stdout.strip().splitlines()[-1])["seconds"])


def keys(n: int) -> list[tuple[str, str, str]]:
    """``n`` distinct (city, country, region code) of real places, largest first, every 7th."""
    from geo.places import _cityindex as cityindex
    from geo.places.regions import default_regions

    regions = default_regions()
    records = sorted(cityindex.read_cities().values(),
                     key=lambda r: (-(r.get("population") or 0), r["geonameid"]))
    out: list[tuple[str, str, str]] = []
    for rec in records[::7]:
        region = regions.get(rec["countrycode"], rec.get("admin1code") or "")
        out.append((rec["name"], rec["countrycode"], region.name if region else ""))
        if len(out) == n:
            break
    return out


def main() -> None:
    """Print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--keys", type=int, default=5000, help="distinct places to resolve")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        cold = index_seconds(Path(tmp))
        warm = index_seconds(Path(tmp))
    from geo.places.gazetteer import default_gazetteer
    from geo.places.regions import default_regions
    from geo.places.resolve import resolve_city

    gaz, regions = default_gazetteer(), default_regions()
    todo = keys(args.keys)
    gaz.prepare(c for c, _, _ in todo)
    rows = [("index built (first run on a machine, fresh process)", cold, ""),
            ("index read (later runs, fresh process)", warm, "")]
    for label, with_region in (("with region", True), ("without region", False)):
        t0 = time.perf_counter()
        found = [resolve_city(gaz, regions, c, k, r if with_region else "") for c, k, r in todo]
        seconds = time.perf_counter() - t0
        placed = sum(f.place is not None for f in found)
        guessed = sum(bool(f.note) for f in found)
        rows.append((f"resolve {len(todo):,} places {label}", seconds,
                     f"{placed:,} placed, {guessed:,} with a note (chosen by population)"))
    print("| step | seconds | result |")
    print("|---|---:|---|")
    for label, seconds, result in rows:
        print(f"| {label} | {seconds:.2f} | {result} |")


if __name__ == "__main__":
    main()
