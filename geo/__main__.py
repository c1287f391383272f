"""``python -m geo`` is ``protest-map``."""

import sys

from geo.cli import main

sys.exit(main())
