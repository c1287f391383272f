"""Shared fixtures. Browser fixtures live in tests/browser.py, the real Nominatim server in
tests/real_nominatim.py; both are imported here."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser import chromium_browser, map_page, map_pages  # noqa: F401  (browser fixtures)
from fake_nominatim import FakeNominatim
from real_nominatim import real_nominatim  # noqa: F401  (the real Nominatim, session-wide)

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
SEED = ROOT.parent / "shared" / "seeds" / "000_3e307d13d86e5d9e.txt"

# The gazetteer keeps its city index in the user's cache folder (geo.places._cityindex): the
# tests, and
# the programs they start, get a folder of their own instead.
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="protest-map-test-cache-")


@pytest.fixture(scope="session", params=["markers", "canvas"])
def default_map(request, tmp_path_factory) -> Path:
    """``map.html`` of the default data, on the markercluster path and forced onto the large-map
    (canvas) one: the reader's tools must work on both."""
    from geo.build import build
    from geo.render.columns import BIG_ABOVE_ENV

    out = tmp_path_factory.mktemp(f"default-{request.param}")
    with pytest.MonkeyPatch.context() as env:
        if request.param == "canvas":
            env.setenv(BIG_ABOVE_ENV, "0")
        build(ROOT / "data", out)
    return out / "map.html"


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of the default dataset in a temporary folder."""
    dest = tmp_path / "data"
    shutil.copytree(DATA, dest)
    return dest


@pytest.fixture
def server() -> Iterator[FakeNominatim]:
    """A fresh fake Nominatim (a real HTTP server on 127.0.0.1) for the geocoding tests."""
    with FakeNominatim() as s:
        yield s
