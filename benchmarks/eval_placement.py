"""How well the offline gazetteer places real protest rows, from a dataset nobody here wrote.

Usage::

    python benchmarks/eval_placement.py FILE --format ccc|acled|mm|gdelt
    python benchmarks/eval_placement.py FILE --city CityTown --region StateTerritory \\
        --country-code US --lat lat --lon lon            # any CSV, by column names
    options: --limit N (first N rows) | --sample N (N rows drawn with a fixed seed)
             --event-types "Riots/Protests"  (ACLED exports before 2019 call protests so)
             --examples 3 --failures 10 --out rows.csv (every row with what was chosen)

Each row is mapped as ``protest-map import`` maps it (``geo.importing.formats``: the same
``city``, ``region`` and ``country``); a row the importer would skip (not a protest, online only)
is counted apart, and one it would reject is counted by the importer's reason. Every row with a
city is then placed by :func:`geo.places.resolve.resolve_city` alone, the source's own
coordinates set aside, and where the source gives a point the geodesic distance (WGS84) from
our place to it is measured. Rows given with a region are placed a second time without it, to
show what a table without regions would get: an ambiguous name must carry a warning.

Nothing is fetched; the same file gives the same table.
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from statistics import median
from typing import Final

import numpy as np
import pandas as pd
from pyproj import Geod

from geo.importing.formats import acled, ccc
from geo.importing.formats.common import SKIPPED, Mapped
from geo.importing.formats.countries import CountryCodes
from geo.importing.formats.reading import decode, read_table
from geo.importing.formats.run import map_file
from geo.places.gazetteer import Gazetteer, default_gazetteer
from geo.places.regions import Regions, default_regions
from geo.places.resolve import SUCCESSORS, Resolution, resolve_city

NEAR_KM: Final = (30, 50, 100)
"""Distances reported; the first is the bar a row must meet to count as placed right."""

WGS84: Final = Geod(ellps="WGS84")
SEED: Final = 20240601


@dataclass
class Row:
    """One source row with a city, and where we put it."""

    line: int
    city: str
    region: str
    country: str
    lat: float | None
    lon: float | None
    res: Resolution
    km: float | None = None
    bare: Resolution | None = None  # placed again without the region
    bare_km: float | None = None


@dataclass
class Loaded:
    """A file's rows as the importer maps them, and what it set aside."""

    rows: pd.DataFrame
    total: int
    skipped: Counter[str] = field(default_factory=Counter)
    rejected: Counter[str] = field(default_factory=Counter)


def load(path: Path, args: argparse.Namespace, gaz: Gazetteer) -> Loaded:
    """The file's rows with ``city``, ``region``, ``country``, ``lat``, ``lon``, ``_line``."""
    if args.format == "csv":
        return _load_generic(path, args)
    if args.format == "ccc":
        mapped = _map_ccc(path)
    elif args.format == "acled":
        mapped = _map_acled(path, args.event_types)
    else:
        mapped, _ = map_file(path, args.format, gaz)
    out = Loaded(mapped.rows, mapped.total)
    for issue in mapped.issues:
        bucket = out.skipped if issue.outcome == SKIPPED else out.rejected
        bucket[issue.reason or issue.message] += 1
    return out


def _map_ccc(path: Path) -> Mapped:
    """CCC's compiled CSV; or its geocoding table (``data_compilation/location_lookup.csv``:
    CityTown, StateTerritory as coders wrote them, and CCC's point), which has no date."""
    frame = _read_csv(path)
    if "CityTown" not in frame:
        frame, _ = read_table(path, ccc.COLUMNS)
    else:
        frame = frame.drop(columns=[c for c in ("locality", "state") if c in frame])
        frame = frame.rename(columns={"CityTown": "locality", "StateTerritory": "state"})
        frame["date"] = "2020-01-01"  # the lookup has no dates; the mapper wants one
        frame["_line"] = np.arange(2, len(frame) + 2)
    for name in ("lat", "lon", "state", "locality"):
        if name in frame:
            frame[name] = frame[name].where(frame[name].str.upper() != "NA", "")
    return ccc.map_ccc(frame, path.name, CountryCodes.default())


