"""Places the gazetteer chose, in headless Chromium: the region in the popup, and the note that
says a place was chosen by population or moved from a former state's code."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from playwright.sync_api import expect

from geo.build import build

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
ROWS = [
    {"id": "2011-12-18-portland-maine", "date": "2011-12-18", "city": "Portland",
     "region": "ME", "country": "US", "summary": "A rally by the harbour."},
    {"id": "2011-12-19-portland", "date": "2011-12-19", "city": "Portland", "country": "US",
     "summary": "A rally somewhere called Portland."},
    {"id": "1990-03-01-kiev", "date": "1990-03-01", "city": "Kiev", "country": "SU",
     "summary": "A march in Soviet times."},
]


@pytest.fixture(scope="session")
def places_build(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("places")
    data = base / "data"
    shutil.copytree(ROOT / "data", data)
    protests = pd.read_csv(data / "protests.csv", dtype=str, keep_default_na=False)
    protests = pd.concat([protests, pd.DataFrame(ROWS)], ignore_index=True).fillna("")
    protests.to_csv(data / "protests.csv", index=False)
    result = build(data, base / "out")
    warned = [str(w) for w in result.warnings]
    assert any("'Portland', US: Portland, Oregon" in w and "Portland, Maine" in w for w in warned)
    return base / "out"


def test_events_geojson_carries_region_and_note(places_build: Path) -> None:
    features = json.loads((places_build / "events.geojson").read_text())["features"]
    by_id = {f["properties"]["id"]: f["properties"] for f in features}
    points = {f["properties"]["id"]: f["geometry"]["coordinates"] for f in features}
    maine, guess, kiev = (by_id[r["id"]] for r in ROWS)
    assert [round(c) for c in points[ROWS[0]["id"]]] == [-70, 44]  # Maine, not Oregon
    assert [round(c) for c in points[ROWS[1]["id"]]] == [-123, 46]
    assert (maine["region"], maine["country"], maine["place_note"]) == ("Maine", "US", "")
    assert guess["region"] == "Oregon"
    assert guess["place_note"].startswith("Chosen by population among places called Portland")
    assert (kiev["country"], kiev["region"]) == ("UA", "Kyiv City")
    assert kiev["place_note"].startswith("Given under SU (Soviet Union")


def _open(page, map_page, text: str):
    if map_page.name == "phone" and page.get_attribute(".pm-toggle", "aria-expanded") != "true":
        page.click(".pm-toggle")
    page.click(".pm-reset")
    page.locator("#pm-list button", has_text=text).first.click()
    popup = page.locator(".pm-popup")
    expect(popup).to_be_visible()
    return popup


def test_popups_name_the_region_and_say_how_the_place_was_chosen(map_page, places_build):
    page = map_page.goto(places_build / "map.html")
    popup = _open(page, map_page, "18 Dec 2011")
    expect(popup.locator(".pm-popup-place")).to_have_text("Portland, Maine, United States")
    expect(popup.locator(".pm-note")).to_have_count(0)
    page.keyboard.press("Escape")
    popup = _open(page, map_page, "19 Dec 2011")
    expect(popup.locator(".pm-popup-place")).to_have_text("Portland, Oregon, United States")
    expect(popup.locator(".pm-note")).to_contain_text("Place: Chosen by population")
    page.keyboard.press("Escape")
    popup = _open(page, map_page, "1 Mar 1990")
    expect(popup.locator(".pm-popup-place")).to_have_text("Kiev, Kyiv City, Ukraine")
    expect(popup.locator(".pm-note")).to_contain_text("no longer a state")
