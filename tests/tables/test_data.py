"""The default dataset: the December 2011 solidarity protests, as the report describes them."""

from __future__ import annotations

import math

import pytest
from conftest import DATA

from geo.tables import Dataset, load_dataset

CITIES = {"Stockholm", "Gothenburg", "Luleå", "Brussels", "London", "Mansfield", "Berlin",
          "Graz", "Vienna"}
THURLOE_SQUARE = (51.4947, -0.1712)
PALL_MALL_125 = (51.5066, -0.1336)


@pytest.fixture(scope="module")
def ds() -> Dataset:
    return load_dataset(DATA)


def km(a: tuple[float, float], b: tuple[float, float]) -> float:
    (lat1, lon1), (lat2, lon2) = (map(math.radians, p) for p in (a, b))
    h = (math.sin((lat2 - lat1) / 2) ** 2
         + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2)
    return 2 * 6371 * math.asin(math.sqrt(h))


def test_nine_protests_in_the_nine_cities(ds: Dataset) -> None:
    assert len(ds.protests) == 9
    assert set(ds.protests["city"]) == CITIES
    assert ds.protests["id"].is_unique


def test_dates_are_16_december_except_mansfield_each_with_a_note(ds: Dataset) -> None:
    dates = dict(zip(ds.protests["city"], ds.protests["date"], strict=True))
    assert dates.pop("Mansfield") == "2011-12-17"
    assert set(dates.values()) == {"2011-12-16"}
    assert (ds.protests["date_note"].str.len() > 20).all()


def test_london_venue_is_thurloe_square_not_pall_mall(ds: Dataset) -> None:
    london = ds.protests.set_index("city").loc["London"]
    venue = ds.venues.set_index("id").loc[london["venue_id"]]
    assert "Thurloe Square" in venue["address"] and "Pall Mall" not in venue["address"]
    point = (venue["lat"], venue["lon"])
    assert km(point, THURLOE_SQUARE) < 0.5 < 2 < km(point, PALL_MALL_125)


def test_every_photo_is_caption_only(ds: Dataset) -> None:
    assert len(ds.photos) > 0
    assert (ds.photos["src"] == "").all()
    assert (ds.photos["caption"] != "").all()
    assert set(ds.photos["protest_id"]) <= set(ds.protests["id"])


def test_zhanaozen_is_a_context_place(ds: Dataset) -> None:
    row = ds.context.set_index("city").loc["Zhanaozen"]
    assert row["country"] == "KZ" and row["date"] == "2011-12-16"
    assert km((row["lat"], row["lon"]), (43.34, 52.86)) < 10


def test_every_venue_says_how_exact_it_is_and_where_from(ds: Dataset) -> None:
    assert ds.venues["lat"].notna().all() and ds.venues["lon"].notna().all()
    assert (ds.venues["precision"] != "").all()
    assert (ds.venues["source"] != "").all()
