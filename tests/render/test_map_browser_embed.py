"""The map on phones and inside articles, in headless Chromium: the first view holds every
protest, a popup's zoom follows its precision, one finger scrolls an article and two move the
map, the wheel rule holds in a cross-origin frame, and a sandboxed frame says why a link cannot
open."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from browser import wait_for_map
from playwright.sync_api import expect

from geo.build import build
from geo.render import embed_html

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
FILLER = "<p>" + "A paragraph of the article about the protests. " * 40 + "</p>\n"


@pytest.fixture(scope="session")
def embed_build(tmp_path_factory) -> Path:
    """The default data, the first protest with a source link."""
    out = tmp_path_factory.mktemp("embed")
    shutil.copytree(ROOT / "data", out / "data")
    protests = pd.read_csv(out / "data" / "protests.csv", dtype=str, keep_default_na=False)
    protests.loc[0, "source_url"] = "https://example.org/report"
    protests.to_csv(out / "data" / "protests.csv", index=False)
    build(out / "data", out)
    return out


def _article(frame_html: str) -> str:
    return ("<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
            "<meta name='viewport' content='width=device-width, initial-scale=1'>"
            "<title>Article</title></head><body style='max-width:48rem;margin:auto'>"
            + FILLER * 2 + frame_html + FILLER * 6 + "</body></html>")


def _serve(page, folder: Path, article: str) -> None:
    """Serve the article at http://article.test/ and the map at http://map.test/map.html."""
    def fulfil(route):
        url = route.request.url
        if url.startswith("http://article.test/"):
            route.fulfill(body=article, content_type="text/html; charset=utf-8")
        else:
            route.fulfill(path=folder / "map.html", content_type="text/html; charset=utf-8")
    page.route("http://article.test/**", fulfil)
    page.route("http://map.test/**", fulfil)


def test_first_view_holds_every_place(map_page, embed_build):
    page = map_page.goto(embed_build / "map.html")
    inside = page.evaluate("""() => { const m = protestMap.map, d = protestMap.d, b = m.getBounds();
      return d.place_lat.every((lat, p) => b.contains([lat, d.place_lon[p]])); }""")
    assert inside
    shown = page.locator(".marker-cluster, .pm-marker[data-place]").count()
    assert shown >= 3  # not one cluster at world zoom, on a phone either


def test_popup_zoom_follows_precision(map_page, embed_build):
    page = map_page.goto(embed_build / "map.html")
    precision = page.evaluate("protestMap.d.precision.map(p => protestMap.d.precisions[p])")
    street, city = precision.index("street"), precision.index("city")
    zooms = []
    for i in (street, city):
        if map_page.name == "phone":
            page.click(".pm-toggle")
        page.click(f"#pm-list button[data-event='{i}']")
        expect(page.locator(f".pm-popup[data-event='{i}']")).to_be_visible()
        zooms.append(page.evaluate("protestMap.map.getZoom()"))
    assert zooms[0] >= 15 and zooms[1] < 15  # city-level after street-level: zoomed out
    assert map_page.records.problems() == []


