"""Find one venue with a geocoder: its queries in order, each answer ranked, each point checked.

The queries and the ranking are :mod:`geo.geocode.queries`' (pure); this module asks them
through a callable (the cache, then the provider) and checks each candidate point against the
venue's country (:func:`geo.places.outlines.outside_country`: Natural Earth outlines with 8 km
of tolerance, the rule ``protest-map validate`` applies). A point outside the country is
rejected with a warning, and the next candidate, the next query, or at last the gazetteer is
used, so geocoding never writes a point that ``validate`` rejects.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from geo.geocode.queries import Match, Venue, ranked_matches, venue_queries
from geo.places.outlines import outside_country

Ask = Callable[[dict[str, str]], list[dict[str, Any]]]
"""Answers one query (from the cache or the provider); raises GeocoderError on failure."""


def find_venue(venue: Venue, ask: Ask,
               warn: Callable[[str], None] | None = None) -> Match | None:
    """Ask the venue's queries in order; return the first usable result, or None.

    Parameters
    ----------
    venue
        The venue to find.
    ask
        Answers a query.
    warn
        Told, in one sentence each, of the results rejected for lying outside the venue's
        country.

    Raises
    ------
    GeocoderError
        When a query gets no answer after the retries (the remaining queries are not asked).
    """
    for params in venue_queries(venue):
        matches = ranked_matches(ask(params), venue, params)
        if not matches:
            continue
        outside = outside_country([m.lat for m in matches], [m.lon for m in matches],
                                  [venue.country] * len(matches))
        for match, out in zip(matches, outside, strict=True):
            if not out:
                return match
            if warn is not None:
                warn(f"venues.csv:{venue.line}: {venue.id}: {match.source} at "
                     f"({match.lat:g}, {match.lon:g}) lies outside {venue.country}; not used")
    return None
