"""Venue → queries and answer → point: the pure half of geocoding."""

from __future__ import annotations

import pytest

from geo.geocode.queries import (
    Venue,
    best_match,
    coordinates,
    fits_kind,
    is_rival,
    is_venue,
    poi_name,
    precision_of,
    source_of,
    venue_precision,
    venue_queries,
)

BERLIN = Venue("kz-berlin", "Embassy of Kazakhstan, Berlin", "embassy", "KZ",
               "Nordendstraße 14-17, 13156 Berlin", "Berlin", "DE", 8)
RALLY = Venue("rally", "Rally on Aleksanterinkatu", "other", "", "Aleksanterinkatu", "Helsinki",
              "FI")
LULEA = Venue("telia-lulea", "Telia shop, Luleå", "company_shop", "Telia", "", "Luleå", "SE", 4)


DETAILS = {"extratags": "1", "namedetails": "1"}


def test_a_mission_with_an_address_is_asked_for_three_ways_most_exact_first() -> None:
    assert venue_queries(BERLIN) == [
        {"amenity": "Embassy of Kazakhstan", "street": "Nordendstraße 14-17", "city": "Berlin",
         "countrycodes": "de", "limit": "5", **DETAILS},
        {"q": "Nordendstraße 14-17, 13156 Berlin", "countrycodes": "de", "limit": "5", **DETAILS},
        {"q": "Embassy of Kazakhstan, Berlin", "countrycodes": "de", "limit": "5", **DETAILS},
    ]


def test_a_shop_without_address_is_asked_for_by_its_company_and_city() -> None:
    assert venue_queries(LULEA) == [
        {"amenity": "Telia", "city": "Luleå", "countrycodes": "se", "limit": "5", **DETAILS},
        {"q": "Telia, Luleå", "countrycodes": "se", "limit": "5", **DETAILS},
    ]


def test_the_city_is_added_to_an_address_that_lacks_it() -> None:
    v = Venue("ms", "Marks & Spencer, Leeds", "company_shop", "Marks & Spencer", "Briggate",
              "Leeds", "GB")
    assert venue_queries(v)[1]["q"] == "Briggate, Leeds"


@pytest.mark.parametrize(("name", "kind", "represents", "expected"), [
    ("Embassy of Kazakhstan, London (Thurloe Square, until 2012)", "embassy", "KZ",
     "Embassy of Kazakhstan"),
    ("Honorary Consulate of Kazakhstan, Vienna", "honorary_consulate", "KZ",
     "Honorary Consulate of Kazakhstan"),
    ("Marks & Spencer, Mansfield", "company_shop", "Marks & Spencer", "Marks & Spencer"),
    ("Sergels torg", "public_space", "", "Sergels torg"),
    ("Telia shop", "company_shop", "", "Telia shop"),
])
def test_poi_name(name: str, kind: str, represents: str, expected: str) -> None:
    assert poi_name(Venue("x", name, kind, represents, "", "C", "SE")) == expected


@pytest.mark.parametrize(("result", "precision"), [
    ({"class": "office", "type": "diplomatic", "addresstype": "office"}, "venue"),
    ({"category": "shop", "type": "mobile_phone", "addresstype": "shop"}, "venue"),
    ({"class": "building", "type": "yes", "addresstype": "building"}, "venue"),
    ({"class": "place", "type": "house", "addresstype": "place"}, "venue"),
    ({"class": "highway", "type": "bus_stop", "addresstype": "highway"}, "venue"),
    ({"class": "highway", "type": "residential", "addresstype": "road"}, "street"),
    ({"category": "highway", "type": "pedestrian"}, "street"),
    ({"class": "place", "type": "city", "addresstype": "city"}, "city"),
    ({"category": "place", "type": "suburb", "addresstype": "suburb"}, "city"),
    ({"class": "place", "type": "village"}, "city"),
    ({"class": "boundary", "type": "administrative", "addresstype": "state"}, "region"),
    ({"class": "boundary", "type": "administrative", "place_rank": 4}, "country"),
    ({"class": "boundary", "type": "administrative", "place_rank": 16}, "city"),
    ({"class": "place", "type": "country", "addresstype": "country"}, "country"),
])
def test_precision_follows_what_matched(result: dict[str, object], precision: str) -> None:
    assert precision_of(result) == precision


def test_missions_fit_diplomatic_offices_and_shops_fit_any_shop() -> None:
    assert fits_kind({"class": "office", "type": "diplomatic"}, "embassy")
    assert fits_kind({"category": "amenity", "type": "embassy"}, "honorary_consulate")
    assert fits_kind({"class": "shop", "type": "department_store"}, "company_shop")
    assert not fits_kind({"class": "office", "type": "diplomatic"}, "company_shop")
    assert not fits_kind({"class": "building", "type": "yes"}, "consulate")
    assert not fits_kind({"class": "shop", "type": "mobile_phone"}, "other")


def node(osm_id: int, cls: str, typ: str, lat: object = "52.5", lon: object = "13.4",
         **extra: object) -> dict[str, object]:
    return {"osm_type": "node", "osm_id": osm_id, "class": cls, "type": typ, "lat": lat,
            "lon": lon, **extra}


