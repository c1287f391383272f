"""Exports of protests that span days and of protests placed at their own point."""

from __future__ import annotations

import io
import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
from conftest import DATA

import geo
from geo.export import events_csv, events_geojson, write_events


@pytest.fixture(scope="module")
def events() -> gpd.GeoDataFrame:
    events = geo.load_events(DATA)
    events.loc[0, "end_date"] = pd.Timestamp("2011-12-19")
    events.loc[1, "location"] = "Stockholm, Sweden"
    return events


def test_geojson_has_end_date_and_location_null_when_none(events: gpd.GeoDataFrame) -> None:
    features = json.loads(events_geojson(events))["features"]
    assert features[0]["properties"]["end_date"] == "2011-12-19"
    assert features[1]["properties"]["end_date"] is None
    assert features[1]["properties"]["location"] == "Stockholm, Sweden"
    assert features[0]["properties"]["location"] == ""


def test_csv_writes_end_dates_as_days_blank_when_none(events: gpd.GeoDataFrame) -> None:
    back = pd.read_csv(io.StringIO(events_csv(events)), dtype=str,
                       keep_default_na=False)
    assert back["end_date"].tolist()[:2] == ["2011-12-19", ""]
    assert back["location"].tolist()[:2] == ["", "Stockholm, Sweden"]


@pytest.mark.parametrize("fmt", ["gpkg", "parquet"])
def test_gpkg_and_parquet_keep_end_date_as_a_date(events: gpd.GeoDataFrame, tmp_path: Path,
                                                   fmt: str) -> None:
    out = write_events(events, tmp_path / f"events.{fmt}", fmt)
    if fmt == "gpkg":
        info = pyogrio.read_info(out)
        assert dict(zip(info["fields"], info["ogr_types"], strict=True))["end_date"] == "OFTDate"
    back = gpd.read_parquet(out) if fmt == "parquet" else gpd.read_file(out)
    assert str(back["end_date"].dtype).startswith("datetime64")
    assert back["end_date"].iloc[0] == pd.Timestamp("2011-12-19")
    assert back["end_date"].iloc[1:].isna().all()
