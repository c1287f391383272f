"""protest-map: put protests on an interactive map.

The public API grows in issue 4; for now see :mod:`geo.tables`, :mod:`geo.join` and
:mod:`geo.build`.
"""
