"""The built-in basemap: country outlines drawn beneath the tiles, so the map reads without them.

The outlines are Natural Earth 1:110m (public domain), simplified once by
``scripts/make_countries.py`` into ``geo/assets/countries.geojson``; see that file's ``source``.
"""

from __future__ import annotations

from typing import Any

from geo.places.gazetteer import country_shapes

ATTRIBUTION = "Outlines: Natural Earth"
"""Credit shown in the map's attribution control (plain text)."""

ATTRIBUTION_URL = "https://www.naturalearthdata.com/"


def outlines() -> dict[str, Any]:
    """Country outlines as a GeoJSON FeatureCollection of bare geometries (no properties).

    Examples
    --------
    >>> fc = outlines()
    >>> fc["type"], len(fc["features"]) > 150, fc["features"][0]["properties"]
    ('FeatureCollection', True, {})
    """
    shapes = country_shapes()
    return {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "properties": {}, "geometry": f["geometry"]}
                     for f in shapes["features"]],
    }
