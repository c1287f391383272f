"""Geocode venues: cache → provider → offline gazetteer, then rewrite ``venues.csv`` in place.

For every venue of ``venues.csv`` without ``lat``/``lon``, the queries of
:mod:`geo.geocode.queries` are answered from the cache (:mod:`geo.geocode.cache`) or else by the
provider (:mod:`geo.geocode.nominatim`, behind :mod:`geo.geocode.ratelimit`), each answer stored
the moment it arrives. The first usable result inside the venue's country
(:mod:`geo.geocode.search`) places the venue at ``venue``, ``street`` or ``city`` precision. When
the provider finds nothing, or fails after its retries (a warning says so), the offline
gazetteer places the venue at its city. With ``provider="offline"`` the
gazetteer alone is used.

Then ``venues.csv`` is rewritten atomically: only ``lat``, ``lon``, ``precision`` and ``source``
of the rows that had no coordinates change; every other byte stays (:mod:`geo.tables.cells`).
Venues that already have coordinates are never touched.

Examples
--------
>>> import shutil, tempfile, pathlib
>>> data = pathlib.Path(tempfile.mkdtemp()) / "data"
>>> _ = shutil.copytree("data", data)
>>> print(geocode_venues(data, progress=False))
venues.csv: every venue has coordinates; nothing to do
"""

from __future__ import annotations

import codecs
import contextlib
import logging
import math
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from geo._atomic import atomic_open
from geo.errors import DataError, GeocoderError, PlaceNotFound, UsageError
from geo.geocode.answers import clean_answer
from geo.geocode.cache import GeocodeCache, cache_key, default_cache_path
from geo.geocode.nominatim import NominatimProvider
from geo.geocode.queries import MISSIONS, Venue
from geo.geocode.ratelimit import MAX_WAIT, RateLimiter
from geo.geocode.search import find_venue
from geo.places.gazetteer import Gazetteer, default_gazetteer
from geo.schema import VENUE_COLUMNS
from geo.tables import read_csv_table
from geo.tables.cells import replace_cells
from geo.tables.columns import LINE
from geo.tables.rules import check_venues

log = logging.getLogger(__name__)

PROVIDERS = ("offline", "nominatim")
"""Values of ``provider``: the gazetteer alone, or a Nominatim server first."""

FILLED = ("lat", "lon", "precision", "source")
"""The only columns geocoding writes."""


@dataclass(frozen=True)
class Placement:
    """Where one venue was put, and by whom.

    Parameters
    ----------
    venue_id
        The venue's id.
    line
        Its line in ``venues.csv``.
    lat, lon
        WGS84 degrees; None when the venue could not be placed.
    precision
        ``venue``, ``street`` or ``city``; ``""`` when not placed.
    source
        e.g. ``nominatim:node/123`` or ``geonames:2950159``; ``""`` when not placed.
    by
        ``"nominatim"``, ``"gazetteer"`` or ``""`` (not placed).
    reason
        Why the gazetteer was used: ``"offline"``, ``"not found"`` or ``"provider failed"``.
    """

    venue_id: str
    line: int
    lat: float | None
    lon: float | None
    precision: str
    source: str
    by: str
    reason: str = ""


@dataclass
class GeocodeSummary:
    """What a geocoding run did; ``str()`` is the run summary the CLI prints.

    Attributes
    ----------
    venues_csv
        The table that was geocoded.
    provider
        ``offline`` or ``nominatim``.
    placements
        One per venue that lacked coordinates, in file order.
    already_placed
        Venues that had coordinates and were left alone.
    requests
        Requests sent to the provider, retries included.
    cached
        Queries answered from the cache.
    written
        Whether ``venues.csv`` was rewritten.
    warnings
        Fallbacks and failures, one sentence each.
    """

    venues_csv: Path
    provider: str
    placements: list[Placement] = field(default_factory=list)
    already_placed: int = 0
    requests: int = 0
    cached: int = 0
    written: bool = False
    warnings: list[str] = field(default_factory=list)

    def found(self, precision: str) -> int:
        """Venues the provider placed at ``precision``."""
        return sum(p.by == self.provider and p.precision == precision for p in self.placements)

    def fallbacks(self, reason: str | None = None) -> int:
        """Venues the gazetteer placed (for ``reason`` only, if given)."""
        return sum(p.by == "gazetteer" and reason in (None, p.reason) for p in self.placements)

    @property
    def failures(self) -> int:
        """Venues left without coordinates."""
        return sum(not p.by for p in self.placements)

    def __str__(self) -> str:
        name = self.venues_csv.name
        if not self.placements:
            return f"{name}: every venue has coordinates; nothing to do"
        n = len(self.placements)
        lines = [f"{name}: {n} venue{'s' if n != 1 else ''} without coordinates "
                 f"({self.already_placed} already placed, left as they were)"]
        if self.provider != "offline":
            lines.append(f"  {self.provider} found {self.found('venue')} at venue, "
                         f"{self.found('street')} at street and {self.found('city')} at city "
                         "precision")
            lines.append(f"  fallbacks: {self.fallbacks()} placed by the offline gazetteer at city "
                         f"precision ({self.fallbacks('not found')} not found, "
                         f"{self.fallbacks('provider failed')} after {self.provider} failed)")
        else:
            lines.append(f"  {self.fallbacks()} placed by the offline gazetteer at city precision")
        lines.append(f"  failures: {self.failures} left without coordinates")
        if self.provider != "offline":
            lines.append(f"  {self.requests} requests sent, {self.cached} queries answered from "
                         "the cache")
        lines.append(f"wrote {self.venues_csv}" if self.written else f"{name} unchanged")
        return "\n".join(lines)


