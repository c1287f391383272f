"""Build the map of the default dataset: the same as ``protest-map build``.

Usage: ``python build_map.py [--data DIR] [--out DIR] [--title TEXT] [--embed-url URL] [--cdn]
[--skip-invalid]``
"""

import sys

from geo.cli import script

if __name__ == "__main__":
    script(["build", *sys.argv[1:]])
