"""One vocabulary: kinds and precisions are shown with the words, colours and shapes of
geo.schema, which reach the page in the payload; the page's own files hold no copy of them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from geo.join import context_places, join_events
from geo.render import page_html
from geo.render.page import ProtestLayer, new_map
from geo.render.payload import build_payload, vocabulary
from geo.schema import (
    CONTEXT_STYLE,
    KIND_STYLE,
    PRECISION_STYLE,
    PRECISION_SWATCH,
    PRECISIONS,
    VENUE_KINDS,
)
from geo.tables import load_dataset

ROOT = Path(__file__).resolve().parents[2]
RENDER = ROOT / "geo" / "render"
SYMBOLS = [*KIND_STYLE.values(), CONTEXT_STYLE, PRECISION_SWATCH]


def _page_files() -> dict[str, str]:
    files = {p.name: p.read_text("utf-8") for p in sorted((RENDER / "js").glob("*.js"))}
    files["map.css"] = (RENDER / "map.css").read_text("utf-8")
    return files


def test_every_kind_and_precision_has_a_style():
    assert set(KIND_STYLE) == {*VENUE_KINDS, ""}
    assert set(PRECISION_STYLE) == {*PRECISIONS, ""}
    v = vocabulary()
    assert [KIND_STYLE[k].label for k in v["kinds"]] == [s["label"] for s in v["kind_style"]]
    assert [PRECISION_STYLE[p].legend for p in v["precisions"]] == \
        [s["legend"] for s in v["precision_style"]]
    for symbol in SYMBOLS:
        assert re.fullmatch(r"#[0-9a-f]{6}", symbol.color), symbol
        assert re.fullmatch(r"[MLHVAZmlhvaz0-9 .,-]+", symbol.shape), symbol
    for name, style in PRECISION_STYLE.items():
        places = set(re.findall(r"\{(\w+)\}", style.words))
        assert places <= {"city", "country"}, name
        assert bool(places) == bool(style.unknown), name
        assert style.approximate == (name != "venue"), name


def _literals() -> list[str]:
    """Text of the vocabulary that a copy in the page's files would contain."""
    words = [s.label for s in SYMBOLS] + [s.shape for s in SYMBOLS]
    for style in PRECISION_STYLE.values():
        words += [style.legend, style.unknown, *re.split(r"\{\w+\}", style.words)]
    return [w for w in words if " " in w.strip()]  # phrases: one word ("country") may be chance


@pytest.mark.parametrize("name", list(_page_files()))
def test_page_files_hold_no_copy_of_the_vocabulary(name):
    text = _page_files()[name]
    for word in _literals():
        assert word.strip().lower() not in text.lower(), f"{word!r} is copied in {name}"
    for kind in (*VENUE_KINDS, "venue"):  # the other precisions are everyday words ("region")
        assert not re.search(f"[\"']{kind}[\"']", text), f"{kind!r} is named in {name}"
    if name.endswith(".js"):  # map.css has accent colours of its own
        for symbol in SYMBOLS:
            c = symbol.color
            short = "#" + c[1::2] if c[1::2] == c[2::2] else c
            for colour in {c, short}:
                assert not re.search(f"{colour}\\b", text, re.I), f"{colour} is in {name}"


@pytest.fixture(scope="module")
def renamed_map(tmp_path_factory) -> Path:
    """The default data with the vocabulary changed in the payload, as a page."""
    ds = load_dataset(ROOT / "data")
    payload = build_payload(join_events(ds), context_places(ds), country_name=str)
    embassy = payload["kinds"].index("embassy")
    payload["kind_style"][embassy].update(label="Botschaft", color="#123456")
    street = payload["precisions"].index("street")
    payload["precision_style"][street].update(legend="Straße (300 m)",
                                              words="Irgendwo in dieser Straße")
    payload["context_style"].update(label="Verwandter Ort", color="#654321")
    payload["precision_swatch"]["label"] = "Wie genau"
    fmap = new_map("Renamed", "The vocabulary changed in the payload.", cdn=False)
    ProtestLayer(payload).add_to(fmap)
    path = tmp_path_factory.mktemp("renamed") / "map.html"
    path.write_text(page_html(fmap), encoding="utf-8")
    return path


@pytest.mark.browser
def test_the_page_shows_the_payloads_vocabulary(map_pages, renamed_map):
    mp = map_pages["desktop"]
    page = mp.goto(renamed_map)
    labels = page.locator(".pm-legend-label").all_text_contents()
    assert "Botschaft" in labels and "Embassy" not in labels
    assert "Straße (300 m)" in labels and "Verwandter Ort" in labels
    assert page.get_attribute(".pm-legend-list:nth-of-type(2)", "aria-label") == "Wie genau"
    assert page.get_by_label("Botschaft").is_checked()  # the filter
    places = page.locator("#pm-list .pm-item-place").all_text_contents()
    assert "Berlin, DE · Botschaft" in places
    fills = page.evaluate("[...document.querySelectorAll('.pm-legend svg g')]"
                          ".map(g => g.getAttribute('fill'))")
    assert "#123456" in fills and "#654321" in fills
    assert page.evaluate("getComputedStyle(document.querySelector('.pm-context-label'))"
                         ".backgroundColor") == "rgb(101, 67, 33)"
    page.click("#pm-list button:has-text('Embassy of Kazakhstan, Berlin')")
    popup = page.locator(".pm-popup")
    assert popup.locator(".pm-popup-kind").text_content() == "Botschaft"
    assert "Irgendwo in dieser Straße" in popup.text_content()
    assert mp.records.problems() == []
