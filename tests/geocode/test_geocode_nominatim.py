"""Geocoding through geopy against a real HTTP server on 127.0.0.1 that fails on cue."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from fake_nominatim import (
    DROP,
    E500,
    E503,
    MALFORMED,
    FakeNominatim,
    Fault,
    gaps,
    osm,
    stall,
    status,
)
from geocode_support import (
    GRAZ,
    LULEA,
    TWENTY,
    UA,
    RecordingLimiter,
    Spec,
    no_proxies,  # noqa: F401  (fixture)
    read_rows,
    run,
    table,
    teach,
)

from geo.errors import UsageError
from geo.geocode.cache import GeocodeCache, cache_key

pytestmark = pytest.mark.usefixtures("no_proxies")

BERLIN = Spec("kz-embassy-berlin", "Embassy of Kazakhstan, Berlin", "embassy", "KZ",
              "Nordendstraße 14-17, 13156 Berlin", "Berlin", "DE", (52.58561, 13.39212), 77,
              "office", "diplomatic")


def test_amenity_reaches_the_server_and_the_venue_gets_its_exact_point(
        tmp_path: Path, server: FakeNominatim) -> None:
    teach(server, [LULEA])
    summary = run(table(tmp_path, [LULEA]), server, tmp_path)
    (hit,) = server.requests
    assert hit.params == {"amenity": "Telia", "city": "Luleå", "countrycodes": "se",
                          "format": "json", "limit": "5", "extratags": "True",
                          "namedetails": "1"}
    assert hit.user_agent == UA
    row = read_rows(tmp_path / "data" / "venues.csv")["telia-lulea"]
    assert (row["lat"], row["lon"], row["precision"], row["source"]) == (
        "65.5842", "22.1547", "venue", "nominatim:node/4242")
    assert summary.found("venue") == 1 and summary.requests == 1


def test_the_address_is_asked_when_the_point_of_interest_is_unknown(
        tmp_path: Path, server: FakeNominatim) -> None:
    server.add([osm("way", 5, 52.5849, 13.3925, "highway", "residential", "Nordendstraße",
                    addresstype="road", place_rank=26)], q="Nordendstraße 14-17, 13156 Berlin")
    run(table(tmp_path, [BERLIN]), server, tmp_path)
    assert [h.params.get("amenity", h.params.get("q")) for h in server.requests] == [
        "Embassy of Kazakhstan", "Nordendstraße 14-17, 13156 Berlin"]
    assert server.requests[0].params["street"] == "Nordendstraße 14-17"
    row = read_rows(tmp_path / "data" / "venues.csv")["kz-embassy-berlin"]
    assert (row["precision"], row["source"], row["lat"]) == ("street", "nominatim:way/5", "52.5849")


@pytest.mark.parametrize(("result", "precision", "source"), [
    (osm("node", 1, 47.07, 15.44, "office", "diplomatic", extratags={"country": "KZ"}), "venue",
     "nominatim:node/1"),
    (osm("node", 9, 47.07, 15.44, "office", "diplomatic", extratags={"country": "RU"}), "city",
     "geonames:2778067"),  # another country's mission is never used
    (osm("way", 2, 47.07, 15.44, "highway", "tertiary", addresstype="road"), "street",
     "nominatim:way/2"),
    (osm("relation", 3, 47.07, 15.44, "place", "city", addresstype="city", place_rank=16),
     "city", "nominatim:relation/3"),
    (osm("relation", 4, 47.25, 15.0, "boundary", "administrative", addresstype="state",
         place_rank=8), "city", "geonames:2778067"),
])
def test_precision_comes_from_the_result_class(tmp_path: Path, server: FakeNominatim,
                                               result: dict[str, Any], precision: str,
                                               source: str) -> None:
    server.add([result], q="Consulate of Kazakhstan, Graz")  # the name, free form
    summary = run(table(tmp_path, [GRAZ]), server, tmp_path)
    row = read_rows(tmp_path / "data" / "venues.csv")["kz-consulate-graz"]
    assert (row["precision"], row["source"]) == (precision, source)
    assert summary.fallbacks("not found") == (source.startswith("geonames"))


def test_a_server_answering_jsonv2_is_understood(tmp_path: Path, server: FakeNominatim) -> None:
    server.answer_format = "jsonv2"
    teach(server, [LULEA])
    run(table(tmp_path, [LULEA]), server, tmp_path)
    assert read_rows(tmp_path / "data" / "venues.csv")["telia-lulea"]["precision"] == "venue"


@pytest.mark.parametrize("fault", [E500, E503, status(502), status(429, "0"), MALFORMED, DROP,
                                   stall(1.0)], ids=lambda f: f.label)
def test_each_fault_is_retried_and_the_answer_then_used(tmp_path: Path, server: FakeNominatim,
                                                        fault: Fault) -> None:
    teach(server, [LULEA])
    server.fail_next(fault)
    summary = run(table(tmp_path, [LULEA]), server, tmp_path, timeout=0.3)
    hits = server.requests
    assert [h.outcome for h in hits] == [fault.label, "ok"]
    assert hits[0].query == hits[1].query
    assert summary.requests == 2 and summary.found("venue") == 1


def test_requests_are_spaced_by_min_delay_retries_included(tmp_path: Path,
                                                           server: FakeNominatim) -> None:
    specs = TWENTY[:4] + TWENTY[14:17]
    teach(server, specs)
    server.fail_first_attempts([E500, DROP, E503, MALFORMED])
    summary = run(table(tmp_path, specs), server, tmp_path, min_delay=0.05)
    hits = server.requests
    queries = 4 * 1 + 3 + 2 + 3  # found at once; not found: amenity (+ address) + name
    assert len(hits) == summary.requests == 2 * queries
    assert Counter(h.outcome for h in hits) == {"ok": 12, "500": 3, "drop": 3, "503": 3,
                                                 "malformed": 3}
    assert min(gaps(hits)) >= 0.05


def test_retry_after_is_honoured_without_the_suite_waiting(tmp_path: Path,
                                                           server: FakeNominatim) -> None:
    teach(server, [LULEA])
    server.fail_next(status(429, "30"))
    limiter = RecordingLimiter(min_delay=0.02)
    run(table(tmp_path, [LULEA]), server, tmp_path, limiter=limiter)
    first, second = server.requests
    assert first.outcome == "429" and second.outcome == "ok"
    assert max(limiter.sleeps) > 29
    assert second.t - first.t < 29  # the wait was virtual


def test_after_the_last_retry_the_venue_falls_back_and_the_run_goes_on(
        tmp_path: Path, server: FakeNominatim, caplog: pytest.LogCaptureFixture) -> None:
    teach(server, [LULEA])
    server.fail_next(E503, E503)
    summary = run(table(tmp_path, [GRAZ, LULEA]), server, tmp_path, max_retries=1)
    rows = read_rows(tmp_path / "data" / "venues.csv")
    assert (rows["kz-consulate-graz"]["precision"], rows["kz-consulate-graz"]["source"]) == (
        "city", "geonames:2778067")
    assert rows["telia-lulea"]["source"] == "nominatim:node/4242"
    assert summary.fallbacks("provider failed") == 1 and summary.found("venue") == 1
    assert "kz-consulate-graz" in caplog.text and "falling back" in caplog.text
    assert "after nominatim failed" in str(summary)
    with GeocodeCache(tmp_path / "cache.sqlite") as cache:  # a failure is not an answer
        assert len(cache) == 1
        graz = {"amenity": "Consulate of Kazakhstan", "city": "Graz", "countrycodes": "at",
                "limit": "5", "extratags": "1", "namedetails": "1"}
        assert cache.get(cache_key(f"nominatim:{server.url}", graz)) is None


def test_a_refusal_stops_the_run_keeps_the_answers_and_leaves_the_table(
        tmp_path: Path, server: FakeNominatim) -> None:
    teach(server, [LULEA])
    data = table(tmp_path, [LULEA, GRAZ])
    before = (data / "venues.csv").read_bytes()
    server.fail_at(2, status(403))
    with pytest.raises(UsageError, match="refused.*--user-agent"):
        run(data, server, tmp_path)
    assert (data / "venues.csv").read_bytes() == before
    with GeocodeCache(tmp_path / "cache.sqlite") as cache:
        assert len(cache) == 1


def test_a_rerun_sends_zero_requests_and_writes_the_same_bytes(tmp_path: Path,
                                                               server: FakeNominatim) -> None:
    specs = [LULEA, GRAZ, BERLIN]
    teach(server, specs)
    first = run(table(tmp_path, specs, "a"), server, tmp_path)
    asked = len(server.requests)
    second = run(table(tmp_path, specs, "b"), server, tmp_path)
    assert len(server.requests) == asked == first.requests
    assert second.requests == 0 and second.cached == asked
    assert (tmp_path / "b" / "venues.csv").read_bytes() == (
        tmp_path / "a" / "venues.csv").read_bytes()


def test_one_request_per_unique_query(tmp_path: Path, server: FakeNominatim) -> None:
    twins = [Spec(f"telia-lulea-{i}", f"Telia shop {i}, Luleå", "company_shop", "Telia", "",
                  "Luleå", "SE") for i in (1, 2)]
    summary = run(table(tmp_path, twins), server, tmp_path)
    assert Counter(h.query for h in server.requests) == Counter(
        {q: 1 for q in {h.query for h in server.requests}})
    assert len(server.requests) == 2 and summary.cached == 2


def test_a_self_hosted_server_gets_a_default_user_agent(tmp_path: Path,
                                                        server: FakeNominatim) -> None:
    run(table(tmp_path, [GRAZ]), server, tmp_path, user_agent=None)
    assert {h.user_agent for h in server.requests} == {"protest-map"}


@pytest.mark.parametrize(("settings", "message"), [
    ({"nominatim_url": None, "user_agent": None}, "requires a User-Agent"),
    ({"nominatim_url": None, "min_delay": 0.5}, "one request per second"),
    ({"nominatim_url": "https://nominatim.openstreetmap.org/", "user_agent": "my-application",
      "min_delay": 1.0}, "sample value"),
    ({"nominatim_url": "ftp://127.0.0.1/"}, "not an http"),
    ({"provider": "offline"}, "only used with --provider nominatim"),
    ({"provider": "google"}, "unknown provider"),
    ({"min_delay": -1.0}, "--min-delay"),
    ({"timeout": 0.0}, "--timeout"),
])
def test_settings_that_cannot_work_are_refused_before_any_request(
        tmp_path: Path, server: FakeNominatim, settings: dict[str, Any], message: str) -> None:
    data = table(tmp_path, [GRAZ])
    before = (data / "venues.csv").read_bytes()
    with pytest.raises(UsageError, match=message):
        run(data, server, tmp_path, **{"nominatim_url": "http://127.0.0.1:9", **settings})
    assert (data / "venues.csv").read_bytes() == before
    assert server.requests == []


KZ = {"country": "KZ"}
GRAZ_NAME = "Consulate of Kazakhstan, Graz"


def test_a_point_outside_the_venues_country_is_not_written(
        tmp_path: Path, server: FakeNominatim, caplog: pytest.LogCaptureFixture) -> None:
    munich = osm("node", 11, 48.1372, 11.5756, "office", "diplomatic", extratags=KZ)
    server.add([munich], amenity="Consulate of Kazakhstan", city="Graz")
    summary = run(table(tmp_path, [GRAZ]), server, tmp_path)
    row = read_rows(tmp_path / "data" / "venues.csv")["kz-consulate-graz"]
    assert (row["precision"], row["source"]) == ("city", "geonames:2778067")
    assert len(server.requests) == 2  # the structured query, then the name: both answered
    assert any("nominatim:node/11 at (48.1372, 11.5756) lies outside AT" in w
               for w in summary.warnings)
    assert "lies outside AT" in caplog.text


def test_the_next_candidate_inside_the_country_is_used(tmp_path: Path,
                                                       server: FakeNominatim) -> None:
    munich = osm("node", 11, 48.1372, 11.5756, "office", "diplomatic", extratags=KZ)
    graz = osm("node", 12, 47.0707, 15.4395, "office", "diplomatic", extratags=KZ)
    server.add([munich, graz], amenity="Consulate of Kazakhstan", city="Graz")
    summary = run(table(tmp_path, [GRAZ]), server, tmp_path)
    row = read_rows(tmp_path / "data" / "venues.csv")["kz-consulate-graz"]
    assert (row["precision"], row["source"], row["lat"]) == ("venue", "nominatim:node/12",
                                                              "47.0707")
    assert summary.requests == 1 and len(summary.warnings) == 1


@pytest.mark.parametrize(("lat", "lon"), [("nan", "15.44"), ("47.07", "inf"), ("95", "15.44"),
                                          ("47.07", "-181")])
def test_a_result_with_impossible_coordinates_is_rejected_not_crashed_on(
        tmp_path: Path, server: FakeNominatim, lat: str, lon: str) -> None:
    bad = osm("node", 13, lat, lon, "office", "diplomatic", extratags=KZ)
    server.add([bad], amenity="Consulate of Kazakhstan", city="Graz")
    server.add([bad], q=GRAZ_NAME)
    first = run(table(tmp_path, [GRAZ], "a"), server, tmp_path)
    assert [h.outcome for h in server.requests] == ["ok", "ok"]  # answers, not retried faults
    row = read_rows(tmp_path / "a" / "venues.csv")["kz-consulate-graz"]
    assert (row["precision"], row["source"]) == ("city", "geonames:2778067")
    assert first.fallbacks("not found") == 1
    # Read back from the cache, the answer is judged the same way: never a usable hit.
    second = run(table(tmp_path, [GRAZ], "b"), server, tmp_path)
    assert second.requests == 0 and second.cached == 2
    assert (tmp_path / "b" / "venues.csv").read_bytes() == (
        tmp_path / "a" / "venues.csv").read_bytes()


def test_answers_cached_without_extratags_are_not_read_as_answers_with_them(
        tmp_path: Path, server: FakeNominatim) -> None:
    """An older cache keyed the same query without ``extratags``/``namedetails``: a new key."""
    old = {"amenity": "Consulate of Kazakhstan", "city": "Graz", "countrycodes": "at",
           "limit": "5"}
    stale = [{"osm_type": "node", "osm_id": 99, "class": "office", "type": "diplomatic",
              "lat": "47.07", "lon": "15.44"}]
    with GeocodeCache(tmp_path / "cache.sqlite") as cache:
        cache.put(cache_key(f"nominatim:{server.url}", old), stale)
    server.add([osm("node", 12, 47.0707, 15.4395, "office", "diplomatic", extratags=KZ)],
               amenity="Consulate of Kazakhstan", city="Graz")
    summary = run(table(tmp_path, [GRAZ]), server, tmp_path)
    assert summary.requests == 1 and summary.cached == 0
    assert read_rows(tmp_path / "data" / "venues.csv")["kz-consulate-graz"]["source"] == (
        "nominatim:node/12")
