"""The data and output contracts as constants: column names, venue kinds and precision words.

Every module takes these names from here, so the tables, the GeoJSON, the legend and the code
use the same words.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final, NamedTuple

VENUE_KINDS: Final = (
    "embassy",
    "consulate",
    "honorary_consulate",
    "company_shop",
    "public_space",
    "other",
)
"""Allowed values of ``venues.csv`` ``kind``."""

MISSION_KINDS: Final = ("embassy", "consulate", "honorary_consulate")
"""The kinds of venue that are diplomatic missions (``represents`` is then a country code)."""

PRECISIONS: Final = ("venue", "street", "city", "region", "country")
"""Allowed values of ``precision``, most exact first."""


class Symbol(NamedTuple):
    """How the map shows one kind of mark: words, a colour and a shape.

    The map's page script takes these from the payload (:mod:`geo.render.payload`); it holds no
    copy of them.
    """

    label: str
    """Words for readers (legend, filters, list, popups)."""
    color: str
    """Fill colour, ``#rrggbb``."""
    shape: str
    """SVG path data in a 24 × 24 box."""


_CIRCLE: Final = "M21 12a9 9 0 1 1-18 0a9 9 0 1 1 18 0Z"

KIND_STYLE: Final[Mapping[str, Symbol]] = MappingProxyType({
    "embassy": Symbol("Embassy", "#0b4f8a",  # a square
                      "M6 4h12a2 2 0 0 1 2 2v12a2 2 0 0 1-2 2H6a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2Z"),
    "consulate": Symbol("Consulate", "#00745a", "M12 1.5 22.5 12 12 22.5 1.5 12Z"),  # a diamond
    "honorary_consulate": Symbol("Honorary consulate", "#a35200",  # a triangle
                                 "M12 2.5 22 20.5H2Z"),
    "company_shop": Symbol("Company shop", "#b8282e", _CIRCLE),
    "public_space": Symbol("Public space", "#6f3596",  # a pentagon
                           "M12 2.5l9.5 6.9-3.6 11.1H6.1L2.5 9.4Z"),
    "other": Symbol("Other place", "#4d4d4d", "M8.5 2.5h7v6h6v7h-6v6h-7v-6h-6v-7h6Z"),  # a cross
    "": Symbol("No venue listed", "#4d4d4d", "M18.5 12a6.5 6.5 0 1 1-13 0a6.5 6.5 0 1 1 13 0Z"),
})
"""Each of :data:`VENUE_KINDS`, and ``""`` (no venue listed), as the map shows it."""

CONTEXT_STYLE: Final = Symbol(
    "Related place, not a protest", "#111111",  # a star
    "M12 1.5l3.1 6.9 7.4.7-5.6 5 1.7 7.4L12 17.6l-6.6 3.9 1.7-7.4-5.6-5 7.4-.7Z")
"""How the map shows a place of ``context.csv``: unlike any protest."""


class PrecisionStyle(NamedTuple):
    """How the map tells a reader how exact a point is.

    The page script takes these from the payload (:mod:`geo.render.payload`).
    """

    legend: str
    """Words in the legend."""
    words: str
    """Words in a popup; ``{city}`` or ``{country}`` stand for the place's city or country."""
    unknown: str
    """What stands for ``{city}`` or ``{country}`` when the place has none."""
    approximate: bool
    """Drawn dashed and lighter: not an exact building."""
    radius: int
    """Metres of the faint circle around the point; 0: no circle."""
    zoom: int
    """The least zoom that shows the point when a reader opens it from the list."""


PRECISION_STYLE: Final[Mapping[str, PrecisionStyle]] = MappingProxyType({
    "venue": PrecisionStyle("exact building", "Exact building", "", False, 0, 17),
    "street": PrecisionStyle("street (within about 300 m)",
                             "On this street, within about 300 m; not the exact building", "",
                             True, 300, 15),
    "city": PrecisionStyle("city (several km)",
                           "Somewhere in {city}; the point marks the city centre", "this city",
                           True, 5000, 11),
    "region": PrecisionStyle("region (tens of km)", "Somewhere in the region around {city}",
                             "this point", True, 50_000, 8),
    "country": PrecisionStyle("country", "Somewhere in {country}", "this country", True,
                              300_000, 6),
    "": PrecisionStyle("not stated", "Not stated", "", True, 0, 12),
})
"""Each of :data:`PRECISIONS`, and ``""`` (not stated), as the map shows it."""

PRECISION_SWATCH: Final = Symbol("How exact the location is", "#4d4d4d", _CIRCLE)
"""The legend's symbol of a precision (dashed when approximate), and the label of its list."""

PROTEST_COLUMNS: Final = {
    "id": True,
    "date": True,
    "city": True,
    "country": True,
    "venue_id": False,
    "organizer": False,
    "summary": True,
    "participants": False,
    "source_url": False,
    "source_title": False,
    "date_note": False,
    "end_date": False,
    "lat": False,
    "lon": False,
    "precision": False,
    "location": False,
    "region": False,
}
"""``protests.csv`` columns, mapped to whether a value is required.

``end_date`` is the last day of a protest that spans days (blank: one day). ``lat``, ``lon`` and
``precision`` are the protest's own point, for sources that give one (used when there is no
``venue_id``); ``location`` is the source's own words for the place ("national").
"""

VENUE_COLUMNS: Final = {
    "id": True,
    "name": True,
    "kind": True,
    "represents": False,
    "address": False,
    "city": True,
    "region": False,
    "country": True,
    "lat": False,
    "lon": False,
    "precision": False,
    "source": False,
}
"""``venues.csv`` columns, mapped to whether a value is required."""

PHOTO_COLUMNS: Final = {
    "protest_id": True,
    "src": False,
    "caption": True,
    "credit": False,
    "alt": False,
}
"""``photos.csv`` columns, mapped to whether a value is required."""

CONTEXT_COLUMNS: Final = {
    "id": True,
    "name": True,
    "date": False,
    "city": True,
    "country": True,
    "lat": True,
    "lon": True,
    "precision": True,
    "summary": True,
    "source_url": False,
    "source": False,
}
"""``context.csv`` (optional): places the protests were about, shown on the map but not protests."""

EVENT_COLUMNS: Final = (
    "id",
    "date",
    "end_date",
    "city",
    "region",
    "country",
    "place_note",
    "venue_id",
    "venue_name",
    "venue_kind",
    "represents",
    "address",
    "location",
    "precision",
    "location_source",
    "organizer",
    "summary",
    "participants",
    "source_url",
    "source_title",
    "date_note",
    "photos",
    "lat",
    "lon",
)
"""Columns of the events GeoDataFrame (plus ``geometry``), in output order.

``location_source`` says where the point came from: :data:`OWN_POINT` (the protest's own
``lat``/``lon``), the venue's ``source``, or ``geonames:ID`` (the gazetteer's city).
"""

OWN_POINT: Final = "protest"
"""``location_source`` of an event placed at its own ``lat``/``lon`` from ``protests.csv``."""

GEOJSON_PROPERTIES: Final = tuple(c for c in EVENT_COLUMNS if c not in ("lat", "lon"))
"""Properties of each feature of ``events.geojson``."""

PARTS: Final = "protests.parquet"
"""A data folder's partitioned protests table (a folder of Parquet files), instead of the CSV."""

CRS: Final = "EPSG:4326"
"""CRS of every GeoDataFrame protest-map hands out."""
