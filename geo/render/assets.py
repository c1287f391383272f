"""The page's scripts and styles, inlined or linked.

Leaflet and Leaflet.markercluster come from the xstatic packages (to inline) or their CDN
addresses (to link); the page's own script and ``map.css`` are package data. The script is
written in parts by job, ``js/*.js`` (:data:`SCRIPT_PARTS`), joined here in a fixed order into
one function scope: the same files give the same bytes.

Inlined CSS has its ``url(images/...)`` references replaced by ``data:`` URIs, and source-map
comments are dropped, so an inlined page asks for nothing.
"""

from __future__ import annotations

import base64
import re
from functools import cache
from importlib import resources
from pathlib import Path

import xstatic.pkg.leaflet as xleaflet
import xstatic.pkg.leaflet_markercluster as xcluster

LEAFLET_VERSION: str = xleaflet.VERSION
MARKERCLUSTER_VERSION: str = xcluster.VERSION

_LEAFLET_CDN = f"https://cdn.jsdelivr.net/npm/leaflet@{LEAFLET_VERSION}/dist"
_CLUSTER_CDN = f"https://cdn.jsdelivr.net/npm/leaflet.markercluster@{MARKERCLUSTER_VERSION}/dist"

CDN_JS: tuple[tuple[str, str], ...] = (
    ("leaflet", f"{_LEAFLET_CDN}/leaflet.js"),
    ("leaflet_markercluster", f"{_CLUSTER_CDN}/leaflet.markercluster.js"),
)
"""Script links of ``--cdn`` pages, (name, URL) in load order."""

CDN_CSS: tuple[tuple[str, str], ...] = (
    ("leaflet_css", f"{_LEAFLET_CDN}/leaflet.css"),
    ("markercluster_css", f"{_CLUSTER_CDN}/MarkerCluster.css"),
    ("markercluster_default_css", f"{_CLUSTER_CDN}/MarkerCluster.Default.css"),
)
"""Stylesheet links of ``--cdn`` pages, (name, URL)."""

_FILES_JS = (
    ("leaflet", Path(xleaflet.BASE_DIR) / "leaflet.js"),
    ("leaflet_markercluster", Path(xcluster.BASE_DIR) / "leaflet.markercluster.js"),
)
_FILES_CSS = (
    ("leaflet_css", Path(xleaflet.BASE_DIR) / "leaflet.css"),
    ("markercluster_css", Path(xcluster.BASE_DIR) / "MarkerCluster.css"),
    ("markercluster_default_css", Path(xcluster.BASE_DIR) / "MarkerCluster.Default.css"),
)
SCRIPT_PARTS: tuple[str, ...] = (
    "util.js",           # helpers: DOM nodes, symbols, dates, words
    "i18n.js",           # the interface's words in the reader's language, Intl dates, numbers
    "data.js",           # the payload: reading it, places and their events
    "layers.js",         # outlines beneath the tiles, uncertainty circles, related places
    "markers.js",        # one marker per place, in the cluster layer
    "big-data.js",       # large maps: the columns payload (geo/render/columns.py)
    "big-grid.js",       # large maps: clusters on a grid of the view
    "big-layer.js",      # large maps: clusters and places on one canvas
    "popup-content.js",  # what a popup says
    "popups.js",         # opening and closing the popup, focus
    "filters.js",        # the filters, and what a change of them does
    "legend.js",         # the legend
    "list.js",           # the side panel and its lists
    "controls.js",       # full screen, the first view, the wheel in an iframe
    "embed.js",          # in an article's frame: touch, links a sandbox refuses
    "keyboard.js",       # Enter and Space on markers and clusters, Escape in the popup
    "permalink.js",      # map.html#<protest id>, history, the "copy link" button
    "search.js",         # the search box: protests by city, venue, organizer, report words
    "timeline.js",       # protests per day/week/month above the dates, brushing, play
    "download.js",       # "Get the data": the protests shown as GeoJSON and CSV, in the page
    "print.js",          # the printed page: the map, then every protest shown, with sources
    "start.js",          # start-up: the page's state and ProtestMap.start
)
"""The page script's parts in ``geo/render/js/``, in the order they are joined."""

_SOURCE_MAP = re.compile(r"^\s*//# sourceMappingURL=.*$|/\*# sourceMappingURL=.*?\*/", re.M)
_CSS_URL = re.compile(r"url\((['\"]?)(images/[A-Za-z0-9_.-]+\.png)\1\)")
_BREAKOUT = re.compile(r"</(script|style)|<!--", re.IGNORECASE)


def inline_text(text: str, where: str) -> str:
    """Return ``text`` unchanged, after checking it cannot end its ``<script>``/``<style>``.

    Raises
    ------
    ValueError
        When it contains ``</script``, ``</style`` or ``<!--``.
    """
    found = _BREAKOUT.search(text)
    if found:
        raise ValueError(f"{where} contains {found.group(0)!r} and cannot be inlined")
    return text


@cache
def library_scripts() -> tuple[tuple[str, str], ...]:
    """Return Leaflet and Leaflet.markercluster to inline: (name, JavaScript) in load order."""
    out = []
    for name, path in _FILES_JS:
        text = _SOURCE_MAP.sub("", path.read_text("utf-8")).rstrip() + "\n"
        out.append((name, inline_text(text, str(path))))
    return tuple(out)


@cache
def library_styles() -> tuple[tuple[str, str], ...]:
    """Return the libraries' stylesheets to inline, images as ``data:`` URIs: (name, CSS)."""
    out = []
    for name, path in _FILES_CSS:
        def image(match: re.Match[str], base: Path = path.parent) -> str:
            data = base64.b64encode((base / match.group(2)).read_bytes()).decode("ascii")
            return f'url("data:image/png;base64,{data}")'

        text = _SOURCE_MAP.sub("", _CSS_URL.sub(image, path.read_text("utf-8")))
        out.append((name, inline_text(text, str(path))))
    return tuple(out)


@cache
def page_script() -> str:
    """Return the page script: :data:`SCRIPT_PARTS` joined in order, in one strict-mode scope.

    It reads the payload and builds markers, popups, legend, filters and list.
    """
    parts = [f"/* ---- js/{name} ---- */\n{_package_text('js/' + name).rstrip()}\n"
             for name in SCRIPT_PARTS]
    text = ("/* protest-map page script: geo/render/js/*.js, joined by geo.render.assets. */\n"
            '(function () {\n"use strict";\n\n' + "\n".join(parts) + "})();\n")
    return inline_text(text, "geo/render/js")


@cache
def page_style() -> str:
    """Return ``map.css``: the page layout and the look of markers, popups, legend and list."""
    return inline_text(_package_text("map.css"), "map.css")


def _package_text(name: str) -> str:
    return resources.files("geo.render").joinpath(*name.split("/")).read_text("utf-8")
