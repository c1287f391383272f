"""The Nominatim provider: one search request, through geopy, behind the rate limiter.

This is the only module that talks to the network. It sends Nominatim ``/search`` queries, free
form (``q``) or structured (``amenity``, ``street``, ``city`` ...), restricted with
``countrycodes``, and returns the results as Nominatim sent them (dicts with ``class`` or
``category``, ``type``, ``osm_type``, ``osm_id``, ``lat``, ``lon`` ...). Interpreting them is
:mod:`geo.geocode.queries`' job.

Three details of geopy are handled here:

- :meth:`geopy.geocoders.Nominatim.geocode` drops structured keys it does not know, ``amenity``
  among them; :class:`PoiNominatim` adds it.
- geopy turns each result into a :class:`geopy.location.Location`, raising ``ValueError`` on a
  latitude or longitude that is not a finite number in range, which would lose the whole
  answer; :class:`PoiNominatim` returns the results as received, and
  :func:`geo.geocode.queries.coordinates` rejects such a result alone.
- geopy's default HTTP adapter (requests) retries failed connections by itself, unseen by any
  rate limiter; the provider uses geopy's urllib adapter, which makes exactly one request per call.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from geopy.adapters import URLLibAdapter
from geopy.exc import (
    ConfigurationError,
    GeocoderAuthenticationFailure,
    GeocoderInsufficientPrivileges,
    GeocoderParseError,
    GeocoderQueryError,
    GeocoderQuotaExceeded,
    GeocoderServiceError,
)
from geopy.geocoders import Nominatim

from geo.errors import UsageError
from geo.geocode.ratelimit import RateLimiter

PUBLIC_URL = "https://nominatim.openstreetmap.org"
"""The OpenStreetMap Foundation's public server (usage policy: a real User-Agent, ≤ 1 request/s)."""

PUBLIC_MIN_DELAY = 1.0
"""Least ``min_delay`` the public server's usage policy allows, in seconds."""

DEFAULT_USER_AGENT = "protest-map"
"""User-Agent sent to self-hosted servers when none is given (the public server requires one)."""

STRUCTURED_FIELDS = frozenset(Nominatim.structured_query_params | {"amenity"})
"""Parameters of a structured search (anything else but ``q``, ``countrycodes``, ``limit``)."""


class PoiNominatim(Nominatim):
    """geopy's Nominatim geocoder that also sends the structured ``amenity`` parameter.

    Nominatim's structured search accepts ``amenity`` (a point of interest's name or type), but
    geopy filters structured queries through ``structured_query_params`` and drops it.
    """

    structured_query_params = STRUCTURED_FIELDS

    def _parse_json(self, places: Any, exactly_one: bool) -> list[dict[str, Any]]:
        """Return the results as received (dicts), without building geopy Locations.

        Raises
        ------
        geopy.exc.GeocoderQueryError
            For an answer that is an error object (as geopy does).
        geopy.exc.GeocoderParseError
            For an answer that is not a list of results.
        """
        if not places:
            return []
        if isinstance(places, Mapping) and "error" in places:
            if places["error"] == "Unable to geocode":
                return []
            raise GeocoderQueryError(str(places["error"]))
        if isinstance(places, Mapping):
            places = [places]
        if not isinstance(places, list):
            raise GeocoderParseError(f"unreadable answer: {type(places).__name__}, not a list")
        return [dict(place) for place in places if isinstance(place, Mapping)]


