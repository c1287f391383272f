"""Broken or hostile Nominatim servers, on a real local HTTP server: the run stays bounded.

Absurd ``Retry-After`` values, bytes trickled past ``--timeout``, redirects to other servers, huge
bodies, forged ``osm_id`` values and answers of the wrong shape (from the server or from an older
run's cache) must neither crash a run, nor hang it, nor place a venue.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest
from fake_nominatim import FakeNominatim, Fault, huge, raw, redirect, status, trickle
from geocode_support import (
    GRAZ,
    LULEA,
    RecordingLimiter,
    no_proxies,  # noqa: F401  (fixture)
    read_rows,
    run,
    table,
    teach,
)

from geo.geocode.cache import GeocodeCache, cache_key

pytestmark = pytest.mark.usefixtures("no_proxies")

LULEA_QUERY = {"amenity": "Telia", "city": "Luleå", "countrycodes": "se", "limit": "5",
               "extratags": "1", "namedetails": "1"}
CAP = 120.0
"""The documented longest wait (geo.geocode.ratelimit.MAX_WAIT)."""


def sources(tmp_path: Path, name: str = "data") -> dict[str, str]:
    return {k: r["source"] for k, r in read_rows(tmp_path / name / "venues.csv").items()}


# 1, 2: Retry-After


@pytest.mark.parametrize("retries", [0, 4])
@pytest.mark.parametrize("value", ["1000000000", "1" + "0" * 30, "1" + "0" * 400, "9" * 5000,
                                   "Fri, 31 Dec 9999 23:59:59 GMT"])
def test_a_retry_after_beyond_the_cap_stops_asking_that_server_without_waiting(
        tmp_path: Path, server: FakeNominatim, caplog: pytest.LogCaptureFixture, value: str,
        retries: int) -> None:
    teach(server, [LULEA])
    server.fail_next(status(429, value))
    limiter = RecordingLimiter(min_delay=0.02, max_retries=retries)
    summary = run(table(tmp_path, [GRAZ, LULEA]), server, tmp_path, limiter=limiter)
    assert [h.outcome for h in server.requests] == ["429"]  # nothing more asked of it this run
    assert max(limiter.sleeps, default=0.0) <= CAP
    assert sources(tmp_path)["telia-lulea"].startswith("geonames:")  # the chain's fallback
    assert summary.fallbacks("provider failed") == 2
    assert "not asked again this run" in caplog.text and "Retry-After" in caplog.text
    with GeocodeCache(tmp_path / "cache.sqlite") as cache:
        assert len(cache) == 0


@pytest.mark.parametrize("value", ["-5", "soon", "nan", "1e400", "Sat, 01 Jan 2000 00:00:00 GMT",
                                   "Mon, 99 Foo 2020 99:99:99 GMT", "120"])
def test_a_retry_after_in_the_past_unreadable_or_within_the_cap_is_a_bounded_wait(
        tmp_path: Path, server: FakeNominatim, value: str) -> None:
    teach(server, [LULEA])
    server.fail_next(status(429, value))
    limiter = RecordingLimiter(min_delay=0.02, max_retries=1)
    summary = run(table(tmp_path, [LULEA]), server, tmp_path, limiter=limiter)
    assert [h.outcome for h in server.requests] == ["429", "ok"]
    assert max(limiter.sleeps) <= CAP
    assert summary.found("venue") == 1


# 3: a total deadline per request


@pytest.mark.parametrize("fault", [trickle(0.1, size=100), None], ids=["body", "headers"])
def test_a_server_trickling_bytes_is_cut_off_at_the_timeout(
        tmp_path: Path, server: FakeNominatim, fault: Fault | None) -> None:
    teach(server, [LULEA])
    if fault is None:
        server.hold(1)  # an endless header line, a byte every 50 ms
        threading.Timer(10, server.release).start()  # ends the test even when not cut off
    else:
        server.fail_next(fault)  # a valid body of 100 bytes, one each 0.1 s: 10 s
    start = time.monotonic()
    summary = run(table(tmp_path, [LULEA]), server, tmp_path, timeout=1.0, max_retries=1)
    elapsed = time.monotonic() - start
    assert elapsed < 4, f"the request was not abandoned at the timeout ({elapsed:.1f} s)"
    assert [h.outcome for h in server.requests][1:] == ["ok"]  # retried as a timeout
    assert summary.found("venue") == 1


def test_a_trickling_server_after_the_last_retry_counts_as_failed(
        tmp_path: Path, server: FakeNominatim, caplog: pytest.LogCaptureFixture) -> None:
    server.fail_next(trickle(0.1, size=100))
    start = time.monotonic()
    summary = run(table(tmp_path, [LULEA]), server, tmp_path, timeout=1.0, max_retries=0)
    assert time.monotonic() - start < 4
    assert summary.fallbacks("provider failed") == 1
    assert "within 1 s (--timeout)" in caplog.text


# 4: redirects


@pytest.mark.parametrize("where", ["other port", "other host", "other scheme"])
def test_a_redirect_away_from_the_configured_server_is_not_followed(
        tmp_path: Path, server: FakeNominatim, caplog: pytest.LogCaptureFixture,
        where: str) -> None:
    query = "/search?" + urlencode({**LULEA_QUERY, "format": "json"})
    port = urlsplit(server.url).port
    with FakeNominatim() as elsewhere:
        teach(elsewhere, [LULEA])
        teach(server, [LULEA])
        target = {"other port": elsewhere.url + query,
                  "other host": f"http://localhost:{port}{query}",
                  "other scheme": f"https://127.0.0.1:{port}{query}"}[where]
        server.fail_next(redirect(target))
        summary = run(table(tmp_path, [LULEA, GRAZ]), server, tmp_path)
        assert elsewhere.requests == []
    assert [h.outcome for h in server.requests] == ["302"]  # and never asked again this run
    assert summary.fallbacks("provider failed") == 2
    assert "redirected (HTTP 302)" in caplog.text and "not asked again" in caplog.text


def test_a_redirect_within_the_configured_server_is_followed(tmp_path: Path,
                                                             server: FakeNominatim) -> None:
    teach(server, [LULEA])
    server.fail_next(redirect("/search.php?" + urlencode({**LULEA_QUERY, "format": "json"}),
                              code=301))
    summary = run(table(tmp_path, [LULEA]), server, tmp_path)
    assert [(h.path, h.outcome) for h in server.requests] == [("/search", "301"),
                                                              ("/search.php", "ok")]
    assert summary.requests == 1 and summary.found("venue") == 1


# 5: huge bodies


@pytest.mark.parametrize("with_length", [True, False], ids=["Content-Length", "no length"])
def test_a_huge_body_is_not_read_whole_and_not_cached(
        tmp_path: Path, server: FakeNominatim, caplog: pytest.LogCaptureFixture,
        with_length: bool) -> None:
    teach(server, [LULEA])
    server.fail_next(huge(300 * 2**20, with_length))
    summary = run(table(tmp_path, [LULEA]), server, tmp_path)
    assert summary.requests == 1  # not retried: it would come back as long
    assert summary.fallbacks("provider failed") == 1
    assert "longer than 5242880 bytes" in caplog.text
    with GeocodeCache(tmp_path / "cache.sqlite") as cache:
        assert len(cache) == 0


# 6, 7: answers of the wrong shape

NODE = {"osm_type": "node", "osm_id": 4242, "lat": "65.5842", "lon": "22.1547", "class": "shop",
        "type": "mobile_phone", "name": "Telia", "addresstype": "shop", "place_rank": 30}
BOUNDARY = {**NODE, "osm_type": "relation", "class": "boundary", "type": "administrative",
            "addresstype": "boundary"}


@pytest.mark.parametrize("result", [
    {**NODE, "osm_id": "4242\nsource=forged"},
    {**NODE, "osm_id": "4242 "},
    {**NODE, "osm_type": "node\n"},
    {**NODE, "osm_id": None, "place_id": 7},
    {**BOUNDARY, "place_rank": "high"},
    {**BOUNDARY, "place_rank": [16]},
    {**NODE, "lat": [65.5842]},
    {**NODE, "lat": True},
    {**NODE, "name": ["Telia"]},
    {**NODE, "extratags": ["brand", "Telia"]},
    {**NODE, "namedetails": {"name": 5}},
], ids=["multi-line osm_id", "spaced osm_id", "multi-line osm_type", "no osm_id",
        "worded place_rank", "listed place_rank", "listed lat", "boolean lat", "listed name",
        "listed extratags", "numbered name"])
def test_a_result_of_the_wrong_shape_is_dropped_alone(
        tmp_path: Path, server: FakeNominatim, caplog: pytest.LogCaptureFixture,
        result: dict[str, Any]) -> None:
    server.fail_next(raw([result]))
    summary = run(table(tmp_path, [LULEA]), server, tmp_path)
    assert sources(tmp_path)["telia-lulea"].startswith("geonames:")
    assert summary.fallbacks("not found") == 1
    assert "result 1 dropped" in caplog.text
    assert "forged" not in (tmp_path / "data" / "venues.csv").read_text(encoding="utf-8")
    with GeocodeCache(tmp_path / "cache.sqlite") as cache:  # stored without the bad result
        assert cache.get(cache_key(f"nominatim:{server.url}", LULEA_QUERY)) == []


@pytest.mark.parametrize("body", [["Telia", "Luleå"], "Telia", 42, [NODE, "Telia"], [[NODE]]],
                         ids=["list of strings", "string", "number", "mixed", "nested"])
def test_an_answer_of_the_wrong_shape_is_retried_and_never_cached(
        tmp_path: Path, server: FakeNominatim, body: Any) -> None:
    teach(server, [LULEA])
    server.fail_next(raw(body))
    summary = run(table(tmp_path, [LULEA]), server, tmp_path)
    assert [h.outcome for h in server.requests] == ["raw", "ok"]
    assert sources(tmp_path)["telia-lulea"] == "nominatim:node/4242"
    assert summary.found("venue") == 1


@pytest.mark.parametrize("stored", [["Telia"], "Telia", {"lat": 1}, [{**BOUNDARY,
                                                                      "place_rank": "high"}]],
                         ids=["list of strings", "string", "object", "worded place_rank"])
def test_a_bad_answer_cached_by_an_older_run_does_not_crash_a_later_one(
        tmp_path: Path, server: FakeNominatim, stored: Any) -> None:
    key = cache_key(f"nominatim:{server.url}", LULEA_QUERY)
    with GeocodeCache(tmp_path / "cache.sqlite") as cache:
        cache.put(key, stored)
    teach(server, [LULEA])
    run(table(tmp_path, [LULEA]), server, tmp_path)
    found = sources(tmp_path)["telia-lulea"]
    if isinstance(stored, list) and isinstance(stored[0], dict):  # a list of results: used,
        assert found.startswith("geonames:")  # without the bad one
    else:  # not a list of results: a miss, asked again, and the good answer stored
        assert found == "nominatim:node/4242"
        assert server.requests[0].params["amenity"] == "Telia"
        with GeocodeCache(tmp_path / "cache.sqlite") as cache:
            assert 4242 in [r["osm_id"] for r in cache.get(key) or []]
