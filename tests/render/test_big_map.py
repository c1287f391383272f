"""The large-map path (geo.render.columns, js/big-*.js): a modest synthetic map forced onto it
with ``PROTEST_MAP_BIG_ABOVE=0``, decoded in Python and driven in headless Chromium."""

from __future__ import annotations

import base64
import json
import re
import zlib
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from browser import MapPage, axe_violations

from geo.render import columns, make_map, page_html
from geo.render.payload import build_payload

N = 400
KINDS = ["embassy", "public_space", "company_shop"]


def _events(n: int = N) -> pd.DataFrame:
    rng = np.random.default_rng(11)
    countries = np.array(["DE", "FR", "PL"])
    return pd.DataFrame({
        "id": [f"e{i}" for i in range(n)],
        "date": pd.Timestamp("2021-03-01") + pd.to_timedelta(rng.integers(0, 20, n), unit="D"),
        "city": [f"Town {i % 30}" for i in range(n)],
        "country": countries[rng.integers(0, 3, n)],
        "venue_name": [f"\ufeffHall {i % 90} \U0001F600 Luleå" if i % 7 == 0 else f"Hall {i % 90}"
                       for i in range(n)],  # a BOM, a character beyond 16 bits
        "venue_kind": pd.Categorical(np.array(KINDS)[rng.integers(0, 3, n)]),
        "precision": pd.Categorical(["venue"] * n),
        "organizer": ["Union"] * n,
        "source_url": [f"https://example.org/r/{i}" for i in range(n)],
        "summary": [f"Report {i % 37}." for i in range(n)],
        "photos": [[{"src": f"https://example.org/p/{i}.jpg", "caption": f"Photo {i}",
                     "credit": "", "alt": ""}] if i % 5 == 0 else [] for i in range(n)],
        "lat": np.round(rng.uniform(44, 54, n), 5),
        "lon": np.round(rng.uniform(-2, 20, n), 5),
    }).sort_values(["date", "id"], ignore_index=True)


def _big_page(events: pd.DataFrame) -> str:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(columns.BIG_ABOVE_ENV, "0")
        return page_html(make_map(events, title="Big"))


