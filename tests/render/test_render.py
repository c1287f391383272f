"""The renderer without a browser: payload, escaping, assets, determinism, embed snippet."""

from __future__ import annotations

import base64
import json
import os
import re
import subprocess
import sys
import zlib
from html.parser import HTMLParser
from pathlib import Path

import folium
import numpy as np
import pandas as pd
import pytest
from PIL import Image

from geo.build import build
from geo.errors import DataError, UsageError
from geo.join import context_places, join_events
from geo.render import embed_html, make_map, page_html
from geo.render.encoding import embed_json
from geo.render.images import MAX_SIDE, inline_images, thumbnail_uri
from geo.render.payload import build_payload, places, safe_link, string_table
from geo.tables import load_dataset

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def dataset():
    ds = load_dataset(ROOT / "data")
    return join_events(ds), context_places(ds)


class Scripts(HTMLParser):
    """The <script> elements of a page: attributes and text."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[tuple[dict, str]] = []
        self._open: dict | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self._open = dict(attrs)
            self.scripts.append((self._open, ""))

    def handle_data(self, data):
        if self._open is not None:
            attrs, text = self.scripts[-1]
            self.scripts[-1] = (attrs, text + data)

    def handle_endtag(self, tag):
        if tag == "script":
            self._open = None


def page_data(html: str, element_id: str = "pm-data") -> dict:
    """The JSON of a page's data element, decoded the way the page script does it."""
    parser = Scripts()
    parser.feed(html)
    for attrs, text in parser.scripts:
        if attrs.get("id") == element_id:
            if attrs["data-encoding"] == "deflate":
                return json.loads(zlib.decompress(base64.b64decode(text)))
            return json.loads(text)
    raise AssertionError(f"no #{element_id} in the page")


@pytest.mark.parametrize("url, expected", [
    ("https://example.org/a?b=1#c", "https://example.org/a?b=1#c"),
    ("HTTP://EXAMPLE.ORG", "HTTP://EXAMPLE.ORG"),
    ("reports/berlin.html", "reports/berlin.html"),
    ("../up.html", "../up.html"),
    ("#anchor", "#anchor"),
    ("javascript:alert(1)", ""),
    ("JaVaScRiPt:alert(1)", ""),
    (" javascript:alert(1)", ""),
    ("java\tscript:alert(1)", ""),
    ("java\nscript:alert(1)", ""),
    ("data:text/html,<script>alert(1)</script>", ""),
    ("vbscript:msgbox", ""),
    ("file:///etc/passwd", ""),
    ("//evil.example/x", ""),
    ("\\\\evil.example\\x", ""),
    ("", ""),
])
def test_safe_link(url, expected):
    assert safe_link(url) == expected


def test_embed_json_cannot_end_its_script():
    nasty = {"s": "</script><script>alert(1)</script><!-- \u2028\u2029 & > <"}
    encoding, text = embed_json(nasty, compress=False)
    assert encoding == "json"
    for bad in ("<", ">", "\u2028", "\u2029", "&"):
        assert bad not in text
    assert json.loads(text) == nasty


def test_embed_json_deflates_large_payloads():
    big = {"s": ["protest report text"] * 20_000}
    encoding, text = embed_json(big)
    assert encoding == "deflate"
    assert re.fullmatch(r"[A-Za-z0-9+/=]+", text)
    assert json.loads(zlib.decompress(base64.b64decode(text))) == big
    assert embed_json({"s": "small"})[0] == "json"


def test_string_table_stores_each_string_once():
    table, idx = string_table({"a": np.array(["x", "", "y", "x"], dtype=object),
                               "b": np.array(["y", "z"], dtype=object)})
    assert table == ["", "x", "y", "z"]
    assert idx == {"a": [1, 0, 2, 1], "b": [2, 3]}


def test_places_group_identical_points():
    idx, lat, lon = places(np.array([1.0, 2.0, 1.0, 1.0]), np.array([5.0, 5.0, 5.0, 6.0]))
    assert idx.tolist() == [0, 1, 0, 2]
    assert lat.tolist() == [1.0, 2.0, 1.0] and lon.tolist() == [5.0, 5.0, 6.0]


def test_payload_of_the_default_data(dataset):
    events, context = dataset
    p = build_payload(events, context, country_name=lambda c: {"SE": "Sweden"}.get(c, c))
    n = len(events)
    assert p["n"] == n == 9
    for key in ("day", "kind", "precision", "country", "place", "city", "venue", "organizer",
                "summary", "source_url", "source_title", "date_note"):
        assert len(p[key]) == n, key
    s = p["strings"]
    assert s[0] == "" and len(s) == len(set(s))
    assert s.count("Kazakhstan: Solidarity protests held at Kazakh embassies") == 1
    assert [s[i] for i in p["venue"]] == events["venue_name"].tolist()
    assert [s[i] for i in p["organizer"]] == events["organizer"].tolist()
    assert p["summary"] == events["summary"].tolist()
    assert p["day"][0] == (pd.Timestamp("2011-12-16") - pd.Timestamp("1970-01-01")).days
    assert [p["kinds"][k] for k in p["kind"]] == events["venue_kind"].astype(str).tolist()
    assert [p["precisions"][k] for k in p["precision"]] == events["precision"].astype(str).tolist()
    assert [p["countries"][c][0] for c in p["country"]] == events["country"].tolist()
    assert ["SE", "Sweden"] in p["countries"]
    assert len(p["place_lat"]) == 9  # nine different points
    assert [p["place_lat"][i] for i in p["place"]] == events["lat"].round(5).tolist()
    assert len(p["photo_event"]) == 7 and all(s[i] == "" for i in p["photo_src"])
    first_photo = events["photos"][p["photo_event"][0]][0]
    assert s[p["photo_caption"][0]] == first_photo["caption"]
    assert p["context"][0]["city"] == "Zhanaozen" and p["context"][0]["day"] == p["day"][0]