def _map_acled(path: Path, event_types: str) -> Mapped:
    """ACLED's export; older exports' upper-case headers are read too, and the event types
    named in ``event_types`` count as ACLED's ``Protests``."""
    frame = _read_csv(path)
    frame.columns = [c.strip().lower() for c in frame.columns]
    frame = frame.map(lambda v: v.strip() if isinstance(v, str) else v)
    frame["_line"] = np.arange(2, len(frame) + 2)
    wanted = {t.strip().casefold() for t in event_types.split(",") if t.strip()}
    kind = frame["event_type"].str.casefold()
    frame["event_type"] = frame["event_type"].where(~kind.isin(wanted), "Protests")
    return acled.map_acled(frame, path.name, CountryCodes.default())


def _load_generic(path: Path, args: argparse.Namespace) -> Loaded:
    frame = _read_csv(path)
    codes = CountryCodes.default()

    def column(name: str | None) -> pd.Series:
        if not name:
            return pd.Series("", index=frame.index)
        if name not in frame:
            sys.exit(f"error: {path.name} has no column {name!r}; it has {list(frame.columns)}")
        return frame[name].str.strip()

    if args.country_code:
        country = pd.Series(args.country_code.upper(), index=frame.index)
    else:
        raw = column(args.country)
        names = {v: (v.upper() if len(v) == 2 else codes.from_name(v) or "") for v in raw.unique()}
        country = raw.map(names)
    rows = pd.DataFrame({"city": column(args.city), "region": column(args.region),
                         "country": country, "lat": column(args.lat), "lon": column(args.lon),
                         "_line": np.arange(2, len(frame) + 2)})
    rejected = Counter({"unknown country": int((rows["country"] == "").sum())})
    return Loaded(rows[rows["country"] != ""], len(frame), rejected=+rejected)


def _read_csv(path: Path) -> pd.DataFrame:
    """A CSV as strings, decoded as the importer decodes (UTF-8, else cp1252 or Latin-1)."""
    text, _ = decode(path.read_bytes())
    return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)


def _float(value: object) -> float | None:
    try:
        out = float(str(value))
    except ValueError:
        return None
    return out if np.isfinite(out) else None


def _distances(rows: list[Row], bare: bool = False) -> None:
    """Fill ``km`` (or ``bare_km``): geodesic distance from our place to the source's point."""
    pairs = []
    for i, r in enumerate(rows):
        res = r.bare if bare else r.res
        if res is not None and res.place is not None and r.lat is not None and r.lon is not None:
            pairs.append((i, res.place.lon, res.place.lat, r.lon, r.lat))
    if not pairs:
        return
    idx, lon1, lat1, lon2, lat2 = (list(t) for t in zip(*pairs, strict=True))
    _, _, metres = WGS84.inv(lon1, lat1, lon2, lat2)
    for i, m in zip(idx, np.atleast_1d(metres), strict=True):
        if bare:
            rows[i].bare_km = float(m) / 1000
        else:
            rows[i].km = float(m) / 1000


def place_rows(frame: pd.DataFrame, gaz: Gazetteer, regions: Regions) -> list[Row]:
    """Resolve every row with a city (each distinct city, region, country once)."""
    frame = frame[frame["city"].astype(str).str.strip() != ""]
    gaz.prepare(frame["city"].unique())
    memo: dict[tuple[str, str, str], Resolution] = {}

    def resolve(city: str, country: str, region: str) -> Resolution:
        key = (city, country, region)
        if key not in memo:
            memo[key] = resolve_city(gaz, regions, city, country, region)
        return memo[key]

    rows = []
    columns = [frame[c].tolist() for c in ("_line", "city", "region", "country", "lat", "lon")]
    for line, city_, region_, country_, lat_, lon_ in zip(*columns, strict=True):
        city, region, country = str(city_).strip(), str(region_).strip(), str(country_)
        lat, lon = _float(lat_), _float(lon_)
        if lat == 0 and lon == 0:
            lat = lon = None
        row = Row(int(line), city, region, country, lat, lon, resolve(city, country, region))
        if region:
            row.bare = resolve(city, country, "")
        rows.append(row)
    _distances(rows)
    _distances(rows, bare=True)
    return rows


def reason(error: str) -> str:
    """An error's kind: its words with the row's own values and suggestions left out."""
    text = re.sub(r"'[^']*'", "…", error.split(";")[0])
    text = re.sub(r"\([^)]*\)", "", text)
    text = re.sub(r"in [A-Z][\w .'-]*, [A-Z]{2} is known", "in REGION is known", text)
    text = re.sub(r"\b[A-Z]{2}\b", "CC", text)
    text = re.sub(r"but it is in .*", "but it is in another country", text)
    return " ".join(text.split())[:90]


