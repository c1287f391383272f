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
