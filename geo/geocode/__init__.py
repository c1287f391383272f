"""Fill in missing venue coordinates: cache, then a provider (Nominatim), then the gazetteer.

:func:`geocode_venues` (:mod:`geo.geocode.chain`) reads ``venues.csv``, places what is missing
and rewrites only those cells. :mod:`~geo.geocode.queries` turns a venue into queries and
answers into a precision, :mod:`~geo.geocode.nominatim` asks through geopy,
:mod:`~geo.geocode.ratelimit` paces and retries, :mod:`~geo.geocode.cache` remembers answers.
"""

from geo.geocode.chain import GeocodeSummary, geocode_venues

__all__ = ["GeocodeSummary", "geocode_venues"]