class NominatimProvider:
    """Search a Nominatim-compatible server, politely.

    Parameters
    ----------
    url
        Base URL of the server (its ``/search`` is queried); the public server if None.
    user_agent
        User-Agent header; required for the public server.
    limiter
        Spaces and retries requests; shared by every request of a run.
    timeout
        Seconds to wait for one answer before counting it as a (retried) timeout.

    Raises
    ------
    UsageError
        For a bad URL, a missing User-Agent, or a ``min_delay`` under 1 s on the public server.
    """

    def __init__(self, url: str | None, user_agent: str | None, limiter: RateLimiter,
                 timeout: float = 10.0) -> None:
        base = (url or PUBLIC_URL).rstrip("/")
        base = base.removesuffix("/search")
        parts = urlsplit(base)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise UsageError(f"--nominatim-url {url!r} is not an http(s) URL; give the server's "
                             "base address, e.g. http://127.0.0.1:8080")
        public = parts.hostname == urlsplit(PUBLIC_URL).hostname
        if public and not (user_agent or "").strip():
            raise UsageError("the public Nominatim server requires a User-Agent naming your "
                             "application; pass e.g. --user-agent 'protest-map (you@example.org)' "
                             "(see https://operations.osmfoundation.org/policies/nominatim/)")
        if public and limiter.min_delay < PUBLIC_MIN_DELAY:
            raise UsageError(f"--min-delay {limiter.min_delay:g} is too short for the public "
                             "Nominatim server, which allows one request per second; use "
                             "--min-delay 1 or more, or --nominatim-url for your own server")
        if not timeout > 0:
            raise UsageError(f"--timeout must be a positive number of seconds, not {timeout!r}")
        self.url = base
        self.id = f"nominatim:{base}"
        """Provider id in cache keys: answers from different servers are kept apart."""
        self.limiter = limiter
        try:
            self._geocoder = PoiNominatim(
                domain=parts.netloc + parts.path, scheme=parts.scheme,
                user_agent=(user_agent or "").strip() or DEFAULT_USER_AGENT,
                timeout=timeout, adapter_factory=URLLibAdapter)
        except ConfigurationError as exc:
            raise UsageError(f"--user-agent {user_agent!r} is a sample value the public server "
                             "rejects; name your application and a contact") from exc

    def search(self, params: Mapping[str, str]) -> list[dict[str, Any]]:
        """Ask the server one query (retried by the limiter) and return its results.

        Parameters
        ----------
        params
            ``q`` or structured fields (``amenity``, ``street``, ``city`` ...), plus optional
            ``countrycodes`` (comma-separated ISO codes), ``limit``, and ``extratags`` and
            ``namedetails`` (``"1"`` to have each result's extra tags and names).

        Returns
        -------
        list of dict
            The results as the server sent them; empty when it found nothing.

        Raises
        ------
        GeocoderError
            When the server did not answer after the limiter's retries.
        UsageError
            When the server refuses the request for good (HTTP 400, 401, 402, 403).
        """
        fields = {k: v for k, v in params.items() if k in STRUCTURED_FIELDS}
        query: str | dict[str, str] = params["q"] if "q" in params else fields
        limit = int(params.get("limit", "1"))
        codes = params.get("countrycodes", "")
        what = f"nominatim {_describe(params)}"

        def ask() -> list[dict[str, Any]]:
            found: list[dict[str, Any]] | None = self._geocoder.geocode(
                query, exactly_one=False, limit=limit,
                country_codes=codes.split(",") if codes else None,
                extratags=params.get("extratags") == "1",
                namedetails=params.get("namedetails") == "1")
            return list(found or [])

        try:
            return self.limiter(ask, what)
        except (GeocoderAuthenticationFailure, GeocoderInsufficientPrivileges,
                GeocoderQuotaExceeded) as exc:
            raise UsageError(f"the Nominatim server {self.url} refused the request ({exc}); it "
                             "blocks this User-Agent, address or rate: set --user-agent to your "
                             "application and contact, keep --min-delay ≥ 1 for the public "
                             "server, or use your own server (--nominatim-url). Answers so far "
                             "are cached") from exc
        except GeocoderServiceError as exc:
            raise UsageError(f"the Nominatim server {self.url} rejected the query "
                             f"{_describe(params)} ({exc}); is --nominatim-url a "
                             "Nominatim-compatible server? "
                             "Answers so far are cached") from exc


def _describe(params: Mapping[str, str]) -> str:
    return " ".join(f"{k}={v!r}" for k, v in sorted(params.items())
                    if k not in ("limit", "extratags", "namedetails"))
