"""The SQLite geocode cache: keys, persistence, survival of SIGKILL, bad files."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from geo.errors import UsageError
from geo.geocode.cache import SCHEMA_VERSION, GeocodeCache, cache_key, default_cache_path

ROOT = Path(__file__).resolve().parents[2]
PROVIDER = "nominatim:http://127.0.0.1:8080"


def test_default_location_follows_xdg_cache_home(monkeypatch: pytest.MonkeyPatch,
                                                  tmp_path: Path) -> None:
    assert default_cache_path({"XDG_CACHE_HOME": str(tmp_path)}) == (
        tmp_path / "protest-map" / "geocode.sqlite")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    expected = tmp_path / "home" / ".cache" / "protest-map" / "geocode.sqlite"
    assert default_cache_path({}) == expected
    assert default_cache_path({"XDG_CACHE_HOME": "relative/dir"}) == expected


def test_the_key_ignores_parameter_order_case_spacing_and_unicode_form() -> None:
    a = cache_key(PROVIDER, {"amenity": "Telia", "city": "Luleå", "countrycodes": "se"})
    b = cache_key(PROVIDER, {"countrycodes": "SE", "city": unicodedata.normalize("NFD", "luleå"),
                             "amenity": "  telia "})
    assert a == b


def test_the_key_tells_providers_parameters_and_values_apart() -> None:
    params = {"q": "Telia, Luleå", "countrycodes": "se"}
    keys = {
        cache_key(PROVIDER, params),
        cache_key("nominatim:https://nominatim.openstreetmap.org", params),
        cache_key(PROVIDER, {**params, "limit": "5"}),
        cache_key(PROVIDER, {"q": "Telia, Lulea", "countrycodes": "se"}),
        cache_key(PROVIDER, {"amenity": "Telia, Luleå", "countrycodes": "se"}),
    }
    assert len(keys) == 5


def test_answers_persist_and_nothing_found_is_an_answer(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "geocode.sqlite"
    found = [{"osm_type": "node", "osm_id": 1, "lat": "65.58", "lon": "22.15", "name": "Luleå"}]
    with GeocodeCache(path) as cache:
        assert cache.get("k1") is None
        cache.put("k1", found)
        cache.put("k2", [])
    with GeocodeCache(path) as cache:
        assert cache.get("k1") == found
        assert cache.get("k2") == []
        assert cache.get("k3") is None
        assert len(cache) == 2


def test_every_answer_survives_a_sigkill(tmp_path: Path) -> None:
    path = tmp_path / "geocode.sqlite"
    script = (
        "import os, signal\n"
        "from geo.geocode.cache import GeocodeCache\n"
        f"cache = GeocodeCache({str(path)!r})\n"
        "for i in range(25):\n"
        "    cache.put(f'k{i}', [{'i': i}])\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    proc = subprocess.run([sys.executable, "-c", script], cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True)
    assert proc.returncode == -9, proc.stderr
    with GeocodeCache(path) as cache:
        assert len(cache) == 25
        assert cache.get("k24") == [{"i": 24}]


def test_a_file_that_is_not_a_cache_is_a_usage_error(tmp_path: Path) -> None:
    path = tmp_path / "venues.csv"
    path.write_text("id,name\n" * 200, encoding="utf-8")
    with pytest.raises(UsageError, match="is not a geocode cache.*--cache"):
        GeocodeCache(path)
    assert path.read_text(encoding="utf-8") == "id,name\n" * 200


def test_a_cache_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "geocode.sqlite"
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.close()
    with pytest.raises(UsageError, match="newer protest-map"):
        GeocodeCache(path)
