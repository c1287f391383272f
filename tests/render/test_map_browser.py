"""The map in headless Chromium, at 1280×800 and 360×640, with the network cut.

Builds are made once per session: the default dataset; a richer copy (photos from a PNG written
here, an http(s) photo, a source link, three protests at one embassy on three dates); a copy
with injection payloads in every text field; and 250 generated events with a deflated payload.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from browser import wait_for_map
from PIL import Image
from playwright.sync_api import expect

from geo.build import build
from geo.join import context_places, join_events
from geo.render import embed_html, make_map, page_html
from geo.tables import load_dataset

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
BERLIN = "Embassy of Kazakhstan, Berlin"

# JavaScript snippets run in the page
IN_LAYER = ("protestMap.cluster.getLayers()"
            ".reduce((n, m) => n + protestMap.placeCount[m.pmPlace], 0)")  # protests on the map
STATE = """() => ({
  n: protestMap.n,
  inLayer: """ + IN_LAYER + """,
  listed: document.querySelectorAll('#pm-list > li').length,
  count: document.getElementById('pm-count').textContent,
  legend: [...document.querySelectorAll('.pm-legend-count')].map(e => +e.textContent),
})"""
POPUP_IN_VIEW = """() => {
  const r = document.querySelector('.leaflet-popup').getBoundingClientRect();
  return r.left >= 0 && r.top >= 0 && r.right <= innerWidth && r.bottom <= innerHeight;
}"""


def _append_rows(path: Path, rows: list[dict[str, str]]) -> None:
    with open(path, newline="", encoding="utf-8") as fh:
        header = next(csv.reader(fh))
    with open(path, "a", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=header)
        for row in rows:
            writer.writerow({k: row.get(k, "") for k in header})


@pytest.fixture(scope="session")
def default_build(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("default")
    build(ROOT / "data", out)
    return out


@pytest.fixture(scope="session")
def rich_build(tmp_path_factory) -> Path:
    """The default data plus photos, a source link, three protests at the Berlin embassy and
    one at a square 15 m away."""
    base = tmp_path_factory.mktemp("rich")
    data = base / "data"
    shutil.copytree(ROOT / "data", data)
    (data / "photos").mkdir()
    gradient = np.linspace(0, 255, 900 * 600 * 3).reshape(600, 900, 3).astype("uint8")
    Image.fromarray(gradient).save(data / "photos" / "berlin.png")
    _append_rows(data / "photos.csv", [
        {"protest_id": "2011-12-16-berlin-embassy", "src": "photos/berlin.png",
         "caption": "Banner at the gate", "credit": "A. Photographer", "alt": "A banner"},
        {"protest_id": "2011-12-16-berlin-embassy", "src": "https://example.org/berlin.jpg",
         "caption": "The letter handed in", "credit": "", "alt": ""},
    ])
    _append_rows(data / "venues.csv", [
        {"id": "berlin-square", "name": "Square by the embassy", "kind": "public_space",
         "city": "Berlin", "country": "DE", "lat": "52.58512", "lon": "13.39212",
         "precision": "venue", "source": "manual"}])
    _append_rows(data / "protests.csv", [
        {"id": f"2011-12-{day}-berlin-embassy", "date": f"2011-12-{day}", "city": "Berlin",
         "country": "DE", "venue_id": "kz-embassy-berlin", "organizer": "SAV (CWI Germany)",
         "summary": f"A further protest on the {day}th.", "participants": "dozens"}
        for day in (20, 21)
    ] + [{"id": "2011-12-18-berlin-square", "date": "2011-12-18", "city": "Berlin",
          "country": "DE", "venue_id": "berlin-square", "summary": "A vigil on the square."}])
    protests = pd.read_csv(data / "protests.csv", dtype=str, keep_default_na=False)
    protests.loc[protests["id"] == "2011-12-16-berlin-embassy", "source_url"] = \
        "https://example.org/report"
    protests.to_csv(data / "protests.csv", index=False)
    out = base / "out"
    build(data, out)
    return out


PAYLOADS = [
    '<img src=x onerror="window.__pwned=1;alert(1)">',
    "</script><script>window.__pwned=2;alert(2)</script>",
    "${window.__pwned=3}`+alert(3)+`",
    '"><svg onload="window.__pwned=4;alert(4)">',
    "'; window.__pwned=5; alert(5); '",
    "{{ 7*7 }} {% if true %}jinja{% endif %} {# comment",
    "<!-- <script>window.__pwned=6</script> -->",
    "line\u2028separator\u2029paragraph & <b>bold</b> &amp;",
    "javascript:alert(7)",
]
BAD_LINKS = ["javascript:alert(1)", " javascript:alert(2)",
             "data:text/html,<script>alert(3)</script>", "JaVaScRiPt:alert(4)", "vbscript:x",
             "//evil.example/x", "java\tscript:alert(5)", "file:///etc/passwd",
             "javascript:alert(6)"]
TEXT_FIELDS = ["venue_name", "city", "address", "organizer", "participants", "summary",
               "source_title", "date_note", "location"]


@pytest.fixture(scope="session")
def injection_build(tmp_path_factory) -> tuple[Path, pd.DataFrame]:
    """The default events with a payload in every text field and a bad link in every link."""
    events = join_events(load_dataset(ROOT / "data"))
    context = context_places(load_dataset(ROOT / "data"))
    n = len(events)
    for k, col in enumerate(TEXT_FIELDS):
        events[col] = [f"{col}: {PAYLOADS[(i + k) % len(PAYLOADS)]}" for i in range(n)]
    events["source_url"] = [BAD_LINKS[i % len(BAD_LINKS)] for i in range(n)]
    events["photos"] = [[{"src": BAD_LINKS[i % len(BAD_LINKS)],
                          "caption": f"caption: {PAYLOADS[i % len(PAYLOADS)]}",
                          "credit": f"credit: {PAYLOADS[(i + 1) % len(PAYLOADS)]}",
                          "alt": f"alt: {PAYLOADS[(i + 2) % len(PAYLOADS)]}"}] for i in range(n)]
    context["name"] = PAYLOADS[0]
    context["summary"] = PAYLOADS[1]
    context["source_url"] = BAD_LINKS[0]
    out = tmp_path_factory.mktemp("inject")
    with pytest.warns(UserWarning, match="shown as not supplied"):
        fmap = make_map(events, context, title=PAYLOADS[1], cdn=False, data_dir=None,
                        attribution=PAYLOADS[3])
    (out / "map.html").write_text(page_html(fmap), encoding="utf-8")
    return out / "map.html", events


@pytest.fixture(scope="session")
def many_build(tmp_path_factory) -> Path:
    """250 generated events in 5 countries over 10 days, payload deflated."""
    rng = np.random.default_rng(7)
    n = 250
    countries = np.array(["DE", "FR", "PL", "ES", "IT"])
    events = pd.DataFrame({
        "id": [f"e{i}" for i in range(n)],
        "date": pd.Timestamp("2020-01-01") + pd.to_timedelta(rng.integers(0, 10, n), unit="D"),
        "city": [f"Town {i % 40}" for i in range(n)],
        "country": countries[rng.integers(0, 5, n)],
        "venue_name": [f"Square {i % 60}" for i in range(n)],
        "venue_kind": pd.Categorical(["public_space"] * n),
        "precision": pd.Categorical(["street"] * n),
        "summary": [f"Report number {i}." for i in range(n)],
        "lat": rng.uniform(40, 54, n),
        "lon": rng.uniform(-4, 20, n),
    }).sort_values(["date", "id"], ignore_index=True)
    out = tmp_path_factory.mktemp("many")
    fmap = make_map(events, title="Generated", compress=True)
    (out / "map.html").write_text(page_html(fmap), encoding="utf-8")
    return out / "map.html"


def _ensure_panel(page, map_page) -> None:
    if map_page.name == "phone" and page.get_attribute(".pm-toggle", "aria-expanded") != "true":
        page.click(".pm-toggle")


def _list_button(page, text: str, nth: int = 0):
    return page.locator("#pm-list button", has_text=text).nth(nth)


def test_default_map_offline(map_page, default_build):
    page = map_page.goto(default_build / "map.html")
    state = page.evaluate(STATE)
    assert state["n"] == 9 and state["inLayer"] == 9 and state["listed"] == 9
    assert state["count"] == "All 9 protests shown."
    assert sum(state["legend"][:4]) == 9  # kinds: embassy, consulate, honorary, shop
    assert page.title() == "Protests, 16–17 December 2011"
    assert "9 protests in 5 countries" in page.text_content("#pm-description")
    # every protest is a marker or inside a cluster whose counts add up
    visible = page.locator(".pm-marker[data-place]").count()
    clustered = sum(int(t.split()[0]) for t in page.locator(".marker-cluster").all_text_contents())
    assert visible + clustered == 9
    assert page.locator(".pm-context-marker").is_visible()
    assert page.text_content(".pm-context-label") == "Zhanaozen"
    # offline basemap under the (blocked) tiles
    assert page.locator(".leaflet-pm-basemap-pane path").count() > 150
    assert page.evaluate("+getComputedStyle(document.querySelector('.leaflet-pm-basemap-pane'))"
                         ".zIndex < +getComputedStyle(document.querySelector('.leaflet-tile-pane'))"
                         ".zIndex")
    assert map_page.records.tiles, "tiles are requested (and blocked here)"
    assert map_page.records.problems() == []
    assert "OpenStreetMap" in page.text_content(".leaflet-control-attribution")
    assert "Natural Earth" in page.text_content(".leaflet-control-attribution")
    assert page.locator(".pm-legend").is_visible()
    _ensure_panel(page, map_page)
    assert page.locator("#pm-filters").is_visible()
    assert page.locator("#pm-list").is_visible()


def test_every_list_entry_zooms_to_its_marker(map_page, default_build):
    page = map_page.goto(default_build / "map.html")
    for i in range(9):
        _ensure_panel(page, map_page)
        button = page.locator(f"#pm-list button[data-event='{i}']")
        title = button.locator(".pm-item-title").text_content()
        button.click()
        place = page.evaluate(f"protestMap.d.place[{i}]")
        assert page.locator(f".pm-marker[data-place='{place}']").is_visible()
        assert page.text_content(".pm-popup h2") == title
        page.wait_for_function(POPUP_IN_VIEW)  # after the popup's auto-pan
    assert map_page.records.problems() == []


def test_popup_by_keyboard_with_photos(map_page, rich_build):
    page = map_page.goto(rich_build / "map.html")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "pm-skip"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "pm-list"
    page.keyboard.press("Tab")
    first = page.evaluate("document.activeElement.textContent")
    assert "Berlin" in first and "16 Dec 2011" in first
    page.keyboard.press("Enter")
    popup = page.locator(".pm-popup")
    expect(popup).to_be_visible()
    assert page.evaluate("document.activeElement.tagName") == "H2"
    text = popup.text_content()
    for expected in (BERLIN, "16 December 2011", "SAV (CWI Germany)", "Berlin, Germany",
                     "Nordendstraße 14-17", "On this street, within about 300 m",
                     "Banner at the gate", "Photo: A. Photographer", "The letter handed in",
                     "Photo not supplied", "Protesters in front of the Kazakh embassy in Berlin",
                     "All 3 protests at this place"):
        assert expected in text, expected
    img = popup.locator(".pm-photo img")
    assert img.get_attribute("alt") == "A banner"
    assert img.get_attribute("src").startswith("data:image/jpeg;base64,")
    assert page.evaluate("document.querySelector('.pm-photo img').naturalWidth") == 480
    photo_link = popup.locator(".pm-photo-linked a")
    assert photo_link.get_attribute("href") == "https://example.org/berlin.jpg"
    source = popup.locator(".pm-source a")
    assert source.get_attribute("href") == "https://example.org/report"
    assert source.get_attribute("target") == "_blank"
    assert source.get_attribute("rel") == "noopener"
    page.wait_for_function(POPUP_IN_VIEW)  # after the popup's auto-pan
    page.keyboard.press("Escape")
    assert page.locator(".pm-popup").count() == 0
    focused = page.evaluate("document.activeElement.className")
    assert focused == ("pm-item-button" if map_page.name == "desktop" else "pm-toggle")
    assert map_page.records.problems() == []


def test_one_venue_lists_its_protests_and_near_places_spiderfy(map_page, rich_build):
    page = map_page.goto(rich_build / "map.html")
    page.evaluate("protestMap.map.setView([52.585, 13.392], 13)")  # the last clustered zoom
    cluster = page.locator(".marker-cluster")
    assert cluster.count() == 1
    assert cluster.text_content().startswith("4 protests")  # 3 at the embassy + 1 on the square
    cluster.click()
    markers = page.locator(".pm-marker[data-place]")
    expect(markers).to_have_count(2)
    boxes = [m.bounding_box() for m in markers.all()]
    assert abs(boxes[0]["x"] - boxes[1]["x"]) + abs(boxes[0]["y"] - boxes[1]["y"]) > 20
    embassy = page.locator(".pm-marker[data-place]", has_text="3")
    assert embassy.get_attribute("title") == f"{BERLIN}, 3 protests"
    embassy.click()
    listed = page.locator(".pm-popup-list .pm-place-button")
    assert listed.all_text_contents() == [
        "16 December 2011: SAV (CWI Germany)", "20 December 2011: SAV (CWI Germany)",
        "21 December 2011: SAV (CWI Germany)"]
    assert "3 protests here, from 16 December 2011 to 21 December 2011" in \
        page.text_content(".pm-popup")
    listed.nth(1).click()
    assert "A further protest on the 20th." in page.text_content(".pm-popup")
    page.click(".pm-popup .pm-place-button")  # back to the place's list
    expect(page.locator(".pm-popup-list .pm-place-button")).to_have_count(3)
    assert map_page.records.problems() == []


def test_filters_change_what_is_visible(map_page, rich_build):
    page = map_page.goto(rich_build / "map.html")
    _ensure_panel(page, map_page)
    assert page.evaluate(STATE)["inLayer"] == 12
    page.get_by_label("Company shop").uncheck()
    page.wait_for_function(f"{IN_LAYER} === 8")
    state = page.evaluate(STATE)
    assert state["listed"] == 8 and state["count"] == "8 protests of 12 shown."
    assert state["legend"][3] == 0  # company shops
    page.get_by_label("Company shop").check()
    page.select_option("#pm-country", label="Germany")
    page.wait_for_function(f"{IN_LAYER} === 4")
    assert page.locator("#pm-list .pm-item-place").all_text_contents() == \
        ["Berlin, Germany · Embassy", "Berlin, Germany · Public space"] + \
        ["Berlin, Germany · Embassy"] * 2
    page.click(".pm-reset")
    page.wait_for_function(f"{IN_LAYER} === 12")
    page.fill("#pm-from", str(page.evaluate("protestMap.lastDay") - 1))  # 20 December
    page.wait_for_function(f"{IN_LAYER} === 2")
    assert page.text_content("#pm-from + output") == "20 December 2011"
    assert [t.strip() for t in page.locator("#pm-list .pm-item-date").all_text_contents()] == \
        ["20 Dec 2011", "21 Dec 2011"]
    assert sum(page.evaluate(STATE)["legend"][:4]) == 2
    assert map_page.records.problems() == []


def test_injection_payloads_stay_text(map_pages, injection_build):
    path, events = injection_build
    mp = map_pages["desktop"]
    page = mp.goto(path)
    assert page.title() == PAYLOADS[1]
    assert page.text_content("#pm-title") == PAYLOADS[1]
    for i in range(len(events)):
        page.click(f"#pm-list button[data-event='{i}']")
        popup = page.locator(".pm-popup")
        text = popup.text_content()
        assert page.text_content(".pm-popup h2") == events["venue_name"][i]
        for col in ("summary", "organizer", "participants", "date_note", "location"):
            assert events[col][i] in text, col
        photo = events["photos"][i][0]
        assert photo["caption"] in text and photo["credit"] in text
        assert "Photo not supplied" in text  # bad photo links are dropped, not loaded
    page.click("button[data-context='0']")
    assert PAYLOADS[1] in page.text_content(".pm-popup")
    hrefs = page.evaluate(
        "[...document.body.querySelectorAll('[href]')].map(e => e.getAttribute('href'))")
    assert all(h.startswith(("https://", "#")) for h in hrefs), hrefs
    injected = "document.querySelectorAll('img[src=x], svg[onload], [onerror], [onload]').length"
    assert page.evaluate(injected) == 0
    assert page.evaluate("window.__pwned") is None
    assert PAYLOADS[3] in page.text_content(".leaflet-control-attribution")
    assert mp.records.problems() == []


def test_embed_in_article(map_pages, default_build):
    mp = map_pages["desktop"]
    filler = "<p>" + "An article paragraph about the protests. " * 40 + "</p>\n"
    article = default_build / "article.html"
    article.write_text(
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Article</title></head>"
        "<body style='max-width:48rem;margin:auto'>" + filler * 2
        + embed_html("map.html", title="Map of the protests") + filler * 6 + "</body></html>",
        encoding="utf-8")
    page = mp.page
    mp.goto(article, wait_ready=False)
    frame_el = page.locator("iframe[title='Map of the protests']")
    frame_el.scroll_into_view_if_needed()
    frame = frame_el.element_handle().content_frame()
    wait_for_map(frame)
    assert frame.evaluate(IN_LAYER) == 9
    assert frame.locator(".pm-fullscreen button").count() == 1  # allowfullscreen works
    box = frame_el.bounding_box()
    assert box["width"] > 700 and box["height"] >= box["width"] * 0.74
    zoom = frame.evaluate("protestMap.map.getZoom()")
    scroll = page.evaluate("scrollY")
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.wheel(0, 400)
    page.wait_for_function(f"scrollY > {scroll}")
    assert frame.evaluate("protestMap.map.getZoom()") == zoom  # the page scrolled, not the map
    box = frame_el.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 3, box["y"] + box["height"] / 3)
    page.keyboard.down("Control")
    page.mouse.wheel(0, -200)
    page.keyboard.up("Control")
    frame.wait_for_function(f"protestMap.map.getZoom() > {zoom}")
    assert mp.records.problems() == []


def test_deflated_payload_and_list_paging(map_pages, many_build):
    mp = map_pages["desktop"]
    page = mp.goto(many_build)
    assert page.evaluate("document.getElementById('pm-data').dataset.encoding") == "deflate"
    state = page.evaluate(STATE)
    assert state["inLayer"] == 250 and state["listed"] == 100
    page.click("#pm-more")
    assert page.evaluate(STATE)["listed"] == 200
    assert page.evaluate("document.activeElement.closest('li') === "
                         "document.querySelectorAll('#pm-list > li')[100]")
    page.click("#pm-more")
    assert page.evaluate(STATE)["listed"] == 250
    assert page.locator("#pm-more").is_hidden()
    page.click("#pm-list button[data-event='0']")
    page.wait_for_selector(".pm-popup .pm-summary")
    summary = page.text_content(".pm-popup .pm-summary")
    assert summary and summary == page.evaluate("protestMap.d.summary[0]")
    assert mp.records.problems() == []


def test_browser_without_decompression_stream(map_pages, many_build, default_build):
    """A deflated payload needs DecompressionStream: without it the page says so; plain works."""
    page = map_pages["desktop"].context.new_page()
    try:
        page.add_init_script("delete window.DecompressionStream")
        page.goto(many_build.as_uri())
        page.wait_for_function("document.documentElement.dataset.pmState === 'error'")
        assert "lacks DecompressionStream" in page.text_content(".pm-error")
        page.goto((default_build / "map.html").as_uri())  # small payload: plain JSON
        wait_for_map(page)
        assert page.evaluate(IN_LAYER) == 9
    finally:
        page.close()


def test_map_without_protests(map_pages, tmp_path_factory):
    events = join_events(load_dataset(ROOT / "data")).head(0)
    path = tmp_path_factory.mktemp("empty") / "map.html"
    path.write_text(page_html(make_map(events, title="Nothing yet")), encoding="utf-8")
    mp = map_pages["desktop"]
    page = mp.goto(path)
    assert page.text_content("#pm-count") == "All 0 protests shown."
    assert page.locator("#pm-country, #pm-from").count() == 0
    assert mp.records.problems() == []


def test_fullscreen_control(map_pages, default_build):
    mp = map_pages["desktop"]
    page = mp.goto(default_build / "map.html")
    button = page.locator(".pm-fullscreen button")
    assert button.get_attribute("aria-label") == "Show full screen"
    button.click()
    page.wait_for_function("document.fullscreenElement === document.documentElement")
    expect(button).to_have_attribute("aria-pressed", "true")
    button.click()
    page.wait_for_function("document.fullscreenElement === null")
    assert mp.records.problems() == []
