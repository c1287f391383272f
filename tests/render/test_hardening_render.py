"""Builds that once crashed on data that validates, and text from the data kept in its place."""

from __future__ import annotations

import csv
import io
import json
import random
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest
from datakit import tiny

from geo.build import build
from geo.render.columns import utf8_bytes, utf16_lengths
from geo.render.payload import arrow_text, build_payload, string_table
from geo.render.text import safe_links

PROTEST_HEADER = ("id,date,city,country,venue_id,organizer,summary,participants,source_url,"
                  "source_title,date_note,end_date,lat,lon,precision").split(",")
VENUE_HEADER = "id,name,kind,represents,address,city,country,lat,lon,precision,source".split(",")
PHOTO_HEADER = "protest_id,src,caption,credit,alt".split(",")
CITIES = (("Berlin", "DE", 52.52, 13.40), ("Vienna", "AT", 48.21, 16.37),
          ("Graz", "AT", 47.07, 15.44), ("Hamburg", "DE", 53.55, 9.99))


def write_table(path: Path, header: list[str], rows: list[list[str]]) -> None:
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\n").writerows([header, *rows])
    path.write_text(out.getvalue(), encoding="utf-8", newline="")


def geojson_ids(out: Path) -> list[str]:
    features = json.loads((out / "events.geojson").read_text("utf-8"))["features"]
    return [f["properties"]["id"] for f in features]


def test_a_protest_without_a_venue_after_one_with_a_venue_builds(tmp_path: Path) -> None:
    """The join concatenates venue rows with a blank row: columns of two chunks reached the
    payload's string table, which took only contiguous arrays (TypeError ... ChunkedArray)."""
    folder = tiny(tmp_path / "data")
    write_table(folder / "venues.csv", VENUE_HEADER, [[
        "v-berlin", "Embassy of Kazakhstan, Berlin", "embassy", "KZ",
        "Nordendstraße 14, " + "a long address " * 60, "Berlin", "DE", "52.585", "13.392",
        "street", "manual"]])
    write_table(folder / "protests.csv", PROTEST_HEADER, [
        ["p-berlin", "2011-12-16", "Berlin", "DE", "v-berlin", "", "At the embassy.", "", "",
         "", "", "", "", "", ""],
        ["p-vienna", "2011-12-17", "Vienna", "AT", "", "", "In a square.", "", "", "", "", "",
         "48.2", "16.3", "city"]])
    result = build(folder, tmp_path / "out")
    assert result.events == 2
    assert geojson_ids(tmp_path / "out") == ["p-berlin", "p-vienna"]


def test_arrow_text_combines_chunks() -> None:
    two = pd.concat([pd.Series(["a"], dtype="str"), pd.Series(["b", ""], dtype="str")],
                    ignore_index=True)
    for values in (two, pa.chunked_array([["a"], ["b", None]]),
                   pa.chunked_array([["a"], ["b", None]], pa.large_string())):
        text = arrow_text(values)
        assert isinstance(text, pa.Array) and text.to_pylist() == ["a", "b", ""]
    assert string_table({"x": two}) == (["", "a", "b"], {"x": [1, 2, 0]})


def random_folder(rng: random.Random, folder: Path) -> None:
    """A small valid data folder: venues used or not, protests at venues, own points or cities."""
    folder.mkdir(parents=True)
    venues = []
    for i in range(rng.randint(0, 3)):
        city, country, lat, lon = rng.choice(CITIES)
        kind = rng.choice(["embassy", "company_shop", "public_space"])
        venues.append([f"v{i}", f"Venue {i}" + "y" * rng.choice([0, 10, 190]), kind,
                       "KZ" if kind == "embassy" else "Telia",
                       rng.choice(["", "Street 1", "Street 1, " + "z" * 900]),
                       city, country, f"{lat + rng.random() / 100:.5f}", str(lon),
                       rng.choice(["venue", "street"]), "manual"])
    write_table(folder / "venues.csv", VENUE_HEADER, venues)
    protests = []
    rows = rng.randint(1, 6)
    days = sorted(rng.choice(["2011-12-15", "2011-12-16", "2011-12-17"]) for _ in range(rows))
    for i in range(rows):
        city, country, lat, lon = rng.choice(CITIES)
        venue_id = point = ""
        way = rng.random()
        if venues and way < 0.5:
            venue = venues[i] if i < len(venues) and rng.random() < 0.7 else rng.choice(venues)
            venue_id, city, country = venue[0], venue[5], venue[6]
        elif way < 0.75:
            point = "own"
        protests.append([
            f"p{i}-{rng.randint(0, 99)}", days[i],
            city, country, venue_id, rng.choice(["", "Org"]), "S" * rng.choice([1, 50, 5000]),
            "", rng.choice(["", "https://example.org/x"]), "", "",
            rng.choice(["", "2011-12-20"]), str(lat) if point else "",
            str(lon) if point else "", "city" if point else ""])
    write_table(folder / "protests.csv", PROTEST_HEADER, protests)
    photos = [[p[0], "", "A caption", "", ""] for p in protests if rng.random() < 0.3]
    write_table(folder / "photos.csv", PHOTO_HEADER, photos)


@pytest.mark.parametrize("seed", range(36))
def test_random_small_valid_tables_build(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    random_folder(rng, tmp_path / "data")
    result = build(tmp_path / "data", tmp_path / "out")
    rows = (tmp_path / "data" / "protests.csv").read_text("utf-8").count("\n") - 1
    assert result.events == rows
    assert len(geojson_ids(tmp_path / "out")) == rows


def test_direction_controls_are_stripped_from_links_in_the_payload() -> None:
    controls = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
    events = pd.DataFrame({
        "id": ["a"], "date": ["2011-12-16"], "city": ["Graz"], "country": ["AT"],
        "venue_kind": ["embassy"], "precision": ["venue"], "summary": ["\u202eText"],
        "lat": [47.07], "lon": [15.44], "source_title": ["\u202eTitle"],
        "source_url": [f"https://example.org/{controls}report"],
        "photos": [[{"src": "https://example.org/\u202egpj.jpg", "caption": "c", "credit": "",
                     "alt": ""}]]})
    payload = build_payload(events)
    strings = payload["strings"]
    assert strings[payload["source_url"][0]] == "https://example.org/report"
    assert strings[payload["photo_src"][0]] == "https://example.org/gpj.jpg"
    assert strings[payload["source_title"][0]] == "\u202eTitle"  # kept: the page isolates it


def test_ascii_and_other_text_side_by_side() -> None:
    """Links, UTF-16 lengths and UTF-8 bytes read only the values that are not ASCII apart: a
    mix of both keeps every value in its place, also in a slice of an array."""
    urls = ["https://a.example/x", "https://example.org/\u202egpj.exe", "javascript:x",
            "https://b.example/\u00e9", "reports/\u2066a.html", "b.html"]
    assert safe_links(urls).to_pylist() == [
        "https://a.example/x", "https://example.org/gpj.exe", "", "https://b.example/\u00e9",
        "reports/a.html", "b.html"]
    texts = pa.array(["skip", "ab", "Lule\u00e5", "\U0001F600!", "", "x\u2028y\U0001F600"])
    assert utf16_lengths(texts.slice(1)).tolist() == [2, 5, 3, 0, 5]
    assert bytes(utf8_bytes(texts.slice(1, 3))) == "abLule\u00e5\U0001F600!".encode()
    assert bytes(utf8_bytes(texts.slice(4, 1))) == b""
