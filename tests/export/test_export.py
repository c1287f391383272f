"""Exports: each format read back with geopandas equals what was written, CRS kept; atomic."""

from __future__ import annotations

import json
import math
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from conftest import DATA
from geopandas.testing import assert_geoseries_equal

import geo
from geo.api import export_events
from geo.cli import main
from geo.errors import DataError, UsageError
from geo.export import FORMATS, events_geojson, iter_events_geojson, write_events
from geo.schema import CRS, GEOJSON_PROPERTIES

CATEGORICALS = ("venue_kind", "precision")


@pytest.fixture(scope="module")
def events() -> gpd.GeoDataFrame:
    return geo.load_events(DATA)


def plain(values: pd.Series) -> list[object]:
    """Python values, every kind of missing value as None."""
    out = []
    for v in values.astype(object):
        missing = v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and math.isnan(v))
        out.append(None if missing else v)
    return out


def assert_column(back: pd.Series, written: pd.Series, blank_is_missing: bool = False) -> None:
    got, want = plain(back), plain(written)
    if blank_is_missing:  # CSV cannot tell a blank from a missing value
        got = [None if v == "" else v for v in got]
        want = [None if v == "" else v for v in want]
    assert got == want, back.name


def assert_dates(back: pd.Series, written: pd.Series) -> None:
    assert str(back.dtype).startswith("datetime64"), back.dtype
    assert back.dt.strftime("%Y-%m-%d").tolist() == written.dt.strftime("%Y-%m-%d").tolist()


def test_geojson_round_trip(events: gpd.GeoDataFrame, tmp_path: Path) -> None:
    out = export_events(DATA, tmp_path / "events.geojson", "geojson")
    back = gpd.read_file(out)
    assert back.crs == CRS
    assert back.columns.tolist() == [*GEOJSON_PROPERTIES, "geometry"]
    assert_geoseries_equal(back.geometry, events.geometry)
    assert_dates(back["date"], events["date"])
    assert back["photos"].tolist() == events["photos"].tolist()
    for column in GEOJSON_PROPERTIES:
        if column not in ("date", "photos"):
            assert_column(back[column], events[column])


def test_gpkg_round_trip(events: gpd.GeoDataFrame, tmp_path: Path) -> None:
    import pyogrio

    out = export_events(DATA, tmp_path / "events.gpkg", "gpkg")
    info = pyogrio.read_info(out)
    assert info["layer_name"] == "events"
    assert dict(zip(info["fields"], info["ogr_types"], strict=True))["date"] == "OFTDate"
    back = gpd.read_file(out)
    assert back.crs == CRS
    assert back.columns.tolist() == events.columns.tolist()
    assert_geoseries_equal(back.geometry, events.geometry)
    assert_dates(back["date"], events["date"])
    assert back["photos"].map(json.loads).tolist() == events["photos"].tolist()
    for column in events.columns.drop(["date", "photos", "geometry"]):
        assert_column(back[column], events[column])


def test_parquet_round_trip_keeps_dtypes(events: gpd.GeoDataFrame, tmp_path: Path) -> None:
    out = export_events(DATA, tmp_path / "events.parquet", "parquet")
    back = gpd.read_parquet(out)
    assert back.crs == CRS
    assert back.columns.tolist() == events.columns.tolist()
    assert_geoseries_equal(back.geometry, events.geometry)
    assert back["date"].dtype == events["date"].dtype
    assert back["date"].equals(events["date"])
    for column in CATEGORICALS:
        assert back[column].dtype == events[column].dtype  # same categories, same order
    assert back["photos"].map(json.loads).tolist() == events["photos"].tolist()
    for column in events.columns.drop(["photos", "geometry"]):
        assert_column(back[column], events[column])


def test_csv_round_trip(events: gpd.GeoDataFrame, tmp_path: Path) -> None:
    out = export_events(DATA, tmp_path / "events.csv", "csv")
    back = gpd.read_file(out, X_POSSIBLE_NAMES="lon", Y_POSSIBLE_NAMES="lat",
                         KEEP_GEOM_COLUMNS="YES")
    assert back.crs is None  # a CSV records no CRS: lat/lon are WGS84 by definition
    assert_geoseries_equal(back.geometry.set_crs(CRS), events.geometry)
    assert back.columns.tolist() == events.columns.tolist()
    assert back["date"].tolist() == events["date"].dt.strftime("%Y-%m-%d").tolist()
    assert back["photos"].map(json.loads).tolist() == events["photos"].tolist()
    for column in events.columns.drop(["date", "photos", "geometry"]):
        assert_column(back[column], events[column], blank_is_missing=True)
    # pandas reads the same table
    table = pd.read_csv(out, keep_default_na=False)
    assert table["id"].tolist() == events["id"].tolist()
    assert table["lat"].tolist() == events["lat"].tolist()


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_same_events_same_bytes(fmt: str, events: gpd.GeoDataFrame, tmp_path: Path) -> None:
    suffix = FORMATS[fmt][0]
    first = write_events(events, tmp_path / f"a{suffix}", fmt).read_bytes()
    second = write_events(events, tmp_path / f"b{suffix}", fmt).read_bytes()
    assert first == second
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"a{suffix}", f"b{suffix}"]


def test_filtered_events_are_written(events: gpd.GeoDataFrame, tmp_path: Path) -> None:
    austria = events[events["country"] == "AT"]
    back = gpd.read_file(write_events(austria, tmp_path / "at.gpkg", "gpkg"))
    assert back["id"].tolist() == austria["id"].tolist() == [
        "2011-12-16-graz-consulate", "2011-12-16-vienna-consulate"]


