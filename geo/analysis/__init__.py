"""Analysis for notebooks: summaries, distances, a chart, and nearest venues.

:mod:`~geo.analysis.summaries` holds the tallies, distances and the chart;
:mod:`~geo.analysis.match` finds the nearest venue of each point of another dataset.

Examples
--------
>>> import geo
>>> from geo import analysis
>>> analysis.per_country(geo.load_events("data"))["protests"].to_dict()
{'SE': 3, 'AT': 2, 'GB': 2, 'BE': 1, 'DE': 1}
"""

from geo.analysis.match import match_venues
from geo.analysis.summaries import (
    NOT_STATED,
    chart_by_country,
    country_name,
    distance_to,
    nearest_other,
    per_country,
    per_day,
    tally,
    targets,
)

__all__ = ["NOT_STATED", "chart_by_country", "country_name", "distance_to", "match_venues",
           "nearest_other", "per_country", "per_day", "tally", "targets"]