def test_a_result_fitting_the_kind_beats_an_earlier_one_that_does_not() -> None:
    results = [node(1, "building", "yes"),
               node(2, "office", "diplomatic", lat="52.6", name="Embassy of Kazakhstan")]
    match = best_match(results, BERLIN)
    assert match is not None
    assert (match.lat, match.source, match.precision) == (52.6, "nominatim:node/2", "venue")


def test_without_a_fitting_result_the_most_exact_wins_then_the_servers_order() -> None:
    street = {"osm_type": "way", "osm_id": 7, "class": "highway", "type": "residential",
              "lat": "1", "lon": "2"}
    town = {"osm_type": "relation", "osm_id": 8, "class": "place", "type": "town", "lat": "3",
            "lon": "4"}
    match = best_match([town, street], BERLIN)
    assert match is not None and (match.precision, match.source) == ("street", "nominatim:way/7")
    first = best_match([node(5, "building", "yes"), node(6, "amenity", "cafe")], RALLY)
    assert first is not None and first.source == "nominatim:node/5"


def test_results_coarser_than_a_town_or_with_bad_coordinates_are_not_used() -> None:
    state = {"class": "boundary", "type": "administrative", "addresstype": "state", "lat": "1",
             "lon": "2", "osm_type": "relation", "osm_id": 3}
    kz = {"extratags": {"country": "KZ"}}
    assert best_match([state], BERLIN) is None
    assert best_match([node(1, "office", "diplomatic", lat="91", **kz)], BERLIN) is None
    assert best_match([node(1, "office", "diplomatic", lon="nan", **kz)], BERLIN) is None
    assert best_match([node(1, "office", "diplomatic", lat=None, **kz)], BERLIN) is None
    assert best_match([node(1, "office", "diplomatic", lat="1e999", **kz)], BERLIN) is None
    assert best_match([{"class": "office", "type": "diplomatic", **kz}], BERLIN) is None
    assert best_match([], BERLIN) is None
    good = node(2, "office", "diplomatic", **kz)
    match = best_match([node(1, "office", "diplomatic", lat="inf", **kz), good], BERLIN)
    assert match is not None and match.source == "nominatim:node/2"


def test_coordinates_are_checked_at_the_border() -> None:
    assert coordinates({"lat": "-33.9", "lon": "151.2"}) == (-33.9, 151.2)
    assert coordinates({"lat": "45", "lon": "181"}) is None
    assert coordinates({"lat": "inf", "lon": "0"}) is None
    assert coordinates({"lat": None, "lon": "0"}) is None


@pytest.mark.parametrize(("result", "source"), [
    ({"osm_type": "node", "osm_id": 123}, "nominatim:node/123"),
    ({"osm_type": "relation", "osm_id": "45"}, "nominatim:relation/45"),
    ({"osm_type": "W", "osm_id": 15804085}, "nominatim:way/15804085"),
    # Anything but a clean OSM object is no source (the result is not used).
    ({"place_id": 99}, ""),
    ({}, ""),
    ({"osm_type": "node", "osm_id": "123\n456"}, ""),
    ({"osm_type": "node", "osm_id": "123 "}, ""),
    ({"osm_type": "node", "osm_id": -5}, ""),
    ({"osm_type": "node", "osm_id": True}, ""),
    ({"osm_type": "node", "osm_id": 1.5}, ""),
    ({"osm_type": "node\n", "osm_id": 1}, ""),
    ({"osm_type": "place", "osm_id": 1}, ""),
])
def test_source_names_the_provider_and_object(result: dict[str, object], source: str) -> None:
    assert source_of(result) == source


ISRAEL = Venue("il", "Embassy of Israel, Helsinki", "embassy", "IL", "Yrjönkatu 36 A", "Helsinki",
               "FI", represents_name="Israel")
STOCKMANN = Venue("st", "Stockmann, Helsinki", "company_shop", "Stockmann", "Aleksanterinkatu 52",
                  "Helsinki", "FI")
SENATE = Venue("sq", "Senate Square, Helsinki", "public_space", "", "", "Helsinki", "FI")
ADDRESS_QUERY = {"q": "Yrjönkatu 36 A, Helsinki"}
POI_QUERY = {"amenity": "Stockmann", "street": "Aleksanterinkatu 52", "city": "Helsinki"}


def mission(osm_id: int, name: str, **tags: str) -> dict[str, object]:
    return node(osm_id, "amenity", "embassy", name=name, extratags=tags or None)


FRANCE = mission(5017830882, "Ambassade de France en Finlande Service economique",
                 country="FR", target="FI")
ISRAEL_NODE = mission(323318642, "Israelin suurlähetystö", country="IL", target="FI")
HOUSE = node(7, "place", "house", addresstype="place")


