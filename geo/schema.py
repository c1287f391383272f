"""The data and output contracts as constants: column names, venue kinds and precision words.

Every module takes these names from here, so the tables, the GeoJSON, the legend and the code
use the same words.
"""

from __future__ import annotations

from typing import Final

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
}
"""``protests.csv`` columns, mapped to whether a value is required."""

VENUE_COLUMNS: Final = {
    "id": True,
    "name": True,
    "kind": True,
    "represents": False,
    "address": False,
    "city": True,
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
    "city",
    "country",
    "venue_id",
    "venue_name",
    "venue_kind",
    "represents",
    "address",
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
"""Columns of the events GeoDataFrame (plus ``geometry``), in output order."""

GEOJSON_PROPERTIES: Final = tuple(c for c in EVENT_COLUMNS if c not in ("lat", "lon"))
"""Properties of each feature of ``events.geojson``."""

PARTS: Final = "protests.parquet"
"""A data folder's partitioned protests table (a folder of Parquet files), instead of the CSV."""

CRS: Final = "EPSG:4326"
"""CRS of every GeoDataFrame protest-map hands out."""
