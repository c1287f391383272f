"""The offline gazetteer: local names, disambiguation by country, population as tie-breaker."""

from __future__ import annotations

import pytest

from geo.errors import PlaceNotFound
from geo.gazetteer import Gazetteer, default_gazetteer


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return default_gazetteer()


@pytest.mark.parametrize(("city", "country", "name", "geonameid"), [
    ("Göteborg", "SE", "Gothenburg", 2711537),
    ("Goteborg", "SE", "Gothenburg", 2711537),
    ("Wien", "AT", "Vienna", 2761369),
    ("Bruxelles", "BE", "Brussels", 2800866),
    ("Den Haag", "NL", "The Hague", 2747373),
    ("München", "DE", "Munich", 2867714),
    ("MÜNCHEN", "DE", "Munich", 2867714),
])
def test_local_and_alternate_names(gaz: Gazetteer, city: str, country: str, name: str,
                                   geonameid: int) -> None:
    place = gaz.lookup(city, country)
    assert (place.name, place.country, place.geonameid) == (name, country, geonameid)
    assert place.source == f"geonames:{geonameid}"


@pytest.mark.parametrize(("city", "country", "lat", "lon"), [
    ("Mansfield", "GB", 53.13, -1.20),
    ("Mansfield", "US", 32.56, -97.14),
    ("London", "GB", 51.51, -0.13),
    ("London", "CA", 42.98, -81.23),
    ("Birmingham", "GB", 52.48, -1.90),
    ("Birmingham", "US", 33.52, -86.80),
    ("Córdoba", "ES", 37.89, -4.77),
    ("Córdoba", "AR", -31.41, -64.19),
    ("Cordoba", "AR", -31.41, -64.19),
])
def test_the_country_code_disambiguates(gaz: Gazetteer, city: str, country: str, lat: float,
                                        lon: float) -> None:
    place = gaz.lookup(city, country)
    assert place.country == country
    assert (place.lat, place.lon) == pytest.approx((lat, lon), abs=0.01)
    assert not place.chosen_without_country


@pytest.mark.parametrize(("city", "country"), [
    ("London", "GB"), ("Birmingham", "GB"), ("Córdoba", "AR"), ("Mansfield", "GB"),
])
def test_without_a_country_the_most_populous_is_chosen_and_says_so(gaz: Gazetteer, city: str,
                                                                    country: str) -> None:
    place = gaz.lookup(city)
    assert place.country == country
    assert place.chosen_without_country
    others = [p for p in gaz.candidates(city) if p.country != country and p.matched == "name"]
    assert others and all(p.population <= place.population for p in others)


def test_a_name_found_in_one_country_only_needs_no_warning(gaz: Gazetteer) -> None:
    place = gaz.lookup("Luleå")
    assert (place.country, place.chosen_without_country) == ("SE", False)


def test_exact_names_rank_above_alternate_names(gaz: Gazetteer) -> None:
    best = gaz.candidates("Berlin")[0]
    assert (best.name, best.country, best.matched) == ("Berlin", "DE", "name")


def test_an_unknown_city_names_the_fix(gaz: Gazetteer) -> None:
    with pytest.raises(PlaceNotFound, match="'Nowheresville' in SE.*give the venue lat/lon"):
        gaz.lookup("Nowheresville", "SE")
    with pytest.raises(PlaceNotFound):
        gaz.lookup("Mansfield", "SE")
