"""Write the events for other tools: GeoJSON, GeoPackage, GeoParquet, CSV; always atomically.

:func:`write_events` writes a GeoDataFrame in one of :data:`FORMATS`; :mod:`geo.export.geojson`
makes ``events.geojson``; :func:`write_parquet` writes the events of partitioned protests.
(:func:`geo.export_events`, which reads a data folder first, is part of :mod:`geo.api`.)
"""

from geo.export.files import FORMATS, check_format, events_csv, write_events
from geo.export.geojson import events_geojson, iter_events_geojson, write_geojson
from geo.export.partitioned import write_parquet

__all__ = ["FORMATS", "check_format", "events_csv", "events_geojson", "iter_events_geojson",
           "write_events", "write_geojson", "write_parquet"]