def test_a_failed_export_keeps_the_previous_file(data_copy: Path, tmp_path: Path) -> None:
    out = export_events(data_copy, tmp_path / "out" / "events.gpkg", "gpkg")
    before = out.read_bytes()
    with (data_copy / "protests.csv").open("a", encoding="utf-8") as fh:
        fh.write("bad-row,16/12/2011,Berlin,DE,kz-embassy-berlin,,A protest,,,,\n")
    with pytest.raises(DataError, match="protests.csv:11: date:"):
        export_events(data_copy, out, "gpkg")
    assert out.read_bytes() == before
    assert [p.name for p in out.parent.iterdir()] == ["events.gpkg"]  # no temporary files left


def test_a_writer_failing_midway_leaves_the_previous_file(events: gpd.GeoDataFrame,
                                                          tmp_path: Path) -> None:
    out = write_events(events, tmp_path / "events.parquet", "parquet")
    before = out.read_bytes()
    mixed = events.assign(extra=[1, "one", 2.5, None, 3, "x", 4, 5, 6])  # no Arrow type fits
    with pytest.raises(ValueError, match="column extra"):  # pyarrow's ArrowInvalid
        write_events(mixed, out, "parquet")
    assert out.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["events.parquet"]


@pytest.mark.parametrize(("out", "fmt", "message"), [
    ("events.xlsx", "xlsx", "unknown export format 'xlsx'; use one of geojson, gpkg"),
    ("events.csv", "gpkg", "does not end in .gpkg"),
    ("events", "parquet", "does not end in .parquet or .geoparquet"),
    ("folder", "csv", "is a folder; give a file name"),
    ("file.txt/events.csv", "csv", "cannot create the folder"),
])
def test_bad_format_or_path(out: str, fmt: str, message: str, tmp_path: Path) -> None:
    (tmp_path / "folder").mkdir()
    (tmp_path / "file.txt").write_text("a file, not a folder")
    with pytest.raises(UsageError, match=message):
        export_events(DATA, tmp_path / out, fmt)


def test_events_must_be_the_loaded_frame(events: gpd.GeoDataFrame, tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="must be in EPSG:4326"):
        write_events(events.to_crs("EPSG:3857"), tmp_path / "e.gpkg", "gpkg")
    with pytest.raises(UsageError, match="lack the columns photos"):
        write_events(events.drop(columns="photos"), tmp_path / "e.gpkg", "gpkg")
    assert not any(tmp_path.iterdir())


def test_cli_export(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "events.parquet"
    assert main(["export", "--data", str(DATA), "--format", "parquet", "--out", str(out)]) == 0
    assert f"wrote {out}" in capsys.readouterr().out
    assert len(gpd.read_parquet(out)) == 9
    assert main(["export", "--data", str(DATA), "--format", "gpkg", "--out", str(out)]) == 2
    assert "does not end in .gpkg" in capsys.readouterr().err


TRICKY = ['quote " backslash \\ slash /', "tab\tnew\nline\r\x00\x1f bell\x07",
          "Luleå – Göteborg “quoted” \u2028\u2029 😀", "</script><!--", ""]


def reference_feature(row: pd.Series) -> dict[str, object]:
    """One feature as the contract describes it, built value by value."""
    props: dict[str, object] = {}
    for name in GEOJSON_PROPERTIES:
        value = row[name]
        if name == "date":
            value = value.strftime("%Y-%m-%d")
        elif not isinstance(value, list) and pd.isna(value):
            value = None
        elif isinstance(value, str):
            value = value.replace("\x00", "\ufffd")  # as in every export format
        props[name] = value
    return {"type": "Feature", "id": row["id"],
            "geometry": {"type": "Point",
                         "coordinates": [round(row["lon"], 6), round(row["lat"], 6)]},
            "properties": props}


@pytest.mark.parametrize("chunk", [1, 2, 5, 25_000])
def test_geojson_escapes_every_value_like_json(events: gpd.GeoDataFrame, chunk: int) -> None:
    tricky = events.copy()
    for i, column in enumerate(("summary", "venue_name", "organizer", "address", "date_note")):
        tricky[column] = [TRICKY[(i + k) % len(TRICKY)] for k in range(len(tricky))]
    tricky.loc[tricky.index[0], "participants"] = None
    tricky.loc[tricky.index[1], "precision"] = None
    tricky.loc[tricky.index[2], "photos"] = [{"src": "a\"b", "caption": "x\ny", "credit": "",
                                              "alt": "😀"}]
    text = b"".join(iter_events_geojson(tricky, chunk=chunk)).decode("utf-8")
    assert json.loads(text) == {"type": "FeatureCollection", "features": [
        reference_feature(row) for _, row in tricky.iterrows()]}
    assert text == events_geojson(tricky)  # the pieces make the same text, whatever their size
    lines = text.split("\n")  # the head, one feature a line, the tail, ""
    assert len(lines) == len(tricky) + 3 and lines[-1] == ""
    assert [json.loads(line.rstrip(","))["id"] for line in lines[1:-2]] == tricky["id"].tolist()


def test_empty_events_make_an_empty_collection(events: gpd.GeoDataFrame) -> None:
    assert json.loads(events_geojson(events.iloc[:0])) == {"type": "FeatureCollection",
                                                           "features": []}
