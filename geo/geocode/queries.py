"""What to ask a geocoder about a venue, and what its answers mean. Pure functions, no I/O.

A venue is asked for in up to three ways, most exact first, and the first query with a usable
result decides:

1. Nominatim's structured search with ``amenity`` (the point of interest: ``Embassy of
   Kazakhstan``, or for a shop the company, ``Telia``), the street when the address gives one, and
   the city;
2. the street address, free form;
3. the name and the city, free form.

Each is restricted to the venue's country (``countrycodes``) and asks for the objects' extra
tags and names (``extratags``, ``namedetails``). A result *is the venue* when its OpenStreetMap
class and type fit the venue's kind (``office=diplomatic`` for missions, ``shop=*`` for company
shops, squares for public spaces) and it is this one (:func:`is_venue`: the mission of the
country the venue represents, the shop of its company, the square of its name). A result of the
venue's kind that is not this one (another country's mission, another shop at the address) is
never used. Results that are the venue come first, then the more exact ones, then the server's
order. From the structured query only a result that is the venue is used; from the free-text
queries anything else usable too (a building, a street). Precision follows what matched: a
building or point of interest is ``venue``, a street ``street``, a town or a district ``city``;
results coarser than a town are not used.

Examples
--------
>>> v = Venue("kz-berlin", "Embassy of Kazakhstan, Berlin", "embassy", "KZ",
...           "Nordendstraße 14-17, 13156 Berlin", "Berlin", "DE")
>>> venue_queries(v)[0]
{'amenity': 'Embassy of Kazakhstan', 'street': 'Nordendstraße 14-17', 'city': 'Berlin', \
'countrycodes': 'de', 'limit': '5', 'extratags': '1', 'namedetails': '1'}
>>> m = best_match([{"class": "office", "type": "diplomatic", "osm_type": "node",
...                  "osm_id": 42, "lat": "52.5856", "lon": "13.3921",
...                  "extratags": {"country": "KZ"}}], v)
>>> m.precision, m.source, m.lat
('venue', 'nominatim:node/42', 52.5856)
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from geo.geocode.answers import coordinates, result_problem, source_of
from geo.geocode.identity import brand_matches, mentions, name_matches, sending_countries
from geo.places.names import normalize
from geo.schema import PRECISIONS

RESULT_LIMIT = 5
"""Results asked for per query, so that one fitting the venue's kind can be preferred."""

DETAILS = {"extratags": "1", "namedetails": "1"}
"""Asked with every query: the tags and names that tell which object a result is."""

MISSIONS = frozenset({"embassy", "consulate", "honorary_consulate"})
"""Venue kinds that are diplomatic missions (``represents`` is the country's ISO code)."""

USABLE = ("venue", "street", "city")
"""Precisions a geocoder result may have to be used; coarser ones leave the venue to the
gazetteer's city."""

MISSION_TAGS = frozenset({("office", "diplomatic"), ("amenity", "embassy")})
KIND_TAGS: Mapping[str, frozenset[tuple[str, str]]] = {
    "embassy": MISSION_TAGS,
    "consulate": MISSION_TAGS,
    "honorary_consulate": MISSION_TAGS,
    "company_shop": frozenset({("shop", "*")}),
    "public_space": frozenset({("place", "square"), ("highway", "pedestrian"),
                               ("leisure", "park"), ("amenity", "marketplace")}),
    "other": frozenset(),
}
"""OpenStreetMap ``(class, type)`` pairs that fit each venue kind (``*``: any type)."""

ADDRESSTYPE_PRECISION: Mapping[str, str] = {
    "road": "street",
    **dict.fromkeys(("city", "town", "village", "hamlet", "municipality", "borough", "suburb",
                     "city_district", "quarter", "neighbourhood", "city_block", "locality",
                     "postcode"), "city"),
    **dict.fromkeys(("county", "state", "state_district", "region", "province", "district"),
                    "region"),
    **dict.fromkeys(("country", "country_code", "continent"), "country"),
}
"""Nominatim ``addresstype`` values that say how coarse a result is."""

STREET_TYPES = frozenset({"motorway", "trunk", "primary", "secondary", "tertiary",
                          "unclassified", "residential", "living_street", "pedestrian", "service",
                          "road", "footway", "cycleway", "path", "track", "steps"})
"""``highway`` types that are streets rather than points on one (a bus stop is a point)."""

PLACE_PRECISION: Mapping[str, str] = {
    **dict.fromkeys(("house", "building", "square", "plot"), "venue"),
    **dict.fromkeys(("state", "region", "province", "county", "district", "state_district",
                     "archipelago", "island"), "region"),
    **dict.fromkeys(("country", "continent"), "country"),
}
"""Precision of ``place=*`` results by type; any other place (city, village, suburb ...) is a
``city``."""


