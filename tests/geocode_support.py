"""Test data and helpers shared by the geocoding tests (not a test module)."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fake_nominatim import FakeNominatim, osm

from geo.geocode import GeocodeSummary, geocode_venues
from geo.geocode.ratelimit import RateLimiter

ROOT = Path(__file__).resolve().parent.parent
HEADER = ["id", "name", "kind", "represents", "address", "city", "country", "lat", "lon",
          "precision", "source", "notes"]
"""The contract's columns plus an unknown one, which geocoding must keep."""

PROXY_VARIABLES = ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY",
                   "ALL_PROXY")


@pytest.fixture
def no_proxies(monkeypatch: pytest.MonkeyPatch) -> None:
    """Requests to 127.0.0.1 must not go through a proxy configured in the environment."""
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)


@dataclass(frozen=True)
class Spec:
    """A venue to geocode, and what the fake server knows about it (None: nothing)."""

    id: str
    name: str
    kind: str
    represents: str
    address: str
    city: str
    country: str
    point: tuple[float, float] | None = None
    osm_id: int = 0
    cls: str = ""
    typ: str = ""
    via_address: bool = False

    def row(self, notes: str = "") -> list[str]:
        return [self.id, self.name, self.kind, self.represents, self.address, self.city,
                self.country, "", "", "", "", notes]


MISSION = ("office", "diplomatic")

TWENTY = [
    Spec("kz-embassy-paris", "Embassy of Kazakhstan, Paris", "embassy", "KZ",
         "59 Rue Pierre Charron", "Paris", "FR", (48.8713, 2.3043), 1001, *MISSION),
    Spec("kz-embassy-rome", "Embassy of Kazakhstan, Rome", "embassy", "KZ", "", "Rome", "IT",
         (41.9230, 12.4880), 1002, *MISSION),
    Spec("kz-embassy-madrid", "Embassy of Kazakhstan, Madrid", "embassy", "KZ", "", "Madrid", "ES",
         (40.4469, -3.6883), 1003, *MISSION),
    Spec("kz-embassy-warsaw", "Embassy of Kazakhstan, Warsaw", "embassy", "KZ", "", "Warsaw", "PL",
         (52.2060, 21.0230), 1004, *MISSION),
    Spec("kz-embassy-prague", "Embassy of Kazakhstan, Prague", "embassy", "KZ", "", "Prague", "CZ",
         (50.0960, 14.4030), 1005, *MISSION),
    Spec("kz-embassy-oslo", "Embassy of Kazakhstan, Oslo", "embassy", "KZ", "", "Oslo", "NO",
         (59.9200, 10.7150), 1006, *MISSION),
    Spec("kz-embassy-helsinki", "Embassy of Kazakhstan, Helsinki", "embassy", "KZ", "",
         "Helsinki", "FI", (60.1600, 24.9300), 1007, *MISSION),
    Spec("kz-embassy-copenhagen", "Embassy of Kazakhstan, Copenhagen", "embassy", "KZ", "",
         "Copenhagen", "DK", (55.6900, 12.5800), 1008, *MISSION),
    Spec("kz-consulate-frankfurt", "Consulate General of Kazakhstan, Frankfurt", "consulate",
         "KZ", "", "Frankfurt am Main", "DE", (50.1109, 8.6821), 1009, *MISSION),
    Spec("kz-honorary-consulate-munich", "Honorary Consulate of Kazakhstan, Munich",
         "honorary_consulate", "KZ", "", "München", "DE", (48.1400, 11.5800), 1010, *MISSION),
    Spec("telia-uppsala", "Telia shop, Uppsala", "company_shop", "Telia", "", "Uppsala", "SE",
         (59.8586, 17.6389), 1011, "shop", "mobile_phone"),
    Spec("telia-malmo", "Telia shop, Malmö", "company_shop", "Telia", "", "Malmö", "SE",
         (55.6050, 13.0038), 1012, "shop", "mobile_phone"),
    Spec("ms-leeds", "Marks & Spencer, Leeds", "company_shop", "Marks & Spencer", "Briggate",
         "Leeds", "GB", (53.7980, -1.5420), 1013, "building", "retail", via_address=True),
    Spec("kz-embassy-the-hague", "Embassy of Kazakhstan, The Hague", "embassy", "KZ", "",
         "Den Haag", "NL", (52.0900, 4.2900), 1014, *MISSION),
    Spec("kz-embassy-vilnius", "Embassy of Kazakhstan, Vilnius", "embassy", "KZ", "Ulonų g. 2",
         "Vilnius", "LT"),
    Spec("telia-vasteras", "Telia shop, Västerås", "company_shop", "Telia", "", "Västerås", "SE"),
    Spec("ms-nottingham", "Marks & Spencer, Nottingham", "company_shop", "Marks & Spencer",
         "Albert Street", "Nottingham", "GB"),
    Spec("kz-consulate-hamburg", "Consulate of Kazakhstan, Hamburg", "consulate", "KZ", "",
         "Hamburg", "DE"),
    Spec("sergels-torg", "Sergels torg, Stockholm", "public_space", "", "", "Stockholm", "SE"),
    Spec("tallinn-square", "Freedom Square, Tallinn", "other", "", "", "Tallinn", "EE"),
]
"""Twenty new venues: fourteen the fake server knows, six it does not."""