def geocode_venues(
    data_dir: str | Path = "data",
    *,
    provider: str = "offline",
    nominatim_url: str | None = None,
    user_agent: str | None = None,
    cache_path: str | Path | None = None,
    min_delay: float = 1.0,
    max_retries: int = 4,
    timeout: float = 10.0,
    limiter: RateLimiter | None = None,
    gazetteer: Gazetteer | None = None,
    progress: bool | None = None,
) -> GeocodeSummary:
    """Fill in the missing coordinates of ``DATA/venues.csv``.

    Parameters
    ----------
    data_dir
        Folder holding ``venues.csv``.
    provider
        ``"offline"`` (gazetteer only) or ``"nominatim"``.
    nominatim_url
        Base URL of a Nominatim-compatible server; the public one if None.
    user_agent
        User-Agent for Nominatim; required for the public server.
    cache_path
        SQLite cache; default ``$XDG_CACHE_HOME`` (or ``~/.cache``)
        ``/protest-map/geocode.sqlite``.
    min_delay
        Least seconds between two requests, retries included (at least 1 for the public server).
    max_retries
        Retries of a request after a timeout, a connection error, HTTP 5xx or 429.
    timeout
        Seconds one whole request may take (connection, headers and body).
    limiter
        A rate limiter to use instead of one made from ``min_delay`` and ``max_retries`` (tests
        pass one whose clock they control).
    gazetteer
        The offline gazetteer; the default one if None.
    progress
        Show a progress bar; default: when standard error is a terminal (else log each venue).

    Returns
    -------
    GeocodeSummary

    Raises
    ------
    DataError
        When ``venues.csv`` breaks the data contract (nothing is sent or written).
    UsageError
        For contradictory or impossible settings, or a server that refuses us for good.
    """
    if provider not in PROVIDERS:
        raise UsageError(f"unknown provider {provider!r}; use one of {', '.join(PROVIDERS)}")
    if provider == "offline" and nominatim_url:
        raise UsageError("--nominatim-url is only used with --provider nominatim; add it, or drop "
                         "--nominatim-url")
    if not 0 <= min_delay < math.inf:
        raise UsageError(f"--min-delay must be a number of seconds ≥ 0, not {min_delay!r}")
    if max_retries < 0:
        raise UsageError(f"--retries must be ≥ 0, not {max_retries!r}")
    path = Path(data_dir) / "venues.csv"
    gaz = gazetteer or default_gazetteer()
    raw = path.read_bytes() if path.is_file() else b""
    venues, already = read_venues(path, gaz)
    summary = GeocodeSummary(path, provider, already_placed=already)
    if not venues:
        return summary
    with contextlib.ExitStack() as stack:
        ask: Callable[[dict[str, str]], list[dict[str, Any]]] | None = None
        lim: RateLimiter | None = None
        if provider == "nominatim":
            lim = limiter or RateLimiter(min_delay=min_delay, max_retries=max_retries,
                                         max_wait=max(MAX_WAIT, min_delay))
            nominatim = NominatimProvider(nominatim_url, user_agent, lim, timeout=timeout)
            cache = stack.enter_context(GeocodeCache(cache_path or default_cache_path()))
            ask = _cached(nominatim, cache, summary)
        show = sys.stderr.isatty() if progress is None else progress
        for venue in _progress(venues, show, stack):
            placement = place_venue(venue, ask, gaz, provider, summary.warnings)
            summary.placements.append(placement)
            if not show:
                log.info("%s: %s", venue.id, _describe(placement))
        if lim is not None:
            summary.requests = lim.requests
    updates = {p.line: {"lat": _degrees(p.lat), "lon": _degrees(p.lon),
                        "precision": p.precision, "source": p.source}
               for p in summary.placements if p.lat is not None and p.lon is not None}
    if updates:
        _rewrite(path, raw, updates)
        summary.written = True
    return summary


