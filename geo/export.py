"""Write the events GeoDataFrame to files other tools read.

Every writer is atomic (:mod:`geo.atomic`). ``events_geojson`` is a pure function that returns
the text, so builds can write it together with the map.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from geo.atomic import atomic_open
from geo.schema import GEOJSON_PROPERTIES


def _plain(value: Any) -> Any:
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, float) and math.isnan(value):
        return None
    if value is None or (not isinstance(value, (list, dict, str)) and pd.isna(value)):
        return None
    return value


def events_geojson(events: gpd.GeoDataFrame) -> str:
    """The events as an RFC 7946 FeatureCollection (text), one Point per protest.

    Coordinates are ``[lon, lat]`` rounded to 6 decimals (about 10 cm); properties are
    :data:`geo.schema.GEOJSON_PROPERTIES`; features keep the frame's order (date, then id).

    Parameters
    ----------
    events
        From :func:`geo.join.join_events`.

    Returns
    -------
    str
        Deterministic JSON text, one feature per line (UTF-8, newline at end).
    """
    features = []
    for row in events.itertuples(index=False):
        props = {name: _plain(getattr(row, name)) for name in GEOJSON_PROPERTIES}
        features.append({
            "type": "Feature",
            "id": row.id,
            "geometry": {"type": "Point",
                         "coordinates": [round(float(row.lon), 6), round(float(row.lat), 6)]},
            "properties": props,
        })
    lines = ",\n".join(json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in features)
    return '{"type":"FeatureCollection","features":[\n' + lines + "\n]}\n"


def write_geojson(events: gpd.GeoDataFrame, path: str | Path) -> None:
    """Write :func:`events_geojson` to ``path`` atomically."""
    with atomic_open(path, "w", newline="\n") as fh:
        fh.write(events_geojson(events))