LULEA = Spec("telia-lulea", "Telia shop, Luleå", "company_shop", "Telia", "", "Luleå", "SE",
             (65.5842, 22.1547), 4242, "shop", "mobile_phone")
"""A Telia shop the fake server knows (as a shop=mobile_phone node)."""
GRAZ = Spec("kz-consulate-graz", "Consulate of Kazakhstan, Graz", "consulate", "KZ", "", "Graz",
            "AT")
"""A consulate the fake server knows nothing of."""


def teach(server: FakeNominatim, specs: Sequence[Spec]) -> None:
    """Tell the fake server about the venues that have a point."""
    for s in specs:
        if s.point is None:
            continue
        result = osm("node", s.osm_id, s.point[0], s.point[1], s.cls, s.typ, s.name)
        if s.via_address:
            server.add([result], q=f"{s.address}, {s.city}")
        else:
            # A building listed first: the kind-fitting object must still win.
            building = osm("way", s.osm_id + 50000, s.point[0] + 0.001, s.point[1], "building",
                           "yes", s.name)
            poi = s.represents if s.kind == "company_shop" else s.name.split(",")[0]
            server.add([building, result], amenity=poi, city=s.city)


def csv_text(rows: Sequence[Sequence[str]], header: Sequence[str] = HEADER) -> str:
    """A CSV text as the csv module writes it (CRLF line endings, minimal quoting)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def read_rows(path: Path) -> dict[str, dict[str, str]]:
    """venues.csv as id → row."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return {r["id"]: r for r in csv.DictReader(fh)}


def run_cli(args: Sequence[str], **kwargs: object) -> subprocess.Popen[str]:
    """Start ``python -m geo ARGS`` in a subprocess (no proxies; output piped unless overridden)."""
    env = {k: v for k, v in os.environ.items() if k not in PROXY_VARIABLES}
    env["PYTHONPATH"] = str(ROOT)
    options: dict[str, object] = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, **kwargs}
    return subprocess.Popen([sys.executable, "-m", "geo", *args], cwd=ROOT, env=env, text=True,
                            **options)  # type: ignore[call-overload]


def geocode_args(data: Path, server: FakeNominatim, cache: Path, min_delay: float,
                 timeout: float = 5.0) -> list[str]:
    """Command line of ``protest-map geocode`` against the fake server."""
    return ["geocode", "--data", str(data), "--provider", "nominatim", "--nominatim-url",
            server.url, "--user-agent", "protest-map-tests", "--cache", str(cache),
            "--min-delay", str(min_delay), "--timeout", str(timeout)]


class RecordingLimiter(RateLimiter):
    """A limiter that records its waits and skips them (its clock runs ahead of real time).

    A wait that :func:`time.sleep` could not take (over :data:`threading.TIMEOUT_MAX`, about
    292 years) raises OverflowError here too: a free lock's timed ``acquire`` checks the value
    as ``sleep`` does, and returns at once.
    """

    def __init__(self, min_delay: float = 1.0, max_retries: int = 4) -> None:
        super().__init__(min_delay=min_delay, max_retries=max_retries)
        self.sleeps: list[float] = []
        self.skipped = 0.0

    def _clock(self) -> float:
        return time.monotonic() + self.skipped

    def _sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        threading.Lock().acquire(timeout=seconds)
        self.skipped += seconds



def table(tmp_path: Path, specs: Sequence[Spec], name: str = "data") -> Path:
    """A data folder with a ``venues.csv`` of ``specs``."""
    data = tmp_path / name
    data.mkdir()
    (data / "venues.csv").write_text(csv_text([s.row() for s in specs]), encoding="utf-8",
                                     newline="")
    return data


UA = "protest-map-tests (tests@example.org)"
"""User-Agent the tests send."""


def run(data: Path, server: FakeNominatim, tmp_path: Path, **kwargs: Any) -> GeocodeSummary:
    """``geocode_venues`` against the fake server, fast settings, cache in ``tmp_path``."""
    settings: dict[str, Any] = {"provider": "nominatim", "nominatim_url": server.url,
                                "user_agent": UA, "cache_path": tmp_path / "cache.sqlite",
                                "min_delay": 0.02, "timeout": 5.0, "progress": False}
    settings.update(kwargs)
    return geocode_venues(data, **settings)