def test_another_countrys_mission_at_the_address_is_never_used() -> None:
    match = best_match([FRANCE, ISRAEL_NODE], ISRAEL, ADDRESS_QUERY)
    assert match is not None and match.source == "nominatim:node/323318642"
    assert best_match([FRANCE], ISRAEL, ADDRESS_QUERY) is None  # not even as a fallback
    match = best_match([FRANCE, HOUSE], ISRAEL, ADDRESS_QUERY)  # the house at the address is
    assert match is not None and match.source == "nominatim:node/7"


@pytest.mark.parametrize(("result", "mine"), [
    (mission(1, "Israelin suurlähetystö", country="IL"), True),
    (mission(1, "Israelin suurlähetystö", country="il;fi"), True),
    (mission(1, "x", **{"diplomatic:sending_country": "IL"}), True),
    (mission(1, "Embassy of Israel", country="FR"), False),  # the tag decides over the name
    (mission(1, "Embassy of Israel"), True),  # untagged: the venue's name
    (mission(1, "Israel Embassy Helsinki"), True),  # untagged: the country's name
    (mission(1, "Argentiinan lähetystö"), False),  # untagged, another name
    (mission(1, "Embassy"), False),  # a generic name says nothing
    (node(1, "building", "yes", name="Embassy of Israel"), False),  # not a mission
])
def test_a_mission_is_recognised_by_its_country_tag_else_its_name(result: dict[str, object],
                                                                 mine: bool) -> None:
    assert is_venue(result, ISRAEL) is mine
    assert is_rival(result, ISRAEL) is (not mine and fits_kind(result, "embassy"))


def test_a_shop_inside_the_department_store_is_not_the_store() -> None:
    nail_bar = node(6049453003, "shop", "beauty", name="OPI Nail Bar",
                    namedetails={"name": "OPI Nail Bar", "addr:housename": "Stockmann"})
    kids = node(6049453036, "amenity", "social_facility", name="Hoivanet Kids Park",
                namedetails={"addr:housename": "Stockmann"})
    store = {**node(122595241, "shop", "department_store", name="Stockmann"), "osm_type": "way"}
    toilets = node(5986079685, "amenity", "toilets", extratags={"operator": "Stockman"})
    # The structured query's answer holds nothing that is the store: none of it is used.
    assert best_match([nail_bar, kids], STOCKMANN, POI_QUERY) is None
    # The address query finds the store itself, listed after a shop inside it.
    match = best_match([nail_bar, toilets, store], STOCKMANN, ADDRESS_QUERY)
    assert match is not None and match.source == "nominatim:way/122595241"
    # Without it, a shop of another name is still never taken for the store.
    match = best_match([nail_bar, toilets], STOCKMANN, ADDRESS_QUERY)
    assert match is not None and match.source == "nominatim:node/5986079685"


@pytest.mark.parametrize(("result", "mine"), [
    (node(1, "shop", "mobile_phone", name="Telia Kauppa"), True),
    (node(1, "shop", "mobile_phone", name="telia store"), True),
    (node(1, "shop", "mobile_phone", name="Kauppa", extratags={"operator": "Telia Finland Oyj"}),
     True),
    (node(1, "shop", "mobile_phone", name="", extratags={"brand": "Telia"}), True),
    (node(1, "shop", "mobile_phone", name="Teliakauppa"), False),  # whole words only
    (node(1, "shop", "mobile_phone", name="Elisa"), False),
    (node(1, "amenity", "cafe", name="Telia Cafe"), False),  # not a shop
])
def test_a_shop_is_recognised_by_its_name_brand_or_operator(result: dict[str, object],
                                                            mine: bool) -> None:
    assert is_venue(result, LULEA) is mine


def test_a_square_mapped_as_a_pedestrian_area_is_at_venue_precision() -> None:
    square = {**node(2919121, "highway", "pedestrian", addresstype="road", name="Senaatintori",
                     extratags={"area": "yes", "place": "square"},
                     namedetails={"name": "Senaatintori", "name:en": "Helsinki Senate Square",
                                  "loc_name": "Senis"}), "osm_type": "relation"}
    match = best_match([square], SENATE, {"amenity": "Senate Square", "city": "Helsinki"})
    assert match is not None
    assert (match.source, match.precision) == ("nominatim:relation/2919121", "venue")
    line = {**square, "extratags": {}}  # a pedestrian street, not an area: a street
    assert venue_precision(line, SENATE) == "street"
    other = {**square, "namedetails": {"name": "Kauppatori"}, "name": "Kauppatori"}
    assert is_rival(other, SENATE)  # another square is never used
    assert best_match([other], SENATE, {"q": "Senate Square, Helsinki"}) is None
    # The same relation as a place=square is a venue whatever the venue's kind.
    as_place = {**square, "class": "place", "type": "square", "addresstype": "square"}
    assert precision_of(as_place) == "venue"


def test_a_venue_of_kind_other_prefers_a_result_of_its_name() -> None:
    results = [node(1, "building", "yes", name="Ateneum"),
               node(2, "highway", "pedestrian", name="Aleksanterinkatu")]
    rally = Venue("r", "Aleksanterinkatu", "other", "", "", "Helsinki", "FI")
    match = best_match(results, rally)
    assert match is not None and match.source == "nominatim:node/2"
