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
    lines[0] += ",tags,location_source,venue_name"
    lines[1:] = [line + ",solidarity,fake,Fake" for line in lines[1:]]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    events = join_events(load(data)).set_index("id")
    assert list(events.columns[-2:]) == ["tags", "geometry"]
    assert events.loc["p-berlin", "tags"] == "solidarity"
    assert events.loc["p-berlin", "lat"] == 52.585
    assert events.loc["p-berlin", "location_source"] == "manual"
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


def _with_new_columns(data: Path) -> Path:
    path = data / "protests.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[0] += ",end_date,lat,lon,precision,location"
    lines[1:] = [line + ",,,,," for line in lines[1:]]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return data


def test_end_date_is_a_datetime_column_nat_when_blank(data: Path) -> None:
    set_cell(_with_new_columns(data) / "protests.csv", 3, "end_date", "2011-12-20")
    events = join_events(load(data)).set_index("id")
    assert events["end_date"].dtype == events["date"].dtype
    assert events.loc["p-vienna", "end_date"] == pd.Timestamp("2011-12-20")
    assert pd.isna(events.loc["p-berlin", "end_date"])


def test_a_protest_without_venue_is_placed_at_its_own_point(data: Path) -> None:
    _with_new_columns(data)
    add_row(data / "protests.csv", id="p-town", date="2011-12-17", city="Kleinkleckersdorf",
            country="DE", summary="A vigil.", lat="52.1", lon="13.2", precision="city",
            location="a village near Berlin")
    add_row(data / "protests.csv", id="p-national", date="2011-12-17", city="Berlin",
            country="DE", summary="Days of action.", lat="51.2", lon="10.4", precision="country",
            location="national")
    events = join_events(load(data)).set_index("id")
    town = events.loc["p-town"]
    assert (town["lat"], town["lon"], town.geometry.x, town.geometry.y) == (52.1, 13.2, 13.2, 52.1)
    assert town["precision"] == "city" and town["location_source"] == "protest"
    assert town["location"] == "a village near Berlin" and town["venue_name"] == ""
    assert pd.isna(town["venue_kind"])
    national = events.loc["p-national"]
    assert national["precision"] == "country" and national["location"] == "national"
    assert events.loc["p-berlin", "location_source"] == "manual"  # the venue's source
    assert events["precision"].cat.categories.tolist() == list(PRECISIONS)


def test_a_venue_wins_over_the_rows_own_point(data: Path) -> None:
    path = _with_new_columns(data) / "protests.csv"
    for column, value in (("lat", "52.52"), ("lon", "13.40"), ("precision", "city"),
                          ("location", "Berlin-Mitte")):
        set_cell(path, 2, column, value)
    row = join_events(load(data)).set_index("id").loc["p-berlin"]
    assert (row["lat"], row["lon"], row["precision"]) == (52.585, 13.392, "street")
    assert row["location_source"] == "manual" and row["location"] == "Berlin-Mitte"


def test_own_points_venues_and_cities_mix_in_one_join(data: Path) -> None:
    """No protest at a venue: the blank row the join adds for own points is filled in."""
    _with_new_columns(data)
    (data / "photos.csv").unlink()
    path = data / "protests.csv"
    path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    add_row(path, id="a", date="2011-12-16", city="Graz", country="AT", summary="x")
    add_row(path, id="b", date="2011-12-16", city="Graz", country="AT", summary="y",
            lat="47.07", lon="15.44", precision="street")
    events = join_events(load(data)).set_index("id")
    graz = default_gazetteer().lookup("Graz", "AT")
    assert events.loc["a", "location_source"] == graz.source
    assert (events.loc["b", "lat"], events.loc["b", "precision"]) == (47.07, "street")


def test_a_town_the_gazetteer_lacks_is_drawn_at_region_precision() -> None:
    from geo.join import city_points
    from geo.places.gazetteer import default_gazetteer

    found = city_points(pd.Series(["Qwxzville", "Portland"]), pd.Series(["US", "US"]),
                        pd.Series(["Maine", "ME"]), default_gazetteer())
    assert found["precision"].tolist() == ["region", "city"]
    assert found["region"].tolist() == ["Maine", "Maine"]
    assert "region precision" in found["place_note"][0]
