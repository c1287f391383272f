"""events.geojson, byte for byte: each feature's line is the compact ``json.dumps`` of it."""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from conftest import DATA

import geo
from geo.export import events_geojson, iter_events_geojson
from geo.schema import GEOJSON_PROPERTIES

STRINGS = ["plain", 'quote "', "back\\slash", '\\"both\\"', "line\nbreak", "nul\x00", "",
           "\x1f\x07\t", 'all "of\\ them\r\n\x00', "Åre – “x” \u2028 😀", "],[", None]
"""Strings that need each kind of escape, alone and together, and a missing one."""

PHOTOS = [[], [{"src": "", "caption": 'a "b"', "credit": "c],[d", "alt": "x\ny"}],
          [{"src": "s", "caption": "", "credit": "", "alt": ""}] * 2]
"""Photo lists, one with ``],[`` inside a string."""


@pytest.fixture(scope="module")
def events() -> gpd.GeoDataFrame:
    return geo.load_events(DATA)


def many(events: gpd.GeoDataFrame, rows: int) -> gpd.GeoDataFrame:
    """``rows`` features made from ``events``, every text column cycling through STRINGS."""
    out = events.iloc[np.arange(rows) % len(events)].reset_index(drop=True)
    out["id"] = [f"e{i}" for i in range(rows)]
    for k, column in enumerate(("city", "summary", "organizer", "date_note", "participants")):
        out[column] = pd.array([STRINGS[(i + k) % len(STRINGS)] for i in range(rows)],
                               dtype=events[column].dtype)
    out["precision"] = pd.Categorical([None if i % 5 == 0 else "city" for i in range(rows)],
                                      categories=["city", 'st"reet'])
    out["photos"] = [PHOTOS[i % len(PHOTOS)] for i in range(rows)]
    return out


def expected_line(row: pd.Series) -> str:
    """One feature as ``json.dumps`` writes it (compact, not ASCII), NUL as U+FFFD."""
    def value(name: str) -> object:
        v = row[name]
        if isinstance(v, pd.Timestamp):
            return v.strftime("%Y-%m-%d")
        if isinstance(v, str):
            return v.replace("\x00", "\ufffd")
        return None if not isinstance(v, list) and pd.isna(v) else v
    feature = {"type": "Feature", "id": row["id"],
               "geometry": {"type": "Point",
                            "coordinates": [round(row["lon"], 6), round(row["lat"], 6)]},
               "properties": {name: value(name) for name in GEOJSON_PROPERTIES}}
    return json.dumps(feature, ensure_ascii=False, separators=(",", ":"))


@pytest.mark.parametrize("chunk", [1, 7, 10_000])
def test_every_line_is_json_dumps_of_its_feature(events: gpd.GeoDataFrame, chunk: int) -> None:
    tricky = many(events, 40)
    text = b"".join(iter_events_geojson(tricky, chunk=chunk)).decode("utf-8")
    lines = text.split("\n")
    assert lines[0] == '{"type":"FeatureCollection","features":['
    assert lines[-3:] == [expected_line(tricky.iloc[-1]), "]}", ""]
    assert lines[1:-3] == [expected_line(row) + "," for _, row in tricky.iloc[:-1].iterrows()]


def test_photo_lists_of_any_kind(events: gpd.GeoDataFrame) -> None:
    """Lists holding ``],[`` in a string or in nested lists, and missing values, are written
    one by one, as JSON too."""
    odd = many(events, 6)
    odd["photos"] = [[[1], [2]], None, [], float("nan"), [{"a": "],["}], [{"b": 1.5}]]
    features = json.loads(events_geojson(odd))["features"]
    assert [f["properties"]["photos"] for f in features] == [
        [[1], [2]], None, [], None, [{"a": "],["}], [{"b": 1.5}]]


def test_missing_values_in_every_kind_of_column(events: gpd.GeoDataFrame) -> None:
    gaps = many(events, 4)
    gaps["date"] = pd.to_datetime(["2011-12-16", None, "2012-01-02", None])
    gaps["summary"] = pd.array([None, None, 'x"', None], dtype=events["summary"].dtype)
    gaps["venue_kind"] = pd.Categorical([None, None, None, None])
    features = json.loads(events_geojson(gaps))["features"]
    assert [f["properties"]["date"] for f in features] == ["2011-12-16", None, "2012-01-02", None]
    assert [f["properties"]["summary"] for f in features] == [None, None, 'x"', None]
    assert [f["properties"]["venue_kind"] for f in features] == [None] * 4


def test_the_nine_events_are_unchanged(events: gpd.GeoDataFrame) -> None:
    lines = events_geojson(events).split("\n")[1:-2]
    assert lines == [expected_line(row) + ("," if i < len(events) - 1 else "")
                     for i, (_, row) in enumerate(events.iterrows())]
