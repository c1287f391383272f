"""protest-map: put protests on an interactive map.

The public API, for Python and Jupyter (everything the ``protest-map`` command does goes
through the same functions):

============================  ==========================================================
``load_events(data)``         the protests as a GeoDataFrame (EPSG:4326), one point each
``load_venues(data)``         the venues as points, placed as on the map
``load_protests(data)``       the protest records as a DataFrame
``load_context(data)``        the context places (e.g. Zhanaozen) as points
``build_map(events, …)``      the interactive folium map (shows inline in Jupyter)
``match_venues(points, …)``   the nearest venue of each point of another dataset
``export_events(data, …)``    GeoJSON, GeoPackage, GeoParquet or CSV, written atomically
``write_events(events, …)``   the same for a GeoDataFrame you filtered
``geocode_venues(data, …)``   fill in missing venue coordinates
``extract_records(text, …)``  draft protest records from a report's text
============================  ==========================================================

Summaries, distances and a chart for notebooks are in :mod:`geo.analysis`.

Importing ``geo`` is quick: each name loads its module (and geopandas) on first use.

Examples
--------
>>> import geo
>>> events = geo.load_events("data")
>>> events.crs.to_string(), len(events)
('EPSG:4326', 9)
>>> from geo import analysis
>>> analysis.per_country(events)["protests"].to_dict()
{'SE': 3, 'AT': 2, 'GB': 2, 'BE': 1, 'DE': 1}
>>> fmap = geo.build_map(events, geo.load_context("data"), title="Solidarity protests")
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from geo.analysis.match import match_venues
    from geo.api import (
        build_map,
        export_events,
        load_context,
        load_events,
        load_protests,
        load_venues,
    )
    from geo.export import write_events
    from geo.extract import extract_records
    from geo.geocode import geocode_venues

_EXPORTS: dict[str, str] = {
    "load_events": "geo.api",
    "load_venues": "geo.api",
    "load_protests": "geo.api",
    "load_context": "geo.api",
    "build_map": "geo.api",
    "match_venues": "geo.analysis.match",
    "export_events": "geo.api",
    "write_events": "geo.export",
    "geocode_venues": "geo.geocode",
    "extract_records": "geo.extract",
}

__all__ = [
    "build_map",
    "export_events",
    "extract_records",
    "geocode_venues",
    "load_context",
    "load_events",
    "load_protests",
    "load_venues",
    "match_venues",
    "write_events",
]


def __getattr__(name: str) -> Any:
    """Load a public name's module on first use (PEP 562), keeping ``import geo`` light."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'geo' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
