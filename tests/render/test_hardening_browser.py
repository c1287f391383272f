"""Hostile but valid text in headless Chromium: direction controls, and the longest city name."""

from __future__ import annotations

from pathlib import Path

import pytest
from datakit import set_cell, tiny
from playwright.sync_api import expect

from geo.build import build

pytestmark = pytest.mark.browser

REAL = "https://example.org/report"
SPOOF = "https://example.org/\u202egro.live//:sptth"  # reads as another address


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("hostile")
    data = tiny(base / "data")
    set_cell(data / "protests.csv", 2, "source_url", REAL + "\u202e")
    set_cell(data / "protests.csv", 2, "source_title", SPOOF)
    set_cell(data / "protests.csv", 2, "organizer", "\u202eSAV")
    set_cell(data / "protests.csv", 3, "city", "Vienna" + " Wien" * 38)  # 196 characters
    set_cell(data / "protests.csv", 3, "summary", "\u202e" + "A long city name.")
    build(data, base / "out")
    return base / "out" / "map.html"


def _open(page, text: str):
    page.locator("#pm-list button", has_text=text).click()
    popup = page.locator(".pm-popup")
    expect(popup).to_be_visible()
    return popup


def test_a_link_whose_title_has_direction_controls_shows_its_real_address(
        map_pages, hostile_build: Path) -> None:
    map_page = map_pages["desktop"]
    page = map_page.goto(hostile_build)
    popup = _open(page, "Embassy of Kazakhstan")
    source = popup.locator(".pm-source a")
    assert source.get_attribute("href") == REAL  # the control is stripped from the link
    assert source.get_attribute("title") == REAL
    assert "\u202e" not in source.text_content()
    assert source.get_attribute("dir") == "auto"
    # text from the data is isolated from the page's own words around it
    organizer = popup.locator(".pm-facts dd").first
    assert organizer.text_content() == "\u202eSAV" and organizer.get_attribute("dir") == "auto"
    assert map_page.records.problems() == []


def test_the_longest_city_name_allowed_renders(map_pages, hostile_build: Path) -> None:
    map_page = map_pages["desktop"]
    page = map_page.goto(hostile_build)
    city = "Vienna" + " Wien" * 38
    assert page.locator("#pm-list .pm-item-place", has_text=city).count() == 1
    popup = _open(page, city)
    assert popup.locator(".pm-popup-place").text_content().startswith(city + ", Austria")
    assert popup.locator(".pm-summary").get_attribute("dir") == "auto"
    assert map_page.records.problems() == []
