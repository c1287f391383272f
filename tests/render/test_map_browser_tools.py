"""The reader's tools, in headless Chromium at 1280×800 and 360×640: dark mode, the printed page,
the search box, the time histogram and its play button, and "Get the data"."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from browser import MapPage, axe_violations
from playwright.sync_api import expect

from geo.render import make_map, page_html

pytestmark = pytest.mark.browser



@pytest.fixture
def tools_build(default_map: Path) -> Path:
    return default_map  # both paths (tests/conftest.py)


@pytest.fixture(scope="session")
def weeks_build(tmp_path_factory) -> Path:
    """120 generated events over 200 days (bars of a week), one organizer with a formula."""
    rng = np.random.default_rng(3)
    n = 120
    events = pd.DataFrame({
        "id": [f"e{i}" for i in range(n)],
        "date": pd.Timestamp("2020-01-01") + pd.to_timedelta(
            np.sort(rng.integers(0, 200, n)), unit="D"),
        "city": [f"Town {i % 30}" for i in range(n)],
        "country": ["DE"] * n,
        "venue_name": [f"Square {i % 50}" for i in range(n)],
        "venue_kind": pd.Categorical(["public_space"] * n),
        "precision": pd.Categorical(["street"] * n),
        "organizer": ["=HYPERLINK(1)" if i == 0 else "Union" for i in range(n)],
        "summary": [f"Report number {i}, about wages, \"quoted\"." for i in range(n)],
        "lat": rng.uniform(48, 54, n),
        "lon": rng.uniform(7, 14, n),
    })
    path = tmp_path_factory.mktemp("weeks") / "map.html"
    path.write_text(page_html(make_map(events, title="Weeks")), encoding="utf-8")
    return path


def _panel(page, map_page) -> None:
    if map_page.name == "phone" and page.get_attribute(".pm-toggle", "aria-expanded") != "true":
        page.click(".pm-toggle")


def test_dark_mode(chromium_browser, tools_build):
    for name in ("desktop", "phone"):
        mp = MapPage(chromium_browser, name, color_scheme="dark")
        try:
            page = mp.goto(tools_build)
            body = page.evaluate("getComputedStyle(document.body).backgroundColor")
            land = page.evaluate("getComputedStyle(document.querySelector("
                                 "'.leaflet-pm-basemap-pane path')).fill")
            assert body == "rgb(21, 25, 31)" and land == "rgb(38, 44, 53)"
            assert axe_violations(page) == []  # text contrast in the dark too
            page.evaluate("protestMap.popups.zoomToEvent(0, null)")
            wrapper = page.locator(".leaflet-popup-content-wrapper")
            expect(wrapper).to_be_visible()
            assert wrapper.evaluate("e => getComputedStyle(e).backgroundColor") == \
                "rgb(29, 35, 44)"
            assert axe_violations(page) == []
            assert mp.records.problems() == []
        finally:
            mp.close()


def test_print_shows_the_map_then_every_protest(map_page, weeks_build):
    page = map_page.goto(weeks_build)
    page.emulate_media(media="print")
    try:
        items = page.locator(".pm-print-list li")
        expect(items).to_have_count(120)  # every protest shown, not the list's first page
        assert "Report number" not in items.first.text_content()
        assert page.locator(".pm-filters").is_hidden()
        box = page.locator(".folium-map").bounding_box()
        assert box["width"] >= page.viewport_size["width"] - 2
        assert page.locator(".pm-print-list").bounding_box()["y"] >= box["y"] + box["height"]
    finally:
        page.emulate_media(media="screen")


def test_print_list_has_sources(map_pages, tools_build):
    page = map_pages["desktop"].goto(tools_build)
    page.emulate_media(media="print")
    try:
        first = page.locator(".pm-print-list li").first
        expect(first).to_contain_text("16 December 2011")
        assert "Source: Kazakhstan" in first.text_content()
    finally:
        page.emulate_media(media="screen")


def test_search_by_keyboard(map_page, tools_build):
    page = map_page.goto(tools_build)
    _panel(page, map_page)
    box = page.locator("#pm-search")
    box.fill("telia")  # words of the venue
    options = page.locator("#pm-search-results [role=option]")
    expect(options).to_have_count(3)
    assert box.get_attribute("aria-expanded") == "true"
    box.fill("luleå shop")  # accents folded, every word must match
    expect(options).to_have_count(1)
    box.fill("lulea")
    expect(options).to_have_count(1)
    box.fill("christmas shopping")  # words of the reports
    expect(options).not_to_have_count(0)
    box.fill("SAV")  # an organizer
    expect(options).to_have_count(1)
    box.press("ArrowDown")
    assert box.get_attribute("aria-activedescendant") == "pm-search-0"
    event = options.first.get_attribute("data-event")
    box.press("Enter")
    expect(page.locator(f".pm-popup[data-event='{event}']")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.locator(".pm-popup")).to_have_count(0)
    _panel(page, map_page)
    box.fill("no such words anywhere")
    expect(page.locator(".pm-search [role=status]")).to_have_text("Nothing found")
    assert axe_violations(page) == []
    assert map_page.records.problems() == []


def test_search_by_tap(map_pages, tools_build):
    mp = map_pages["phone"]
    page = mp.goto(tools_build)
    page.click(".pm-toggle")
    page.locator("#pm-search").fill("vienna")
    option = page.locator("#pm-search-results [role=option]").first
    option.tap()
    expect(page.locator(".pm-popup")).to_be_visible()
    assert page.get_attribute(".pm-toggle", "aria-expanded") == "false"  # the map, for the popup
    assert mp.records.problems() == []


def test_histogram_brushes_the_dates(map_page, weeks_build):
    page = map_page.goto(weeks_build)
    _panel(page, map_page)
    bars = page.locator(".pm-histogram .pm-bar")
    n = bars.count()
    assert 28 <= n <= 30  # weeks of 200 days
    assert page.get_attribute(".pm-histogram", "aria-label") == "Protests per week"
    assert page.locator(".pm-histogram .pm-bar.pm-in").count() == n
    heights = page.evaluate("[...document.querySelectorAll('.pm-bar')].map(r => +r.getAttribute("
                            "'height'))")
    assert max(heights) == 40
    svg = page.locator(".pm-histogram").bounding_box()
    y = svg["y"] + svg["height"] / 2
    page.mouse.move(svg["x"] + svg["width"] * 0.25, y)
    page.mouse.down()
    page.mouse.move(svg["x"] + svg["width"] * 0.5, y, steps=4)
    page.mouse.up()
    page.wait_for_function("protestMap.total < protestMap.n && protestMap.total > 0")
    lit = page.locator(".pm-histogram .pm-bar.pm-in").count()
    assert 0 < lit < n
    first, last = page.evaluate("[+document.getElementById('pm-from').value, "
                                "+document.getElementById('pm-to').value]")
    assert page.evaluate(f"""protestMap.d.day.filter(d => d >= {first} && d <= {last}).length
        === protestMap.total""")
    assert page.locator(".pm-play").count() == 0  # the reader asks for less motion
    assert map_page.records.problems() == []


def test_play_steps_through_time(chromium_browser, weeks_build):
    mp = MapPage(chromium_browser, "desktop")
    mp.context.close()  # the same, but without reduced motion
    width, height = 1280, 800
    mp.context = chromium_browser.new_context(viewport={"width": width, "height": height},
                                              reduced_motion="no-preference")
    mp.context.route("**/*", mp._route)
    mp.page = mp.context.new_page()
    try:
        page = mp.goto(weeks_build)
        play = page.locator(".pm-play")
        play.click()
        expect(play).to_have_attribute("aria-pressed", "true")
        page.wait_for_function("protestMap.total < protestMap.n")
        first = page.evaluate("+document.getElementById('pm-from').value")
        page.wait_for_function(f"+document.getElementById('pm-from').value > {first}")
        assert page.locator(".pm-histogram .pm-bar.pm-in").count() == 1
        play.click()
        expect(play).to_have_attribute("aria-pressed", "false")
        assert mp.records.problems() == []
    finally:
        mp.close()


def test_get_the_data(map_page, weeks_build):
    page = map_page.goto(weeks_build)
    _panel(page, map_page)
    page.fill("#pm-from", str(page.evaluate("protestMap.lastDay") - 60))
    page.wait_for_function("protestMap.total < protestMap.n")
    total = page.evaluate("protestMap.total")
    with page.expect_download() as info:
        page.get_by_role("button", name="Shown protests as GeoJSON").click()
    geo = json.loads(Path(info.value.path()).read_text("utf-8"))
    assert info.value.suggested_filename == "protests.geojson"
    assert geo["type"] == "FeatureCollection" and len(geo["features"]) == total
    feature = geo["features"][0]
    assert feature["geometry"]["type"] == "Point" and feature["id"].startswith("e")
    assert feature["properties"]["summary"].startswith("Report number")
    with page.expect_download() as info:
        page.get_by_role("button", name="Shown protests as CSV").click()
    rows = list(csv.DictReader(io.StringIO(Path(info.value.path()).read_text("utf-8-sig"))))
    assert len(rows) == total
    assert rows[0]["id"] == feature["id"] and '"quoted"' in rows[0]["summary"]
    assert rows[0]["country"] == "DE" and rows[0]["venue_kind"] == "public_space"
    page.click(".pm-reset")
    page.wait_for_function("protestMap.total === protestMap.n")
    with page.expect_download() as info:
        page.get_by_role("button", name="Shown protests as CSV").click()
    rows = list(csv.DictReader(io.StringIO(Path(info.value.path()).read_text("utf-8-sig"))))
    assert rows[0]["organizer"] == "'=HYPERLINK(1)"  # not run as a formula
    assert map_page.records.problems() == []