@dataclass(frozen=True)
class Venue:
    """The fields of a ``venues.csv`` row that geocoding uses.

    Parameters
    ----------
    id, name, kind, represents, address, city, country
        As in ``venues.csv`` (``country`` an ISO alpha-2 code).
    line
        Line of the row in ``venues.csv``.
    represents_name
        For a mission, the name of the represented country, to recognise a mission's name.
    """

    id: str
    name: str
    kind: str
    represents: str
    address: str
    city: str
    country: str
    line: int = 0
    represents_name: str = ""


@dataclass(frozen=True)
class Match:
    """A usable geocoder result.

    Parameters
    ----------
    lat, lon
        WGS84 decimal degrees, checked to be in range.
    precision
        ``venue``, ``street`` or ``city``.
    source
        Provider and object, e.g. ``nominatim:node/123``.
    """

    lat: float
    lon: float
    precision: str
    source: str


def poi_name(venue: Venue) -> str:
    """Name the venue as a point of interest.

    A company shop is known by its company (``represents``); anything else by its name without the
    place and the remarks that follow a comma or stand in brackets.

    Examples
    --------
    >>> poi_name(Venue("x", "Embassy of Kazakhstan, London (Thurloe Square, until 2012)",
    ...                "embassy", "KZ", "", "London", "GB"))
    'Embassy of Kazakhstan'
    >>> poi_name(Venue("y", "Telia shop, Luleå", "company_shop", "Telia", "", "Luleå", "SE"))
    'Telia'
    """
    if venue.kind == "company_shop" and venue.represents:
        return venue.represents
    bare = re.sub(r"\s*\([^)]*\)", "", venue.name)
    return bare.split(",")[0].strip() or venue.name.strip()


def street_of(address: str) -> str:
    """Return the street part of an address: what comes before the first comma.

    Examples
    --------
    >>> street_of("33 Thurloe Square, London SW7 2SD")
    '33 Thurloe Square'
    """
    return address.split(",")[0].strip()


def venue_queries(venue: Venue) -> list[dict[str, str]]:
    """Build the Nominatim queries for a venue, most exact first, without repeats.

    Parameters
    ----------
    venue
        The venue to find.

    Returns
    -------
    list of dict
        Nominatim ``/search`` parameters: ``q`` or structured fields, ``countrycodes``,
        ``limit``, ``extratags`` and ``namedetails``.
    """
    common = {"countrycodes": venue.country.lower(), "limit": str(RESULT_LIMIT), **DETAILS}
    poi = poi_name(venue)
    structured = {"amenity": poi}
    if venue.address:
        structured["street"] = street_of(venue.address)
    structured["city"] = venue.city
    queries = [structured]
    if venue.address:
        in_city = normalize(venue.city) in normalize(venue.address)
        queries.append({"q": venue.address if in_city else f"{venue.address}, {venue.city}"})
    queries.append({"q": f"{poi}, {venue.city}"})
    out: list[dict[str, str]] = []
    for q in queries:
        full = {**q, **common}
        if full not in out:
            out.append(full)
    return out


def result_class(result: Mapping[str, Any]) -> str:
    """Return the OpenStreetMap class of a result: ``class`` in json, ``category`` in jsonv2."""
    return str(result.get("category") or result.get("class") or "")


def precision_of(result: Mapping[str, Any]) -> str:
    """How exact a Nominatim result is, as a precision word.

    ``addresstype`` decides when it names a street or an area; otherwise the class and type do:
    a street (``highway=residential`` ...) is ``street``, a town or district ``city``, a region
    ``region``, a country ``country``, and everything else (a building, an office, a shop, a
    house) ``venue``.

    Examples
    --------
    >>> precision_of({"class": "highway", "type": "residential"})
    'street'
    >>> precision_of({"category": "place", "type": "city", "addresstype": "city"})
    'city'
    >>> precision_of({"class": "shop", "type": "mobile_phone", "addresstype": "shop"})
    'venue'
    """
    cls, typ = result_class(result), str(result.get("type") or "")
    addresstype = str(result.get("addresstype") or "")
    if addresstype in ADDRESSTYPE_PRECISION:
        return ADDRESSTYPE_PRECISION[addresstype]
    if cls == "highway" and typ in STREET_TYPES:
        return "street"
    if cls == "place":
        return PLACE_PRECISION.get(typ, "city")
    if cls == "boundary":
        rank = _rank(result.get("place_rank"))
        return "country" if rank <= 4 else "region" if rank <= 12 else "city"
    return "venue"


def fits_kind(result: Mapping[str, Any], kind: str) -> bool:
    """Whether a result's class and type are what a venue of ``kind`` is tagged with in OSM.

    Examples
    --------
    >>> fits_kind({"class": "shop", "type": "mobile_phone"}, "company_shop")
    True
    >>> fits_kind({"class": "building", "type": "yes"}, "embassy")
    False
    """
    tags = KIND_TAGS.get(kind, frozenset())
    cls, typ = result_class(result), str(result.get("type") or "")
    return (cls, typ) in tags or (cls, "*") in tags