def test_payload_links_and_photos(dataset, tmp_path):
    events, _ = dataset
    events = events.head(3).copy()
    events["source_url"] = ["https://example.org/r", "javascript:alert(1)", "reports/r.html"]
    Image.new("RGB", (1000, 500), "red").save(tmp_path / "wide.png")
    events["photos"] = [
        [{"src": "wide.png", "caption": "local", "credit": "me", "alt": ""}],
        [{"src": "https://example.org/p.jpg", "caption": "remote", "credit": "", "alt": "a"},
         {"src": "", "caption": "none", "credit": "", "alt": ""}],
        [{"src": "missing.png", "caption": "gone", "credit": "", "alt": ""},
         {"src": "javascript:alert(1)", "caption": "bad", "credit": "", "alt": ""}],
    ]
    with pytest.warns(UserWarning) as caught:
        images = inline_images(["wide.png", "missing.png", "javascript:alert(1)"], tmp_path)
    assert sorted(images) == ["wide.png"]
    assert any("missing.png" in str(w.message) for w in caught)
    assert any("javascript:alert(1)" in str(w.message) for w in caught)
    p = build_payload(events, images=images)
    s = p["strings"]
    assert [s[i] for i in p["source_url"]] == ["https://example.org/r", "", "reports/r.html"]
    srcs = [s[i] for i in p["photo_src"]]
    assert srcs[0].startswith("data:image/jpeg;base64,")
    assert srcs[1:] == ["https://example.org/p.jpg", "", "", ""]
    assert p["photo_event"] == [0, 1, 1, 2, 2]
    assert [s[i] for i in p["photo_alt"]] == ["local", "a", "none", "gone", "bad"]  # alt defaults


