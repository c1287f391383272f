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
