"""Joining protests, venues and photos into the events GeoDataFrame."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from conftest import DATA
from datakit import add_row, load, set_cell, tiny

from geo.join import context_places, join_events, photo_lists
from geo.places.gazetteer import default_gazetteer
from geo.schema import EVENT_COLUMNS, PRECISIONS, VENUE_KINDS
from geo.tables import load_dataset


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return tiny(tmp_path / "data")


def test_default_events_are_points_at_their_venues() -> None:
    ds = load_dataset(DATA)
    events = join_events(ds)
    assert events.crs.to_string() == "EPSG:4326"
    assert list(events.columns) == [*EVENT_COLUMNS, "geometry"]
    assert list(events.index) == list(range(9))
    keys = list(zip(events["date"], events["id"], strict=True))
    assert keys == sorted(keys)
    london = events.set_index("id").loc["2011-12-16-london-embassy"]
    venue = ds.venues.set_index("id").loc["kz-embassy-london-2011"]
    assert (london.geometry.x, london.geometry.y) == (venue["lon"], venue["lat"])
    assert (london["lat"], london["lon"]) == (venue["lat"], venue["lon"])
    assert london["venue_name"] == venue["name"] and london["venue_kind"] == "embassy"
    assert london["location_source"] == venue["source"] and london["represents"] == "KZ"
    assert [p["caption"] for p in london["photos"]] == [
        "Protesters at the Kazakh embassy in London",
        "Handing in the letter of protest at the embassy"]
    assert all(p["alt"] == p["caption"] and p["src"] == "" for p in london["photos"])


def test_kinds_and_precisions_are_categoricals_of_the_contract_words() -> None:
    events = join_events(load_dataset(DATA))
    assert list(events["venue_kind"].cat.categories) == list(VENUE_KINDS)
    assert list(events["precision"].cat.categories) == list(PRECISIONS)
    assert events["date"].dt.strftime("%Y-%m-%d").iloc[-1] == "2011-12-17"


def test_protest_without_venue_is_placed_at_its_city(data: Path) -> None:
    add_row(data / "protests.csv", id="p-graz", date="2011-12-15", city="Graz", country="AT",
            summary="At the main square.")
    events = join_events(load(data)).set_index("id")
    graz = default_gazetteer().lookup("Graz", "AT")
    row = events.loc["p-graz"]
    assert (row["lat"], row["lon"]) == (graz.lat, graz.lon)
    assert row["precision"] == "city" and row["location_source"] == graz.source
    assert row["venue_name"] == "" and pd.isna(row["venue_kind"])
    assert events.index[0] == "p-graz"  # the earliest date comes first


def test_venue_without_coordinates_is_placed_at_its_city(data: Path) -> None:
    set_cell(data / "venues.csv", 3, "lat", "")
    set_cell(data / "venues.csv", 3, "lon", "")
    set_cell(data / "venues.csv", 3, "precision", "")
    set_cell(data / "venues.csv", 3, "source", "")
    row = join_events(load(data)).set_index("id").loc["p-vienna"]
    vienna = default_gazetteer().lookup("Vienna", "AT")
    assert (row["lat"], row["lon"], row["precision"]) == (vienna.lat, vienna.lon, "city")
    assert row["location_source"] == f"geonames:{vienna.geonameid}"
    assert row["venue_name"] == "Honorary Consulate of Kazakhstan"


def test_stated_precision_is_kept_and_blank_means_venue(data: Path) -> None:
    set_cell(data / "venues.csv", 2, "precision", "")
    events = join_events(load(data)).set_index("id")
    assert events.loc["p-berlin", "precision"] == "venue"
    assert events.loc["p-vienna", "precision"] == "street"


def test_extra_columns_are_kept_unless_they_collide(data: Path) -> None:
    path = data / "protests.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[0] += ",tags,lat,venue_name"
    lines[1:] = [line + ",solidarity,1.0,Fake" for line in lines[1:]]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    events = join_events(load(data)).set_index("id")
    assert list(events.columns[-2:]) == ["tags", "geometry"]
    assert events.loc["p-berlin", "tags"] == "solidarity"
    assert events.loc["p-berlin", "lat"] == 52.585
    assert events.loc["p-berlin", "venue_name"] == "Embassy of Kazakhstan, Berlin"


def test_no_protests_give_an_empty_frame_with_the_columns(data: Path) -> None:
    (data / "protests.csv").write_text(
        (data / "protests.csv").read_text(encoding="utf-8").splitlines()[0] + "\n",
        encoding="utf-8")
    (data / "photos.csv").unlink()
    events = join_events(load(data))
    assert events.empty and list(events.columns) == [*EVENT_COLUMNS, "geometry"]
    assert events.crs.to_string() == "EPSG:4326"


def test_photo_lists_are_fresh_lists_in_file_order() -> None:
    photos = pd.DataFrame({"protest_id": ["a", "b", "a"], "src": ["1.jpg", "", ""],
                           "caption": ["One", "Two", "Three"], "credit": ["", "X", ""],
                           "alt": ["", "", "third"]})
    lists = photo_lists(photos, pd.Series(["a", "c", "b", "d"]))
    assert [[p["caption"] for p in ps] for ps in lists] == [["One", "Three"], [], ["Two"], []]
    assert lists[0][1]["alt"] == "third" and lists[0][0]["alt"] == "One"
    assert lists[1] is not lists[3]


def test_context_places_are_points() -> None:
    ctx = context_places(load_dataset(DATA))
    assert ctx.crs.to_string() == "EPSG:4326"
    row = ctx.iloc[0]
    assert row["id"] == "zhanaozen-2011" and row["country"] == "KZ"
    assert (row.geometry.x, row.geometry.y) == (row["lon"], row["lat"])
    assert row["date"] == pd.Timestamp("2011-12-16")