def pct(n: int, d: int) -> str:
    return f"{100 * n / d:5.1f} %" if d else "    –"


def table(title: str, rows: list[Row]) -> list[str]:
    """One block of the report: placement and distances of these rows.

    Distances are measured on the rows placed at a town (``city`` precision); a row placed at
    ``region`` precision (a town the gazetteer does not know, in a region it knows) is counted
    as placed, and its distance is given apart: it measures the region's size, not an error.
    """
    placed = [r for r in rows if r.res.place is not None]
    in_region = [r for r in placed if r.res.precision == "region"]
    at_town = [r for r in placed if r.res.precision != "region"]
    measured = [r for r in at_town if r.km is not None]
    out = [f"{title}: {len(rows)} rows with a city",
           f"  placed                      {len(placed):7d}  {pct(len(placed), len(rows))}",
           f"    at a town (city)          {len(at_town):7d}  {pct(len(at_town), len(rows))}",
           f"    in its region (region)    {len(in_region):7d}  {pct(len(in_region), len(rows))}"]
    if measured:
        out.append(f"  at a town, source gives point {len(measured):5d}")
        for km in NEAR_KM:
            near = sum(r.km is not None and r.km <= km for r in measured)
            out.append(f"    within {km:3d} km              {near:7d}  {pct(near, len(measured))}")
        out.append(f"    median distance         {median(r.km or 0 for r in measured):8.1f} km")
    far = [r.km for r in in_region if r.km is not None]
    if far:
        out.append(f"  in its region: median distance {median(far):6.1f} km")
    return out


def report(name: str, loaded: Loaded, rows: list[Row], examples: int) -> str:
    lines = [f"# {name}: {loaded.total} rows read"]
    if loaded.skipped:
        top = ", ".join(f"{k}: {v}" for k, v in loaded.skipped.most_common(4))
        lines.append(f"  skipped by the importer (not protests etc.): "
                     f"{sum(loaded.skipped.values())}  ({top})")
    if loaded.rejected:
        lines.append(f"  rejected by the importer: {sum(loaded.rejected.values())}  "
                     f"({', '.join(f'{k}: {v}' for k, v in loaded.rejected.most_common(4))})")
    lines.append("")
    lines += table("All", rows)
    with_region = [r for r in rows if r.region]
    lines += table("Given with a region", with_region)
    lines += table("Given without a region", [r for r in rows if not r.region])
    lines.append("")
    ambiguous = [r for r in rows
                 if r.res.place is not None and "Chosen by population" in r.res.note]
    wrong_amb = [r for r in ambiguous if r.km is not None and r.km > NEAR_KM[0]]
    far = [r for r in rows if r.km is not None and r.km > NEAR_KM[0]
           and r.res.precision != "region"]
    silent = [r for r in far if not r.res.warning]
    lines.append(f"Ambiguous (warning + note) {len(ambiguous):6d}; of them > {NEAR_KM[0]} km: "
                 f"{len(wrong_amb)}")
    lines.append(f"Placed > {NEAR_KM[0]} km away       {len(far):6d}; of them without a warning: "
                 f"{len(silent)}")
    if with_region:
        bare = [r for r in with_region if r.bare is not None and r.bare.place is not None]
        bare_far = [r for r in bare if r.bare_km is not None and r.bare_km > NEAR_KM[0]]
        bare_warned = [r for r in bare_far if r.bare and r.bare.warning]
        near = sum(r.bare_km is not None and r.bare_km <= NEAR_KM[0] for r in bare)
        measured = sum(r.bare_km is not None for r in bare)
        lines.append(f"Same rows, region withheld: placed {len(bare)} of {len(with_region)}; "
                     f"within {NEAR_KM[0]} km {pct(near, measured).strip()}; > {NEAR_KM[0]} km "
                     f"{len(bare_far)}, of them with a warning {len(bare_warned)} "
                     f"({pct(len(bare_warned), len(bare_far)).strip()})")
    former = [r for r in rows if r.country in SUCCESSORS]
    if former:
        ok = sum(r.res.place is not None for r in former)
        lines.append(f"Former states ({', '.join(sorted({r.country for r in former}))}): "
                     f"{len(former)} rows, {ok} placed")
    moved = [r for r in rows if r.res.place is not None and r.res.country != r.country
             and r.country not in SUCCESSORS]
    if moved:
        lines.append(f"Placed under another country than given: {len(moved)}")
    unplaced = [r for r in rows if r.res.place is None]
    lines.append("")
    lines.append(f"Unplaced: {len(unplaced)} ({pct(len(unplaced), len(rows)).strip()}), by reason:")
    by_reason: dict[str, list[Row]] = {}
    for r in unplaced:
        by_reason.setdefault(reason(r.res.error), []).append(r)
    for why, group in sorted(by_reason.items(), key=lambda kv: (-len(kv[1]), kv[0]))[:8]:
        seen: list[str] = []
        for r in group:
            text = f"{r.city} / {r.region or '-'} / {r.country}"
            if text not in seen:
                seen.append(text)
        lines.append(f"  {len(group):6d}  {why}")
        lines.append(f"          e.g. {'; '.join(seen[:examples])}")
    return "\n".join(lines)