def place_venue(venue: Venue, ask: Callable[[dict[str, str]], list[dict[str, Any]]] | None,
                gaz: Gazetteer, provider: str, warnings: list[str]) -> Placement:
    """Place one venue: the provider's first usable answer, else the gazetteer.

    Parameters
    ----------
    venue
        The venue.
    ask
        Answers a query (from the cache or the provider); None for the offline provider.
    gaz
        The offline gazetteer.
    provider
        Provider name, for ``Placement.by``.
    warnings
        Fallbacks and failures are appended here (and logged).
    """
    reason = "offline"
    if ask is not None:
        try:
            match = find_venue(venue, ask, lambda message: _warn(warnings, message))
        except GeocoderError as exc:
            reason = "provider failed"
            _warn(warnings, f"venues.csv:{venue.line}: {venue.id}: {exc}; falling back to the "
                  "offline gazetteer (to try the provider again later, blank lat and lon)")
        else:
            if match is not None:
                return Placement(venue.id, venue.line, match.lat, match.lon, match.precision,
                                 match.source, provider)
            reason = "not found"
    try:
        place = gaz.lookup(venue.city, venue.country)
    except PlaceNotFound as exc:
        _warn(warnings, f"venues.csv:{venue.line}: {venue.id}: not placed: "
              f"{'' if ask is None else f'{provider} found no usable result and '}{exc}")
        return Placement(venue.id, venue.line, None, None, "", "", "", reason)
    if ask is not None and reason == "not found":
        _warn(warnings, f"venues.csv:{venue.line}: {venue.id}: {provider} found no usable result; "
              f"placed at the centre of {place.name} (city precision, {place.source})")
    return Placement(venue.id, venue.line, place.lat, place.lon, "city", place.source,
                     "gazetteer", reason)


def read_venues(path: Path, gaz: Gazetteer) -> tuple[list[Venue], int]:
    """Read and check ``venues.csv``; return the venues without coordinates, in file order.

    The checks are :func:`geo.tables.rules.check_venues`, except that a city the offline gazetteer
    does not know is no error here: the provider may know it.

    Returns
    -------
    venues : list of Venue
        Rows whose ``lat`` and ``lon`` are both blank.
    already : int
        Rows that have coordinates.

    Raises
    ------
    DataError
        With every problem found.
    """
    table = read_csv_table(path, VENUE_COLUMNS)
    frame = table.frame
    if frame is None or not table.complete:
        raise DataError(sorted(table.problems))
    todo = ((frame["lat"] == "") & (frame["lon"] == "")).to_numpy()
    problems, _, frame = check_venues(frame, gaz, cities_must_be_known=False)
    if problems:
        raise DataError(sorted(problems))
    rows = frame.loc[todo, ["id", "name", "kind", "represents", "address", "city", "country",
                            LINE]]
    venues = [Venue(str(r[0]), str(r[1]), str(r[2]), str(r[3]), str(r[4]), str(r[5]), str(r[6]),
                    int(r[7]), gaz.country_name(str(r[3])) if r[2] in MISSIONS
                    and gaz.is_country(str(r[3])) else "")
              for r in rows.itertuples(index=False, name=None)]
    return venues, int((~todo).sum())


def _cached(provider: NominatimProvider, cache: GeocodeCache,
            summary: GeocodeSummary) -> Callable[[dict[str, str]], list[dict[str, Any]]]:
    """Answer a query from the cache, else from the provider, storing the answer at once.

    Only well-formed results are used or stored (:func:`geo.geocode.answers.clean_answer`); a
    cached answer that is not a list of results (a cache from an older, trusting run) is a miss.
    """

    def ask(params: dict[str, str]) -> list[dict[str, Any]]:
        key = cache_key(provider.id, params)
        answer, _ = clean_answer(cache.get(key))  # an older run's bad answer is asked again
        if answer is not None:
            summary.cached += 1
            return answer
        answer = provider.search(params)  # checked there (nominatim.py)
        cache.put(key, answer)
        return answer

    return ask


def _rewrite(path: Path, raw: bytes, updates: dict[int, dict[str, str]]) -> None:
    """Replace the cells in ``path`` atomically, unless the file changed since it was read."""
    if path.read_bytes() != raw:
        raise UsageError(f"{path} changed while geocoding, so it was not rewritten; run the "
                         "command again (the answers are cached)")
    bom = codecs.BOM_UTF8 if raw.startswith(codecs.BOM_UTF8) else b""
    text = raw[len(bom):].decode("utf-8")
    with atomic_open(path, "wb") as fh:
        fh.write(bom + replace_cells(text, updates).encode("utf-8"))


def _degrees(value: float | None) -> str:
    """Decimal degrees with at most 7 decimals (about 1 cm), no trailing zeros."""
    text = f"{value:.7f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _progress(venues: list[Venue], show: bool, stack: contextlib.ExitStack) -> Iterable[Venue]:
    """Wrap the venues in a tqdm bar on standard error when ``show`` (logging goes above it)."""
    if not show:
        return venues
    from tqdm import tqdm
    from tqdm.contrib.logging import logging_redirect_tqdm

    stack.enter_context(logging_redirect_tqdm())
    bar: Iterable[Venue] = stack.enter_context(
        tqdm(venues, desc="geocoding", unit="venue", file=sys.stderr))
    return bar


def _describe(p: Placement) -> str:
    if not p.by:
        return "not placed"
    return f"{p.precision} precision ({p.source})"


def _warn(warnings: list[str], message: str) -> None:
    warnings.append(message)
    log.warning("%s", message)