def is_venue(result: Mapping[str, Any], venue: Venue) -> bool:
    """Whether a result is the venue itself: of its kind, and this one of that kind.

    - a mission (embassy, consulate, honorary consulate): a diplomatic result whose ``country``
      (or ``diplomatic:sending_country``) tag is the code in ``represents``; when it has no such
      tag, or ``represents`` is no code, one whose name contains the venue's name (or the reverse)
      or the represented country's name;
    - a company shop: a shop whose name contains the company's name (or the reverse), or whose
      ``brand`` or ``operator`` tag names the company;
    - a public space: a square, pedestrian area, park or market place of the venue's name;
    - any other venue: a result of the venue's name, whatever its class.

    Examples
    --------
    >>> il = Venue("il", "Embassy of Israel", "embassy", "IL", "Yrjönkatu 36 A", "Helsinki", "FI")
    >>> is_venue({"class": "amenity", "type": "embassy", "extratags": {"country": "FR"}}, il)
    False
    >>> is_venue({"class": "amenity", "type": "embassy", "extratags": {"country": "IL"}}, il)
    True
    """
    poi = poi_name(venue)
    if venue.kind == "other":
        return name_matches(poi, result)
    if not fits_kind(result, venue.kind):
        return False
    if venue.kind in MISSIONS:
        tagged = sending_countries(result)
        code = venue.represents.strip().upper()
        if tagged and len(code) == 2 and code.isalpha():
            return code in tagged
        return name_matches(poi, result) or mentions(result, venue.represents_name)
    if venue.kind == "company_shop" and venue.represents:
        return name_matches(poi, result) or brand_matches(venue.represents, result)
    return name_matches(poi, result)


def is_rival(result: Mapping[str, Any], venue: Venue) -> bool:
    """Whether a result is another object of the venue's kind (never to be used for it).

    Another country's mission, another shop, another square: it fits the venue's kind but is
    not the venue (:func:`is_venue`). A venue of kind ``other`` has no rivals.
    """
    return venue.kind != "other" and fits_kind(result, venue.kind) and not is_venue(result, venue)


def venue_precision(result: Mapping[str, Any], venue: Venue) -> str:
    """How exact a result is for this venue: :func:`precision_of`, except for a public space.

    A public space found as itself (:func:`is_venue`) is the venue, even when Nominatim gives it
    as a road: a square mapped as ``highway=pedestrian`` with ``area=yes`` or ``place=square``
    (Senaatintori) is ``venue``, not ``street``. A pedestrian street that is a line stays
    ``street``.

    Examples
    --------
    >>> sq = Venue("sq", "Senate Square", "public_space", "", "", "Helsinki", "FI")
    >>> venue_precision({"class": "highway", "type": "pedestrian", "addresstype": "road",
    ...                  "name": "Senaatintori", "extratags": {"place": "square"},
    ...                  "namedetails": {"name:en": "Helsinki Senate Square"}}, sq)
    'venue'
    """
    precision = precision_of(result)
    if venue.kind != "public_space" or precision != "street" or not is_venue(result, venue):
        return precision
    tags = result.get("extratags")
    tags = tags if isinstance(tags, Mapping) else {}
    area = result_class(result) != "highway" or tags.get("area") == "yes" or (
        tags.get("place") == "square")
    return "venue" if area else precision


def ranked_matches(results: Sequence[Mapping[str, Any]], venue: Venue,
                   query: Mapping[str, str] | None = None) -> list[Match]:
    """The usable results of one answer for a venue, best first.

    Results of the wrong shape (:func:`geo.geocode.answers.result_problem`: no valid point, no
    clean OSM object ...), coarser than a town, or rivals of the venue
    (:func:`is_rival`) are dropped; of a structured point-of-interest query (one with
    ``amenity``), so is every result that is not the venue itself (the server answers such a
    query with whatever stands at the street when it does not know the name). The rest are
    ranked: the venue itself first, then more exact, then in the server's order.

    Parameters
    ----------
    results
        One answer of the geocoder, as received.
    venue
        The venue asked for.
    query
        The query that got the answer (from :func:`venue_queries`).
    """
    only_the_venue = query is not None and "amenity" in query
    ranked = []
    for position, result in enumerate(results):
        if result_problem(result) is not None:  # the wrong shape (answers.py)
            continue
        point = coordinates(result)
        precision = venue_precision(result, venue)
        if point is None or precision not in USABLE or is_rival(result, venue):
            continue
        itself = is_venue(result, venue)
        if only_the_venue and not itself:
            continue
        key = (not itself, PRECISIONS.index(precision), position)
        ranked.append((key, Match(point[0], point[1], precision, source_of(result))))
    return [match for _, match in sorted(ranked, key=lambda item: item[0])]


def best_match(results: Sequence[Mapping[str, Any]], venue: Venue,
               query: Mapping[str, str] | None = None) -> Match | None:
    """The best usable result of one answer for a venue (:func:`ranked_matches`), or None."""
    ranked = ranked_matches(results, venue, query)
    return ranked[0] if ranked else None


def _rank(value: Any) -> int:
    """``place_rank`` as a number; 30 (the finest) when it is not a whole number."""
    try:
        return int(value or 0)
    except (TypeError, ValueError, OverflowError):
        return 30