def failures(rows: list[Row], n: int) -> str:
    """The farthest placements, with what the source said and what we chose."""
    far = sorted((r for r in rows if r.km is not None and r.km > NEAR_KM[0]
                  and r.res.precision != "region"),
                 key=lambda r: (-(r.km or 0), r.line))
    out = [f"Farthest {min(n, len(far))} of {len(far)} rows placed > {NEAR_KM[0]} km away:"]
    for r in far[:n]:
        p = r.res.place
        assert p is not None
        out.append(f"  line {r.line}: {r.city} / {r.region or '-'} / {r.country} -> {p.name}, "
                   f"{p.admin1}, {p.country} (pop {p.population:,}, {p.matched}) "
                   f"{r.km:.0f} km{' [warned]' if r.res.warning else ''}")
    return "\n".join(out)


def write_rows(path: Path, rows: list[Row]) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["line", "city", "region", "country", "lat", "lon", "placed", "admin1",
                    "population", "matched", "km", "warning", "error", "bare_placed",
                    "bare_admin1", "bare_km", "bare_warned"])
        for r in rows:
            p, b = r.res.place, (r.bare.place if r.bare else None)
            w.writerow([r.line, r.city, r.region, r.country, r.lat, r.lon,
                        p.name if p else "", p.admin1 if p else "", p.population if p else "",
                        p.matched if p else "", "" if r.km is None else f"{r.km:.1f}",
                        bool(r.res.warning), r.res.error, b.name if b else "",
                        b.admin1 if b else "", "" if r.bare_km is None else f"{r.bare_km:.1f}",
                        bool(r.bare and r.bare.warning)])


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("file", type=Path)
    ap.add_argument("--format", default="csv", choices=["ccc", "acled", "mm", "gdelt", "csv"])
    ap.add_argument("--city"), ap.add_argument("--region"), ap.add_argument("--country")
    ap.add_argument("--country-code", help="one ISO alpha-2 code for every row (generic CSV)")
    ap.add_argument("--lat"), ap.add_argument("--lon")
    ap.add_argument("--event-types", default="Protests",
                    help="ACLED event types that count as protests, comma-separated")
    ap.add_argument("--limit", type=int, help="only the first N rows with a city")
    ap.add_argument("--sample", type=int, help="N rows with a city drawn with a fixed seed")
    ap.add_argument("--examples", type=int, default=3)
    ap.add_argument("--failures", type=int, default=10)
    ap.add_argument("--out", type=Path, help="write every row and what was chosen, as CSV")
    args = ap.parse_args(argv)
    if args.format == "csv" and not args.city:
        ap.error("a generic CSV needs --city (and --country or --country-code)")
    gaz, regions = default_gazetteer(), default_regions()
    loaded = load(args.file, args, gaz)
    frame = loaded.rows
    frame = frame[frame["city"].astype(str).str.strip() != ""]
    if args.limit:
        frame = frame.iloc[: args.limit]
    if args.sample and args.sample < len(frame):
        pick = sorted(random.Random(SEED).sample(range(len(frame)), args.sample))
        frame = frame.iloc[pick]
    rows = place_rows(frame, gaz, regions)
    print(report(args.file.name, loaded, rows, args.examples))
    if args.failures:
        print()
        print(failures(rows, args.failures))
    if args.out:
        write_rows(args.out, rows)


if __name__ == "__main__":
    main()
