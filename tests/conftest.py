"""Shared fixtures. Browser fixtures live in tests/browser.py and are imported here."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from browser import chromium_browser, map_page, map_pages  # noqa: F401  (browser fixtures)

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
SEED = ROOT.parent / "shared" / "seeds" / "000_3e307d13d86e5d9e.txt"


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of the default dataset in a temporary folder."""
    dest = tmp_path / "data"
    shutil.copytree(DATA, dest)
    return dest