def _decode(block: bytes) -> dict:
    """A block as the page reads it (big-data.js), in Python."""
    data = zlib.decompress(block)
    size = int.from_bytes(data[:4], "little")
    out = json.loads(data[4:4 + size])
    at = 4 + size
    types = {"u8": np.uint8, "i8": np.int8, "u16": np.uint16, "i16": np.int16, "i32": np.int32}
    for key, kind, count, delta, scale, base in out.pop("columns"):
        values = np.frombuffer(data, dtype=types[kind], count=count, offset=at).astype(np.int64)
        at += -(-count * np.dtype(types[kind]).itemsize // 4) * 4
        values = base + (np.cumsum(values) if delta else values)
        out[key] = (values / scale if scale else values).tolist()
    text = data[at:at + out.pop("utf8")].decode("utf-8").encode("utf-16-le")
    strings, pos = [], 0
    for length in out["strings"]:  # UTF-16 code units
        strings.append(text[2 * pos:2 * (pos + length)].decode("utf-16-le"))
        pos += length
    out["strings"] = strings
    return out


def _ids(tail: dict, strings: list[str]) -> list[str]:
    """The protests' ids from the tail's columns, as big-data.js's joinIds puts them together."""
    return [strings[p] + ("" if n < 0 else str(n)) + strings[s]
            for p, n, s in zip(tail["id_pre"], tail["id_num"], tail["id_suf"], strict=True)]


def _blocks(html: str) -> tuple[bytes, bytes]:
    found = dict(re.findall(r'<script type="text/plain" id="(pm-data(?:-tail)?)" '
                            r'data-encoding="columns"[^>]*>([^<]*)</script>', html))
    return base64.b64decode(found["pm-data"]), base64.b64decode(found["pm-data-tail"])


def test_the_threshold_chooses_the_path(monkeypatch) -> None:
    events = _events(20)
    monkeypatch.setenv(columns.BIG_ABOVE_ENV, "20")
    assert 'data-encoding="columns"' not in page_html(make_map(events))
    monkeypatch.setenv(columns.BIG_ABOVE_ENV, "19")
    assert 'data-encoding="columns"' in page_html(make_map(events))
    monkeypatch.delenv(columns.BIG_ABOVE_ENV)
    assert columns.big_above() == columns.BIG_ABOVE


def test_same_input_same_bytes() -> None:
    assert _big_page(_events()) == _big_page(_events())


def test_blocks_hold_the_payload() -> None:
    """Decoded, the two blocks give back build_payload's payload (strings renumbered)."""
    events = _events()
    plain = build_payload(events)
    head, tail = (_decode(b) for b in _blocks(_big_page(events)))
    strings = head["strings"] + tail["strings"]
    assert head["renderer"] == "canvas" and head["n"] == N
    assert head["place_lat"] == plain["place_lat"] and head["place_lon"] == plain["place_lon"]
    for key in ("place", "day", "kind", "precision", "photo_event"):
        assert (head.get(key) or tail[key]) == plain[key], key
    assert [head["countries"][k][0] for k in head["country"]] == \
        [plain["countries"][k][0] for k in plain["country"]]
    for key in (*columns.HEAD_TEXT, "source_url", "organizer", "photo_src", "photo_caption"):
        got = [strings[k] for k in (head.get(key) or tail[key])]
        assert got == [plain["strings"][k] for k in plain[key]], key
    assert max(max(head[k]) for k in columns.HEAD_TEXT) < len(head["strings"])
    assert [strings[k] for k in tail["summary"]] == plain["summary"]
    assert _ids(tail, strings) == plain["id"]
    assert "summary" not in head and "source_url" not in head and "id" not in head


@pytest.fixture(scope="module")
def big_map(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("big") / "map.html"
    path.write_text(_big_page(_events()), encoding="utf-8")
    return path


SPOTS = """() => [...document.querySelectorAll('.pm-spot')].map((b) => ({
  place: b.getAttribute('data-place'), cell: b.getAttribute('data-cell'),
  label: b.getAttribute('aria-label')}))"""
ON_MAP = """() => {  // protests in the items drawn, from their buttons' labels
  const app = protestMap;
  return [...document.querySelectorAll('.pm-spot')].reduce((n, b) => n + (b.dataset.place ?
    app.placeCount[+b.dataset.place] : +b.getAttribute('aria-label').split(' ')[0]), 0);
}"""
# The first button of `selector` that the pointer can reach (not under the legend), or null.
REACHABLE = """(selector) => {
  const b = [...document.querySelectorAll(selector)].find((b) => {
    const r = b.getBoundingClientRect();
    return document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2) === b;
  });
  return b ? b.dataset.key : null;
}"""
PAINTED = """() => {
  const c = document.querySelector('.pm-big-canvas'), g = c.getContext('2d');
  const px = g.getImageData(0, 0, c.width, c.height).data;
  let n = 0;
  for (let i = 3; i < px.length; i += 4) if (px[i]) n++;
  return n;
}"""


def _spot(page, which: str):
    key = page.evaluate(REACHABLE, ".pm-spot" + which)
    assert key, f"no button {which} to click"
    return page.locator(f'.pm-spot[data-key="{key}"]')


@pytest.mark.browser
def test_big_map_in_chromium(map_pages, big_map) -> None:
    mp = map_pages["desktop"]
    page = mp.goto(big_map)
    assert page.evaluate("!!protestMap.cluster") is False  # no markercluster layer
    assert page.evaluate("protestMap.d.place instanceof Int32Array || "
                         "ArrayBuffer.isView(protestMap.d.place)")
    spots = page.evaluate(SPOTS)
    assert any(s["cell"] for s in spots), "no cluster drawn"
    assert page.evaluate(PAINTED) > 1000
    assert page.evaluate(ON_MAP) == N  # the whole world is in view
    assert page.evaluate("[...protestMap.d.venue].map((k) => protestMap.s[k])") == \
        _events()["venue_name"].tolist()
    # the events of each place (indexed in the worker), in date order, as indexPlaces has them
    assert page.evaluate("""() => { const app = protestMap, d = app.d, seen = [];
      for (let p = 0; p < app.places; p++) {
        const at = [...app.placeOrder.subarray(app.placeStart[p], app.placeStart[p + 1])];
        if (at.some((i, k) => d.place[i] !== p || (k && i <= at[k - 1]))) return false;
        seen.push(...at);
      }
      return seen.length === app.n && new Set(seen).size === app.n; }""")

    # the histogram, made after the first frame, counts every protest
    page.wait_for_selector(".pm-histogram .pm-bar")
    titles = page.eval_on_selector_all(".pm-histogram .pm-bar title",
                                       "(t) => t.map((x) => x.textContent)")
    counts = [re.search(r": ([\d,]+) protests?$", t) for t in titles]
    assert sum(int(c.group(1).replace(",", "")) for c in counts if c) == N

    # a cluster zooms in; then a place opens its own popup
    zoom = page.evaluate("protestMap.map.getZoom()")
    _spot(page, "[data-cell]").click()
    page.wait_for_function(f"protestMap.map.getZoom() > {zoom}")
    while not page.evaluate(REACHABLE, ".pm-spot[data-place]"):
        _spot(page, "[data-cell]").click()
    spot = _spot(page, "[data-place]")
    p = int(spot.get_attribute("data-place"))
    spot.click()
    popup = page.wait_for_selector(".leaflet-popup .pm-popup")
    event = popup.get_attribute("data-event")
    if event is None:  # several protests at that place: the list of them
        assert popup.get_attribute("data-place") == str(p)
    else:
        assert page.evaluate(f"protestMap.d.place[{event}]") == p
        assert popup.query_selector(".pm-summary").text_content() == \
            _events()["summary"][int(event)]
        assert popup.query_selector(".pm-source a").get_attribute("href") == \
            _events()["source_url"][int(event)]
    page.keyboard.press("Escape")

    # a filter redraws: untick a kind, and fewer protests are drawn and listed
    page.evaluate("void protestMap.map.setView([49, 9], 3, {animate: false})")
    before = page.evaluate(ON_MAP)
    page.locator("#pm-filters input[name=kind]").first.uncheck()
    page.wait_for_function(f"protestMap.total < {N}")
    total = page.evaluate("protestMap.total")
    page.wait_for_function(f"({ON_MAP})() === {total}")
    assert page.evaluate(ON_MAP) < before

    # the list pages, and a list item opens its protest's popup at its own place
    assert page.locator("#pm-list > li").count() == 100
    page.click("#pm-more")
    assert page.locator("#pm-list > li").count() == 200
    button = page.locator("#pm-list button").nth(150)
    i = int(button.get_attribute("data-event"))
    button.click()
    page.wait_for_selector(f".leaflet-popup .pm-popup[data-event='{i}']")
    p = page.evaluate(f"protestMap.d.place[{i}]")
    assert page.evaluate(f"protestMap.markerLayer.drawn({p})")
    assert page.text_content(".leaflet-popup .pm-summary") == _events()["summary"][i]
    assert mp.records.problems() == []


@pytest.mark.browser
def test_big_map_with_the_keyboard(map_pages, big_map) -> None:
    """Tab reaches the places and clusters drawn; Enter opens a popup; Escape gives the focus
    back to the place."""
    mp = map_pages["desktop"]
    page = mp.goto(big_map)
    zoom = page.evaluate("protestMap.map.getZoom()")
    _spot(page, "[data-cell]").focus()
    page.keyboard.press("Enter")  # a cluster: zoom in, the focus on the first item drawn there
    page.wait_for_function(f"protestMap.map.getZoom() > {zoom}")
    page.wait_for_function("document.activeElement.classList.contains('pm-spot')")
    place = page.evaluate("""() => {
      const app = protestMap, p = app.d.place[0];
      app.map.setView([app.d.place_lat[p], app.d.place_lon[p]], 16, {animate: false});
      return p;
    }""")
    spot = page.locator(f".pm-spot[data-place='{place}']")
    spot.focus()
    page.keyboard.press("Enter")
    page.wait_for_function("document.activeElement.matches('.pm-popup h2')")
    page.keyboard.press("Escape")
    page.wait_for_function("!document.querySelector('.leaflet-popup')")
    assert page.evaluate("document.activeElement.getAttribute('data-place')") == str(place)
    assert mp.records.problems() == []


@pytest.mark.browser
def test_big_map_speaks_the_readers_language_and_passes_axe(map_pages, big_map) -> None:
    """The canvas path's buttons use the language files; axe-core finds nothing, at rest and
    with a popup open (at both viewports)."""
    for name in ("desktop", "phone"):
        mp = map_pages[name]
        page = mp.goto(big_map)
        assert axe_violations(page) == [], name
        page.evaluate("""() => {
          const app = protestMap, p = app.d.place[0];
          app.map.setView([app.d.place_lat[p], app.d.place_lon[p]], 16, {animate: false});
        }""")
        page.evaluate("protestMap.popups.openPlace(protestMap.d.place[0], false)")
        page.wait_for_selector(".leaflet-popup .pm-popup")
        assert axe_violations(page) == [], name
        assert mp.records.problems() == []
    page = map_pages["desktop"].goto(big_map, after="?lang=ru")
    label = page.get_attribute(".pm-spot[data-cell]", "aria-label")
    assert label is not None and label.endswith("протестов, выберите, чтобы приблизить")


# Worker stand-ins, before the page's scripts: none at all, or one whose script fails.
NO_WORKER = "window.Worker = undefined;"
FAILING_WORKER = """(() => { const W = window.Worker; window.Worker = function () {
  return new W(URL.createObjectURL(new Blob(['throw new Error("no")'], {type: 'text/javascript'})));
}; })();"""
READ = """() => { const app = protestMap;
  return app.readRest().then((tail) => ({spots: document.querySelectorAll('.pm-spot').length,
    strings: app.s.length, summary: tail.summary, id: tail.id,
    venue: [...app.d.venue].map((k) => app.s[k]), lat: [...app.d.place_lat]})); }"""


@pytest.mark.browser
def test_big_map_reads_its_blocks_in_a_worker_or_without_one(chromium_browser, big_map) -> None:
    """The blocks are inflated in a worker; without one (none allowed, or its script fails)
    the page reads the same on its own thread."""
    seen = []
    for init in ("", NO_WORKER, FAILING_WORKER):
        mp = MapPage(chromium_browser, "desktop")
        try:
            if init:
                mp.context.add_init_script(init)
            page = mp.goto(big_map)
            seen.append(page.evaluate(READ))
            assert len(mp.page.workers) == (0 if init else 1)
            assert mp.records.problems() == []
        finally:
            mp.close()
    assert seen[0] == seen[1] == seen[2]
    assert seen[0]["summary"] == _events()["summary"].tolist()
    assert seen[0]["id"] == _events()["id"].tolist()


def _own_venues() -> pd.DataFrame:
    """The events with a venue of their own each (as on a map of points): the venues' names go
    in the tail (columns.late_text)."""
    events = _events()
    return events.assign(venue_name=[f"Square {i} ✊" for i in range(len(events))])


def test_many_venues_names_go_in_the_tail() -> None:
    """Mostly distinct venues: their names in the tail's table, their indices in the head, the
    same payload once both are read; few venues (the other maps here) stay in the head."""
    events = _own_venues()
    plain = build_payload(events)
    head, tail = (_decode(b) for b in _blocks(_big_page(events)))
    strings = head["strings"] + tail["strings"]
    assert head["late_text"] == ["venue"]
    assert [strings[k] for k in head["venue"]] == events["venue_name"].tolist()
    assert [strings[k] for k in head["venue"]] == [plain["strings"][k] for k in plain["venue"]]
    assert [strings[k] for k in head["city"]] == events["city"].tolist()
    assert not any(name.startswith("Square") for name in head["strings"])
    assert max(head["city"]) < len(head["strings"]) <= min(head["venue"])
    few, _ = (_decode(b) for b in _blocks(_big_page(_events())))
    assert "late_text" not in few and max(few["venue"]) < len(few["strings"])


# At the first "ready" (before the tail is read): the list's titles and the places' labels.
AT_READY = """(() => {
  const seen = window.atReady = {}, all = (q) => [...document.querySelectorAll(q)];
  new MutationObserver((_, watch) => {
    if (document.documentElement.dataset.pmState !== 'ready') return;
    watch.disconnect();
    seen.titles = all('#pm-list .pm-item-title').map((s) => s.textContent);
    seen.events = all('#pm-list [data-event]').map((b) => +b.dataset.event);
    seen.labels = all('.pm-spot[data-place]').map((b) =>
      [+b.dataset.place, b.getAttribute('aria-label'), b.title]);
    seen.tail = performance.getEntriesByName('pm-details').length;
  }).observe(document, {attributes: true, attributeFilter: ['data-pm-state'], subtree: true});
})();"""


@pytest.mark.browser
def test_venues_in_the_tail_shown_once_read(chromium_browser, tmp_path) -> None:
    """Until the tail is read the list and the places' buttons say the city; then the venue,
    in the same items; axe finds nothing then."""
    events = _own_venues()
    path = tmp_path / "map.html"
    path.write_text(_big_page(events), encoding="utf-8")
    venue, city = events["venue_name"].tolist(), events["city"].tolist()
    mp = MapPage(chromium_browser, "desktop")
    try:
        mp.context.add_init_script(AT_READY)
        page = mp.goto(path)
        first = page.evaluate("window.atReady")
        assert first["tail"] == 0 and len(first["titles"]) == 100
        assert first["titles"] == [city[i] for i in first["events"]]
        assert first["labels"], "no place drawn on its own"
        for p, label, title in first["labels"]:
            i = page.evaluate(f"protestMap.placeOrder[protestMap.placeStart[{p}]]")
            assert label == title and label.startswith(city[i] + ", "), label
        page.wait_for_function("() => performance.getEntriesByName('pm-details').length")
        titles = page.eval_on_selector_all("#pm-list .pm-item-title",
                                           "(s) => s.map((x) => x.textContent)")
        assert titles == [venue[i] for i in first["events"]]
        assert first["events"] == page.eval_on_selector_all(
            "#pm-list [data-event]", "(b) => b.map((x) => +x.dataset.event)")
        for p, label, title in page.evaluate("""() => [...document.querySelectorAll(
            '.pm-spot[data-place]')].map((b) => [+b.dataset.place, b.getAttribute('aria-label'),
            b.title])"""):
            i = page.evaluate(f"protestMap.placeOrder[protestMap.placeStart[{p}]]")
            assert label == title and label.startswith(venue[i] + ", "), label
        assert axe_violations(page) == []
        assert mp.records.problems() == []
    finally:
        mp.close()


def test_columns_of_distinct_strings_are_stored_as_they_are() -> None:
    """Links, captions and reports nearly all distinct: tables of their own, as they are."""
    n = 4_000
    events = _events(n)
    events["summary"] = [f"Report {i}." for i in range(n)]  # every one distinct
    events["photos"] = [[{"src": "", "caption": "" if i % 11 == 0 else f"Photo {i}", "credit": "",
                          "alt": f"Alt {i}" if i % 3 == 0 else ""}] if i % 2 == 0 else []
                        for i in range(n)]
    assert columns.mostly_distinct(pa.array(events["source_url"]))
    plain = build_payload(events)
    head, tail = (_decode(b) for b in _blocks(_big_page(events)))
    strings = head["strings"] + tail["strings"]
    for key in ("source_url", "photo_caption", "photo_alt", "photo_credit", "organizer",
                "address", "venue", "city"):
        got = [strings[k] for k in (head.get(key) or tail[key])]
        assert got == [plain["strings"][k] for k in plain[key]], key
    assert [strings[k] for k in tail["summary"]] == plain["summary"]
    assert _ids(tail, strings) == plain["id"]
    # each link and report once (as they are), captions without blanks, alt only where it is
    # not the caption: 2 * 4,000 + 1,818 + 667 strings, and a few shared ones ("Union", the ids'
    # prefix "e" and suffix "")
    assert 10_485 < len(tail["strings"]) < 10_485 + 10