def test_thumbnails_are_small_stripped_and_stable(tmp_path):
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"
    Image.new("RGB", (1600, 1200), (30, 90, 160)).save(tmp_path / "p.jpg", exif=exif)
    uri = thumbnail_uri(tmp_path / "p.jpg")
    assert uri == thumbnail_uri(tmp_path / "p.jpg")
    raw = base64.b64decode(uri.split(",", 1)[1])
    (tmp_path / "t.jpg").write_bytes(raw)
    with Image.open(tmp_path / "t.jpg") as img:
        assert img.size == (MAX_SIDE, MAX_SIDE * 3 // 4)
        assert not img.getexif()
    Image.new("RGBA", (50, 40), (0, 0, 0, 0)).save(tmp_path / "a.png")
    assert thumbnail_uri(tmp_path / "a.png").startswith("data:image/png;base64,")


def test_local_photos_without_data_dir_warn(dataset):
    events, _ = dataset
    events = events.head(1).copy()
    events["photos"] = [[{"src": "photos/x.jpg", "caption": "c", "credit": "", "alt": ""}]]
    with pytest.warns(UserWarning, match="no data_dir"):
        fmap = make_map(events, title="T")
    assert page_data(page_html(fmap))["strings"][0] == ""


def test_two_builds_are_byte_identical(dataset):
    events, context = dataset
    first = page_html(make_map(events, context, title="T", cdn=False, data_dir=None))
    second = page_html(make_map(events, context, title="T", cdn=False, data_dir=None))
    assert first == second
    assert not re.search(r"[0-9a-f]{32}", first), "a random folium/branca id is left"


def test_build_is_byte_identical_across_processes(tmp_path):
    build(ROOT / "data", tmp_path / "a")
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    subprocess.run([sys.executable, str(ROOT / "build_map.py"), "--out", str(tmp_path / "b")],
                   cwd=ROOT, env=env, check=True, capture_output=True)
    for name in ("map.html", "embed.html"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_rendering_twice_gives_the_same_page(dataset):
    events, context = dataset
    fmap = make_map(events, context, title="T")
    fmap._repr_html_()  # as Jupyter does, before the page is written
    once = page_html(fmap)
    assert page_html(fmap) == once
    assert once.count("ProtestMap.start(") == 1


JINJA = "{{ 7*7 }} {% if true %}jinja{% endif %} {# not a comment"
NASTY = "</script><script>alert(1)</script><!-- \u2028 ${alert(1)} `x` " + JINJA


@pytest.mark.parametrize("compress", [False, True])
def test_data_text_stays_data(dataset, compress):
    events, context = dataset
    events = events.copy()
    events["summary"] = NASTY
    events["venue_name"] = "<img src=x onerror=alert(1)>"
    html = page_html(make_map(events, context, title="<b>T</b> & " + JINJA, compress=compress))
    data = page_data(html)
    assert set(data["summary"]) == {NASTY}  # not evaluated by Jinja, not cut short
    assert "<img src=x onerror=alert(1)>" in data["strings"]
    assert "<img src=x" not in html and "alert(1)</script>" not in html
    assert "<title>&lt;b&gt;T&lt;/b&gt; &amp; {{ 7*7 }}" in html
    assert '<h1 id="pm-title" class="pm-title">&lt;b&gt;T&lt;/b&gt;' in html


def test_offline_page_links_nothing(dataset):
    events, context = dataset
    html = page_html(make_map(events, context, title="T"))
    assert not re.search(r"<script[^>]+src=|<link[^>]+href=(?!\"data:)", html)
    for cdn in ("jsdelivr", "jquery", "bootstrap", "fontawesome", "cloudflare"):
        assert cdn not in html
    assert "url(images/" not in html and "sourceMappingURL" not in html
    assert html.startswith('<!DOCTYPE html>\n<html lang="en">')
    assert "L.markerClusterGroup" in html and "Natural Earth" in html
    outlines = page_data(html, "pm-basemap")
    assert len(outlines["features"]) > 150


def test_cdn_page_links_leaflet_and_markercluster(dataset):
    events, context = dataset
    html = page_html(make_map(events, context, title="T", cdn=True))
    scripts = re.findall(r'<script src="([^"]+)"', html)
    styles = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
    assert scripts == ["https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js",
                       "https://cdn.jsdelivr.net/npm/leaflet.markercluster@1.4.1/dist/"
                       "leaflet.markercluster.js"]
    assert len(styles) == 3 and all(u.startswith("https://cdn.jsdelivr.net/") for u in styles)
    assert "L.markerClusterGroup=" not in html  # not inlined as well
    assert "ProtestMap.start" in html


def test_map_for_analysts_without_context_or_data_dir(dataset):
    events, _ = dataset
    fmap = make_map(events, None, title="Analysis", cdn=False, data_dir=None)
    assert isinstance(fmap, folium.Map)
    shown = fmap._repr_html_()
    assert shown.startswith("<div") and "srcdoc=" in shown
    assert page_data(page_html(fmap))["context"] == []


def test_folium_tree_does_not_grow_with_events(dataset):
    events, _ = dataset
    rng = np.random.default_rng(0)
    many = events.sample(3000, replace=True, random_state=1).reset_index(drop=True)
    many["lat"] = rng.uniform(40, 60, len(many))
    many["lon"] = rng.uniform(-5, 25, len(many))
    small, large = make_map(events, title="T"), make_map(many, title="T")

    def elements(element):
        return 1 + sum(elements(child) for child in element._children.values())

    assert elements(small.get_root()) == elements(large.get_root()) == 4  # figure, map, tiles, ours
    html = page_html(large)
    assert page_data(html)["n"] == 3000
    per_event = (len(html.encode()) - len(page_html(small).encode())) / (3000 - len(events))
    assert per_event < 300  # bytes per event: a report is about 450 characters here


def test_bad_input_is_refused(dataset):
    events, _ = dataset
    with pytest.raises(UsageError, match="lacks column"):
        make_map(events.drop(columns=["lat"]), title="T")
    bad = events.copy()
    bad.loc[3, "lat"] = 95.0
    with pytest.raises(DataError, match=re.escape(f"{bad['id'][3]!r}: 95.0 is not a lat")):
        make_map(bad, title="T")
    bad = events.copy()
    bad.loc[0, "date"] = pd.NaT
    with pytest.raises(DataError, match="the date is missing"):
        make_map(bad, title="T")


def test_embed_snippet():
    html = embed_html("https://example.org/maps/map.html?a=1&b=2", title='Map "of" <protests>')
    assert 'src="https://example.org/maps/map.html?a=1&amp;b=2"' in html
    assert 'title="Map &quot;of&quot; &lt;protests&gt;"' in html
    for part in ('loading="lazy"', "allowfullscreen", 'allow="clipboard-write"',
                 "aspect-ratio:4/3"):
        assert part in html
    assert 'src="map.html"' in embed_html("map.html", title="T")
    for bad in ("javascript:alert(1)", "data:text/html,x", "//evil.example/map.html"):
        with pytest.raises(UsageError, match="--embed-url"):
            embed_html(bad, title="T")


def test_description_and_title(dataset):
    events, context = dataset
    html = page_html(make_map(events, context, title="Protests, 16–17 December 2011"))
    assert "<title>Protests, 16–17 December 2011</title>" in html
    assert ("9 protests in 5 countries (Austria, Belgium, Germany, Sweden and United Kingdom), "
            "from 16 December 2011 to 17 December 2011. Marked with a star: Zhanaozen, not a "
            "protest.") in html
