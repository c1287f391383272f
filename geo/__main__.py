"""``python -m geo`` is ``protest-map``."""

from geo.cli import script

script()
