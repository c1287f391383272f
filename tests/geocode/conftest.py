"""Fixtures of the geocoding tests: a fresh fake Nominatim server (a real HTTP server)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fake_nominatim import FakeNominatim


@pytest.fixture
def server() -> Iterator[FakeNominatim]:
    with FakeNominatim() as s:
        yield s
