"""US post office towns in the gazetteer: which ZIP codes count, where a town is, what wins."""

from __future__ import annotations

from typing import Any

import numpy as np

from geo.places import _cityindex as cityindex
from geo.places import outlines, postal
from geo.places.gazetteer import default_gazetteer
from geo.places.regions import default_regions
from geo.places.resolve import resolve_city


def row(city: str, state: str, lat: float, lon: float, **extra: Any) -> dict[str, Any]:
    base = {"zip_code": "00000", "zip_code_type": "STANDARD", "active": True, "city": city,
            "acceptable_cities": [], "state": state, "country": "US", "lat": str(lat),
            "long": str(lon)}
    return base | extra


def test_towns_are_the_medoid_of_their_own_codes_before_accepted_names() -> None:
    rows = [row("Alpha", "VT", 44.0, -72.0), row("Alpha", "VT", 44.2, -72.2),
            row("Alpha", "VT", 45.9, -70.0),  # an outlier: the medoid ignores it
            row("Beta", "VT", 43.0, -73.0, acceptable_cities=["Alpha", "Gamma"])]
    found = {(r["name"], r["admin1code"]): r for r in postal.postal_records(rows, set()).values()}
    assert (found[("Alpha", "VT")]["latitude"], found[("Alpha", "VT")]["longitude"]) == (
        44.0, -72.0)  # of the two near codes, the one nearer the outlier's side loses
    assert found[("Gamma", "VT")]["latitude"] == 43.0  # only accepted: its code's point
    assert sorted(found) == [("Alpha", "VT"), ("Beta", "VT"), ("Gamma", "VT")]


def test_companies_military_territories_inactive_and_bad_points_are_left_out() -> None:
    rows = [row("Corp", "NY", 40.7, -74.0, zip_code_type="UNIQUE"),
            row("Apo", "AE", 50.0, 8.0, zip_code_type="MILITARY"),
            row("San Juan", "PR", 18.4, -66.1),
            row("Gone", "OH", 40.0, -83.0, active=False),
            row("Nowhere", "OH", 40.0, -83.0) | {"lat": "n/a"},
            row("Kept", "OH", 40.0, -83.0, zip_code_type="PO BOX")]
    assert [r["name"] for r in postal.postal_records(rows, set()).values()] == ["Kept"]


def test_ids_are_negative_and_the_same_for_the_same_rows() -> None:
    rows = [row(name, "ME", 44.0 + i / 10, -70.0) for i, name in enumerate("Cdeab")]
    first = postal.postal_records(rows, set())
    again = postal.postal_records(list(reversed(rows)), set())
    assert first == again
    assert sorted(r["geonameid"] for r in first.values()) == [-5, -4, -3, -2, -1]


def test_geonames_towns_are_not_added_twice() -> None:
    rows = [row("Portland", "ME", 43.66, -70.26), row("Portland", "CT", 41.57, -72.64)]
    kept = postal.postal_records(rows, {("ME", "portland")})
    assert [(r["name"], r["admin1code"]) for r in kept.values()] == [("Portland", "CT")]


def test_a_new_england_town_is_found_with_its_state_and_its_source() -> None:
    found = resolve_city(default_gazetteer(), default_regions(), "Monroe", "US", "CT")
    assert found.place is not None and found.error == ""
    assert found.place.source == "zipcodes:Monroe, CT"
    assert (round(found.place.lat, 1), round(found.place.lon, 1)) == (41.3, -73.2)


def test_a_geonames_city_still_wins_over_a_post_office_town() -> None:
    found = resolve_city(default_gazetteer(), default_regions(), "Portland", "US", "ME")
    assert found.place is not None and found.place.source.startswith("geonames:")


def test_every_post_office_town_lies_in_the_united_states() -> None:
    """One truth for geocode and validate: what the gazetteer writes passes the country check."""
    records = list(postal.postal_records(postal.zip_rows(), set(), cityindex._in_the_us).values())
    lat = np.array([r["latitude"] for r in records])
    lon = np.array([r["longitude"] for r in records])
    outside = outlines.outside_country(lat, lon, ["US"] * len(records))
    assert len(records) > 20_000
    assert [r["name"] for r, bad in zip(records, outside, strict=True) if bad] == []


def test_points_the_country_check_rejects_are_left_out_before_the_median() -> None:
    rows = [row("Groveport", "OH", 39.85, -82.88), row("Groveport", "OH", 19.9, -41.4),
            row("Apo", "NJ", 0.0, 0.0)]
    kept = postal.postal_records(rows, set(), cityindex._in_the_us)
    assert [(r["name"], r["latitude"]) for r in kept.values()] == [("Groveport", 39.85)]