def test_one_finger_scrolls_the_article_two_move_the_map(map_pages, embed_build):
    mp = map_pages["phone"]
    (embed_build / "article.html").write_text(
        _article(embed_html("map.html", title="Map")), encoding="utf-8")
    mp.goto(embed_build / "article.html", wait_ready=False)
    page = mp.page
    frame_el = page.locator("iframe")
    frame_el.scroll_into_view_if_needed()
    frame = frame_el.element_handle().content_frame()
    wait_for_map(frame)
    assert frame.evaluate("protestMap.map.dragging.enabled()") is False
    assert frame.evaluate("getComputedStyle(protestMap.map.getContainer()).touchAction") == \
        "pan-x pan-y"
    box = frame_el.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    cdp = mp.context.new_cdp_session(page)
    center = frame.evaluate("protestMap.map.getCenter().lat")
    scroll = page.evaluate("scrollY")

    def touch(kind: str, points: list[tuple[float, float]]) -> None:
        cdp.send("Input.dispatchTouchEvent", {
            "type": kind, "touchPoints": [{"x": px, "y": py, "id": k}
                                          for k, (px, py) in enumerate(points)]})

    touch("touchStart", [(x, y)])
    for step in range(1, 8):
        touch("touchMove", [(x, y - 20 * step)])
    for _ in range(5):  # held still before lifting: no fling
        page.wait_for_timeout(60)
        touch("touchMove", [(x, y - 140)])
    expect(frame.locator(".pm-touch-hint")).to_have_class("pm-wheel-hint pm-touch-hint pm-visible")
    touch("touchEnd", [])
    page.wait_for_function(f"scrollY > {scroll}")
    page.wait_for_function("""() => new Promise(done => {  // the scroll has come to rest
      const at = scrollY; setTimeout(() => done(scrollY === at), 300); })""")
    assert frame.evaluate("protestMap.map.getCenter().lat") == center
    box = frame_el.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.wait_for_timeout(300)
    touch("touchStart", [(x - 40, y), (x + 40, y)])
    for step in range(1, 8):
        touch("touchMove", [(x - 40, y + 15 * step), (x + 40, y + 15 * step)])
    touch("touchEnd", [])
    frame.wait_for_function(f"protestMap.map.getCenter().lat !== {center}")
    cdp.detach()
    assert mp.records.problems() == [], mp.records.problems()


def test_wheel_rule_in_a_cross_origin_frame(map_pages, embed_build):
    mp = map_pages["desktop"]
    page = mp.page
    _serve(page, embed_build, _article(embed_html("http://map.test/map.html", title="Map")))
    try:
        mp.records.clear()
        page.goto("http://article.test/")
        frame_el = page.locator("iframe")
        frame_el.scroll_into_view_if_needed()
        frame = frame_el.element_handle().content_frame()
        wait_for_map(frame)
        assert frame.evaluate("window.origin") == "http://map.test"
        box = frame_el.bounding_box()
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        page.mouse.click(x, y)  # a click lets the wheel zoom the map ...
        assert frame.evaluate("protestMap.map.scrollWheelZoom.enabled()")
        page.mouse.move(x, box["y"] - 30)  # ... until the pointer leaves the frame
        frame.wait_for_function("!protestMap.map.scrollWheelZoom.enabled()")
        zoom, scroll = frame.evaluate("protestMap.map.getZoom()"), page.evaluate("scrollY")
        page.mouse.move(x, y)
        page.mouse.wheel(0, 300)
        page.wait_for_function(f"scrollY > {scroll}")
        assert frame.evaluate("protestMap.map.getZoom()") == zoom
        assert mp.records.problems() == []
    finally:
        page.unroute("http://article.test/**")
        page.unroute("http://map.test/**")


def test_sandboxed_frame_says_why_a_link_does_not_open(map_pages, embed_build):
    mp = map_pages["desktop"]
    page = mp.page
    frame_html = ('<iframe sandbox="allow-scripts" src="http://map.test/map.html" title="Map" '
                  'style="width:100%;height:40rem"></iframe>')
    _serve(page, embed_build, _article(frame_html))
    try:
        mp.records.clear()
        page.goto("http://article.test/")
        frame = page.locator("iframe").element_handle().content_frame()
        wait_for_map(frame)
        frame.evaluate("protestMap.popups.zoomToEvent("
                       "protestMap.d.source_url.findIndex(s => protestMap.s[s]), null)")
        source = frame.locator(".pm-popup .pm-source a")
        expect(source).to_be_visible()
        pages = len(mp.context.pages)
        source.click()
        refused = frame.locator(".pm-link-refused")
        expect(refused).to_be_visible()
        assert frame.locator(".pm-link-refused input").input_value() == \
            source.get_attribute("href")
        assert len(mp.context.pages) == pages
    finally:
        page.unroute("http://article.test/**")
        page.unroute("http://map.test/**")
