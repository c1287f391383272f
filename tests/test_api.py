"""The public API: typed frames, the map, lazy names, and examples that run."""

from __future__ import annotations

import csv
import doctest
import importlib
import logging
import os
import subprocess
import sys
from pathlib import Path

import folium
import geopandas as gpd
import pandas as pd
import pytest
from conftest import DATA, ROOT
from geopandas.testing import assert_geodataframe_equal

import geo
from geo.errors import DataError
from geo.join import join_events
from geo.schema import CRS, EVENT_COLUMNS, PRECISIONS, PROTEST_COLUMNS, VENUE_COLUMNS, VENUE_KINDS
from geo.tables import load_dataset


def test_import_geo_loads_no_heavy_module() -> None:
    code = ("import sys, geo; print(sorted(m for m in ('pandas', 'geopandas', 'folium', "
            "'pyogrio', 'shapely') if m in sys.modules))")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=env, cwd=ROOT, check=True)
    assert done.stdout.strip() == "[]"


def test_public_names_are_the_implementations() -> None:
    from geo import api, export
    from geo.analysis import match

    assert geo.load_events is api.load_events
    assert geo.build_map is api.build_map
    assert geo.match_venues is match.match_venues
    assert geo.export_events is api.export_events
    assert geo.write_events is export.write_events
    assert sorted(geo._EXPORTS) == geo.__all__
    assert set(geo.__all__) <= set(dir(geo))
    with pytest.raises(AttributeError, match="no attribute 'load_everything'"):
        geo.load_everything  # noqa: B018


@pytest.mark.parametrize(("name", "module"), [("geocode_venues", "geo.geocode"),
                                              ("extract_records", "geo.extract")])
def test_names_from_other_modules(name: str, module: str) -> None:
    implementation = importlib.import_module(module)
    assert getattr(geo, name) is getattr(implementation, name)


def test_load_events_is_the_typed_joined_frame() -> None:
    events = geo.load_events(DATA)
    assert isinstance(events, gpd.GeoDataFrame)
    assert events.crs == CRS
    assert events.columns.tolist() == [*EVENT_COLUMNS, "geometry"]
    assert str(events["date"].dtype).startswith("datetime64")
    assert events["venue_kind"].dtype == pd.CategoricalDtype(VENUE_KINDS)
    assert events["precision"].dtype == pd.CategoricalDtype(PRECISIONS)
    assert events["lat"].dtype == events["lon"].dtype == float
    assert (events.geometry.x == events["lon"]).all() and (events.geometry.y == events["lat"]).all()
    assert events[["date", "id"]].equals(events[["date", "id"]].sort_values(["date", "id"]))
    assert all(isinstance(p, list) for p in events["photos"])
    assert_geodataframe_equal(events, join_events(load_dataset(DATA)))


def test_load_venues(data_copy: Path) -> None:
    venues = geo.load_venues(DATA)
    assert venues.crs == CRS
    assert venues.columns.tolist() == [*VENUE_COLUMNS, "place_note", "geometry"]
    assert venues["kind"].dtype == pd.CategoricalDtype(VENUE_KINDS)
    assert venues["precision"].dtype == pd.CategoricalDtype(PRECISIONS)
    assert venues["id"].tolist()[:2] == ["telia-stockholm", "telia-gothenburg"]  # file order
    # a venue without coordinates is placed at its city, as on the map
    path = data_copy / "venues.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        if row["id"] == "kz-consulate-graz":
            row.update(lat="", lon="", precision="", source="")
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    graz = geo.load_venues(data_copy).set_index("id").loc["kz-consulate-graz"]
    assert graz["precision"] == "city"
    assert graz["source"].startswith("geonames:")
    assert graz.geometry.y == pytest.approx(47.07, abs=0.05)


def test_load_protests_and_context(tmp_path: Path, data_copy: Path) -> None:
    protests = geo.load_protests(DATA)
    assert type(protests) is pd.DataFrame
    assert protests.columns.tolist() == list(PROTEST_COLUMNS)
    assert str(protests["date"].dtype).startswith("datetime64")
    assert protests["id"].iloc[0] == "2011-12-16-stockholm-telia"  # file order
    context = geo.load_context(DATA)
    assert context.crs == CRS
    assert context["id"].tolist() == ["zhanaozen-2011"]
    assert context.geometry.iloc[0].x == pytest.approx(52.86192)
    (data_copy / "context.csv").unlink()
    assert geo.load_context(data_copy).empty


def test_loaders_raise_data_errors_naming_the_place(data_copy: Path) -> None:
    path = data_copy / "venues.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",embassy,KZ,", ",embasy,KZ,", 1),
                    encoding="utf-8")
    for load in (geo.load_events, geo.load_venues, geo.load_protests, geo.load_context):
        with pytest.raises(DataError, match=r"venues.csv:\d+: kind: 'embasy' is not a known kind"):
            load(data_copy)


def test_approximations_are_logged_at_info(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="geo"):
        geo.load_events(DATA)
    assert any("placed approximately" in r.getMessage() for r in caplog.records)
    assert all(r.levelno == logging.INFO for r in caplog.records if r.name == "geo")


def test_build_map_shows_inline() -> None:
    events = geo.load_events(DATA)
    fmap = geo.build_map(events[events["country"] == "AT"], geo.load_context(DATA),
                         title="Austria <b>&</b>")
    assert isinstance(fmap, folium.Map)
    html = fmap._repr_html_()  # what Jupyter shows
    assert "<iframe" in html
    assert "Austria &lt;b&gt;&amp;&lt;/b&gt;" in fmap.get_root().render()
    assert "Austria <b>&</b>" not in fmap.get_root().render()
    default = geo.build_map(events)
    assert "Protests, 16–17 December 2011" in default.get_root().render()


@pytest.mark.parametrize("module", ["geo", "geo.api", "geo.analysis.match", "geo.analysis",
                                    "geo.export.files"])
def test_examples_in_docstrings_run(module: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # the examples read the default dataset at "data"
    result = doctest.testmod(importlib.import_module(module), verbose=False,
                             optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0
    assert result.failed == 0
