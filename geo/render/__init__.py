"""The interactive map: events in, a folium Map that renders them from one compact payload.

The events are serialised once, as column arrays with a string table
(:mod:`geo.render.payload`), with the words, colours and shapes of :mod:`geo.schema`; the
page script (``js/*.js``, joined by :mod:`geo.render.assets`) creates the markers in chunks in a
Leaflet.markercluster layer and builds each popup only when it opens, with text nodes only.
Above :data:`geo.render.columns.BIG_ABOVE` events the page takes the large-map path instead:
typed columns (:mod:`geo.render.columns`) and places drawn on one canvas (``js/big-*.js``).
No per-event folium object is made, so 100,000 events build in seconds.

Public functions: :func:`make_map`, :func:`page_html`, :func:`embed_html`.
"""

from __future__ import annotations

from pathlib import Path

import folium
import geopandas as gpd
import pandas as pd

from geo.places.gazetteer import default_gazetteer
from geo.render.images import inline_images
from geo.render.page import ProtestLayer, describe, embed_html, new_map, page_html
from geo.render.payload import payload_arrays
from geo.render.photos import local_photo_sources, photo_table

__all__ = ["make_map", "page_html", "embed_html", "DATA_ATTRIBUTION"]

DATA_ATTRIBUTION = "Protest data: sources in the popups"
"""Default credit for the protest data (plain text)."""


def make_map(
    events: gpd.GeoDataFrame,
    context: gpd.GeoDataFrame | None = None,
    *,
    title: str = "Protests",
    cdn: bool = False,
    data_dir: str | Path | None = None,
    compress: bool | None = None,
    attribution: str = DATA_ATTRIBUTION,
    lang: str = "en",
) -> folium.Map:
    """Make a folium Map of the protests: clustered markers, popups, legend, filters, list.

    Parameters
    ----------
    events
        From :func:`geo.join.join_events` (columns :data:`geo.schema.EVENT_COLUMNS`).
    context
        Related places from :func:`geo.join.context_places`, drawn unlike protests; or None.
    title
        Page title and heading (plain text; escaped).
    cdn
        Link Leaflet and Leaflet.markercluster from jsDelivr instead of inlining them.
    data_dir
        Folder that local photo paths are relative to; without it they show as not supplied.
    compress
        Deflate the payload in the page (inflated by the browser's ``DecompressionStream``);
        None: only when it is larger than 256 KiB.
    attribution
        Credit for the protest data, shown in the map's attribution line (plain text).
    lang
        The interface's language when the reader's browser asks for none the page has
        (:data:`geo.render.languages.LANGUAGES`); the data's text stays as written.

    Returns
    -------
    folium.Map
        Display it in Jupyter, or pass it to :func:`page_html`.

    Raises
    ------
    geo.errors.UsageError
        When ``events`` lacks a required column.
    geo.errors.DataError
        When a date is missing or a coordinate is out of range.

    Examples
    --------
    >>> from geo.tables import load_dataset
    >>> from geo.join import join_events
    >>> m = make_map(join_events(load_dataset("data")), title="Protests")
    >>> "ProtestMap.start" in page_html(m)
    True
    """
    names = _country_names(events, context)
    folder = None if data_dir is None else Path(data_dir)
    photos = photo_table(events)
    images = inline_images(local_photo_sources(photos), folder)
    payload = payload_arrays(events, context, photos=photos, images=images,
                             country_name=lambda code: names.get(code, code),
                             attribution=attribution)
    fmap = new_map(title, describe(events, context, names), cdn=cdn, lang=lang)
    ProtestLayer(payload, compress=compress, inline_libraries=not cdn).add_to(fmap)
    return fmap


def _country_names(events: gpd.GeoDataFrame, context: gpd.GeoDataFrame | None) -> dict[str, str]:
    codes = set(pd.unique(events["country"].dropna().astype(str)))
    if context is not None and "country" in context.columns:
        codes |= set(context["country"].dropna().astype(str))
    gaz = default_gazetteer()
    return {c: gaz.country_name(c) for c in sorted(codes)}
