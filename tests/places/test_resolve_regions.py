"""A region the regions table does not know: placed when the city's name is not ambiguous."""

from __future__ import annotations

from geo.places.gazetteer import default_gazetteer
from geo.places.regions import default_regions
from geo.places.resolve import resolve_city


def test_unknown_region_places_an_unambiguous_city_with_a_warning() -> None:
    r = resolve_city(default_gazetteer(), default_regions(), "Kazan", "RU", "Volga Nowhere")
    assert r.place is not None and r.place.name == "Kazan"
    assert r.error == ""
    assert "'Volga Nowhere' is not one the gazetteer knows" in r.note
    assert r.warning.startswith("'Kazan', RU: Region 'Volga Nowhere'")


def test_unknown_region_with_an_ambiguous_city_stays_an_error() -> None:
    r = resolve_city(default_gazetteer(), default_regions(), "Portland", "US", "Cascadia")
    assert r.place is None
    assert r.column == "region"
    assert r.error.startswith("region 'Cascadia' is not a region of US")


def test_unknown_region_with_an_unknown_city_stays_an_error() -> None:
    r = resolve_city(default_gazetteer(), default_regions(), "Qwxzville", "RU", "Volga Nowhere")
    assert r.place is None and r.column == "region"


def test_a_villages_old_name_does_not_stand_for_another_place() -> None:
    gaz, regions = default_gazetteer(), default_regions()
    found = resolve_city(gaz, regions, "Columbia", "US", "OR")  # Umatilla was "Columbia" once
    assert found.place is None or found.place.name != "Umatilla"
    assert resolve_city(gaz, regions, "Kiev", "UA").place.name == "Kyiv"  # a city's exonym


def test_a_district_like_name_is_placed_at_the_place_it_is_part_of() -> None:
    gaz, regions = default_gazetteer(), default_regions()
    found = resolve_city(gaz, regions, "Rio de Janeiro-North Zone", "BR")
    assert found.place.name == "Rio de Janeiro"
    assert found.note.startswith("'Rio de Janeiro-North Zone' is not in the gazetteer")
    assert found.warning


def test_without_a_region_any_namesake_in_another_region_makes_a_guess_said() -> None:
    gaz, regions = default_gazetteer(), default_regions()
    found = resolve_city(gaz, regions, "Fresno", "US")  # California; a small Fresno in Texas
    assert found.place.admin1 == "CA"
    assert "Fresno, Texas" in found.warning and found.note.startswith("Chosen by population")
    assert resolve_city(gaz, regions, "Fresno", "US", "TX").place.admin1 == "TX"


def test_a_town_unknown_in_a_known_region_is_placed_at_region_precision() -> None:
    gaz, regions = default_gazetteer(), default_regions()
    r = resolve_city(gaz, regions, "Qwxzpur", "IN", "Andhra Pradesh")
    assert r.place is not None and r.precision == "region" and r.error == ""
    assert r.region == "Andhra Pradesh" and r.place.admin1 == regions.find("IN", "AP").admin1
    assert "region precision" in r.note and "give lat/lon" in r.warning


def test_a_misspelt_town_in_a_known_region_keeps_its_did_you_mean() -> None:
    r = resolve_city(default_gazetteer(), default_regions(), "Philadephia", "US", "PA")
    assert r.precision == "region" and r.place is not None and r.place.admin1 == "PA"
    assert r.warning.endswith("did you mean Philadelphia?")


def test_a_known_town_stays_at_city_precision_and_a_foreign_one_an_error() -> None:
    gaz, regions = default_gazetteer(), default_regions()
    assert resolve_city(gaz, regions, "Portland", "US", "ME").precision == "city"
    foreign = resolve_city(gaz, regions, "Dodoma", "KE", "Nairobi")  # Tanzania's capital
    assert foreign.place is None and "but it is in Tanzania" in foreign.error


def test_the_region_stand_in_is_a_place_near_the_middle_of_the_region() -> None:
    gaz = default_gazetteer()
    maine = gaz.centre_of("US", {"ME"})
    assert maine is not None and maine.admin1 == "ME"
    assert 44.0 < maine.lat < 45.5 and -70.5 < maine.lon < -68.5  # central Maine, not Portland
