"""The map for readers with a keyboard, a screen reader or a phone, in headless Chromium at
1280×800 and 360×640: axe-core finds nothing, markers and clusters answer Enter and Space,
the focus comes back to what opened a popup, and the marks stand out from the basemap."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from browser import MapPage, axe_violations
from playwright.sync_api import expect

from geo.build import build
from geo.render import make_map, page_html

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
OPEN_FIRST = "protestMap.popups.zoomToEvent(0, null)"


@pytest.fixture(scope="session")
def a11y_build(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("a11y")
    build(ROOT / "data", out)
    return out / "map.html"


def _contrast(a: list[float], b: list[float]) -> float:
    def lum(rgb: list[float]) -> float:
        c = [v / 255 for v in rgb[:3]]
        c = [v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4 for v in c]
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]
    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


RGB = "c => (c.match(/[\\d.]+/g) || []).slice(0, 3).map(Number)"


def test_axe_finds_nothing_at_rest_and_with_a_popup(map_page, a11y_build):
    page = map_page.goto(a11y_build)
    assert axe_violations(page) == []
    page.evaluate(OPEN_FIRST)
    page.wait_for_selector(".pm-popup")
    assert axe_violations(page) == []
    assert map_page.records.problems() == []


def test_page_structure(map_page, a11y_build):
    page = map_page.goto(a11y_build)
    assert page.locator("main #pm-panel").count() == 1
    assert page.locator("main .folium-map").count() == 1
    viewport = page.get_attribute("meta[name=viewport]", "content")
    assert "user-scalable" not in viewport and "maximum-scale" not in viewport
    assert page.locator("meta[name=viewport]").count() == 1
    assert "9 protests" in page.get_attribute("meta[name=description]", "content")
    assert page.get_attribute("link[rel=icon]", "href").startswith("data:image/svg+xml,")
    levels = page.evaluate("[...document.querySelectorAll('h1, h2, h3, h4')]"
                           ".map(h => +h.tagName[1])")
    assert levels[0] == 1 and all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False))


def test_contrast_of_focus_ring_and_markers(map_pages, a11y_build):
    page = map_pages["desktop"].goto(a11y_build)
    marker = page.locator(".pm-marker.pm-approx").first
    marker.focus()
    ring = page.evaluate(f"({RGB})(getComputedStyle(document.activeElement).outlineColor)")
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"
    land = page.evaluate(f"({RGB})(getComputedStyle(document.querySelector("
                         "'.leaflet-pm-basemap-pane path')).fill)")
    sea = page.evaluate(f"({RGB})(getComputedStyle(document.querySelector("
                        "'.pm-has-basemap')).backgroundColor)")
    panel = page.evaluate(f"({RGB})(getComputedStyle(document.body).backgroundColor)")
    for background in (land, sea, panel):
        assert _contrast(ring, background) >= 3, (ring, background)
    fills = page.evaluate(f"""[...document.querySelectorAll('.pm-marker g[fill]')].map(g =>
        [({RGB})(getComputedStyle(g).fill), +getComputedStyle(g).fillOpacity])""")
    assert fills
    for rgb, opacity in fills:
        assert opacity == 1
        for background in (land, sea):
            assert _contrast(rgb, background) >= 3, (rgb, background)
    rings = page.evaluate(f"""[...document.querySelectorAll('.marker-cluster div')].map(d =>
        ({RGB})(getComputedStyle(d).borderTopColor))""")
    assert rings
    for rgb in rings:
        for background in (land, sea):
            assert _contrast(rgb, background) >= 3, (rgb, background)


def test_enter_and_space_open_markers_and_escape_returns_focus(map_page, a11y_build):
    mp = map_page
    page = mp.goto(a11y_build)
    for key in ("Enter", " "):
        marker = page.locator(".pm-marker[data-place]").first
        marker.focus()
        page.keyboard.press(key)
        expect(page.locator(".pm-popup")).to_be_visible()
        assert page.evaluate("document.activeElement.tagName") == "H2"
        page.focus(".leaflet-popup-close-button")  # Escape from anywhere in the popup
        page.keyboard.press("Escape")
        expect(page.locator(".pm-popup")).to_have_count(0)
        assert page.evaluate("document.activeElement.hasAttribute('data-place')")
    close = page.locator(".leaflet-popup-close-button")
    page.locator(".pm-marker[data-place]").first.focus()
    page.keyboard.press("Enter")
    assert close.get_attribute("href") is None and close.get_attribute("tabindex") == "0"
    close.focus()
    page.keyboard.press("Enter")
    expect(page.locator(".pm-popup")).to_have_count(0)
    assert mp.records.problems() == []


def test_mouse_opened_popup_gives_focus_back(map_page, a11y_build):
    mp = map_page
    page = mp.goto(a11y_build)
    marker = page.locator(".pm-marker[data-place]").first
    place = marker.get_attribute("data-place")
    marker.click()
    expect(page.locator(".pm-popup")).to_be_visible()
    page.click(".leaflet-popup-close-button")
    expect(page.locator(".pm-popup")).to_have_count(0)
    assert page.evaluate("document.activeElement.getAttribute('data-place')") == place
    page.evaluate("() => { const c = protestMap.d.context[0];"
                  " protestMap.map.setView([c.lat, c.lon], 5, {animate: false}); }")
    context = page.locator(".pm-context-marker")
    context.click()
    expect(page.locator(".pm-popup-context")).to_be_visible()
    page.click(".leaflet-popup-close-button")
    assert page.evaluate("document.activeElement.hasAttribute('data-context')")
    assert mp.records.problems() == []


def test_enter_on_a_cluster_zooms_and_focuses_its_first_marker(map_page, a11y_build):
    page = map_page.goto(a11y_build)
    zoom = page.evaluate("protestMap.map.getZoom()")
    cluster = page.locator(".marker-cluster").first
    cluster.focus()
    page.keyboard.press("Enter")
    page.wait_for_function(f"protestMap.map.getZoom() > {zoom} || "
                           "document.querySelector('.leaflet-marker-icon.pm-marker') && "
                           "document.activeElement.classList.contains('pm-marker')")
    page.wait_for_function("document.activeElement.classList.contains('leaflet-marker-icon')")
    focused = page.evaluate("document.activeElement.className")
    assert "pm-marker" in focused or "marker-cluster" in focused
    assert map_page.records.problems() == []


@pytest.fixture(scope="session")
def near_build(tmp_path_factory) -> Path:
    """Two places 15 m apart: one cluster down to the last clustered zoom, which spiderfies."""
    events = pd.DataFrame({
        "id": ["a", "b"], "date": pd.to_datetime(["2020-01-01", "2020-01-02"]),
        "city": ["Berlin"] * 2, "country": ["DE"] * 2, "venue_name": ["Gate", "Square"],
        "venue_kind": pd.Categorical(["public_space"] * 2),
        "precision": pd.Categorical(["venue"] * 2), "summary": ["One.", "Two."],
        "lat": [52.58500, 52.58512], "lon": [13.39200, 13.39212]})
    path = tmp_path_factory.mktemp("near") / "map.html"
    path.write_text(page_html(make_map(events, title="Near")), encoding="utf-8")
    return path


def test_enter_on_a_cluster_at_the_last_zoom_spiderfies(map_pages, near_build):
    mp = map_pages["desktop"]
    page = mp.goto(near_build)
    page.evaluate("protestMap.map.setView([52.585, 13.392], 13, {animate: false})")
    cluster = page.locator(".marker-cluster")
    expect(cluster).to_have_count(1)
    cluster.focus()
    page.keyboard.press(" ")
    expect(page.locator(".pm-marker[data-place]")).to_have_count(2)
    assert page.evaluate("protestMap.map.getZoom()") == 13  # spiderfied, not zoomed
    page.wait_for_function("document.activeElement.hasAttribute('data-place')")
    page.keyboard.press("Enter")
    expect(page.locator(".pm-popup")).to_be_visible()
    assert mp.records.problems() == []


def test_marker_edges_stand_out_in_dark_mode(chromium_browser, a11y_build):
    mp = MapPage(chromium_browser, "desktop", color_scheme="dark")
    try:
        page = mp.goto(a11y_build)
        land = page.evaluate(f"({RGB})(getComputedStyle(document.querySelector("
                             "'.leaflet-pm-basemap-pane path')).fill)")
        edges = page.evaluate(f"""[...document.querySelectorAll('.pm-marker g[stroke]')].map(g =>
            ({RGB})(getComputedStyle(g).stroke))""")
        assert edges and all(_contrast(e, land) >= 3 for e in edges)
        page.locator(".pm-marker[data-place]").first.focus()
        ring = page.evaluate(f"({RGB})(getComputedStyle(document.activeElement).outlineColor)")
        assert _contrast(ring, land) >= 3
    finally:
        mp.close()


def test_focus_finds_a_redrawn_marker(map_pages, a11y_build):
    mp = map_pages["desktop"]
    page = mp.goto(a11y_build)
    marker = page.locator(".pm-marker[data-place]").first
    place = marker.get_attribute("data-place")
    marker.click()
    expect(page.locator(".pm-popup")).to_be_visible()
    old = marker.element_handle()
    page.evaluate("protestMap.markerLayer.load()")  # every marker drawn anew
    page.wait_for_function("el => !el.isConnected", arg=old)
    page.click(".leaflet-popup-close-button")
    expect(page.locator(".pm-popup")).to_have_count(0)
    assert page.evaluate("document.activeElement.getAttribute('data-place')") == place
    assert page.evaluate("document.activeElement.isConnected")
    assert mp.records.problems() == []
