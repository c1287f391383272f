"""The Nominatim provider: one search request, through geopy, behind the rate limiter.

This is the only module that talks to the network. It sends Nominatim ``/search`` queries, free
form (``q``) or structured (``amenity``, ``street``, ``city`` ...), restricted with
``countrycodes``, and returns the results as Nominatim sent them (dicts with ``class`` or
``category``, ``type``, ``osm_type``, ``osm_id``, ``lat``, ``lon`` ...). Interpreting them is
:mod:`geo.geocode.queries`' job.

Three details of geopy are handled here:

- :meth:`geopy.geocoders.Nominatim.geocode` drops structured keys it does not know, ``amenity``
  among them; :class:`PoiNominatim` adds it.
- geopy turns each result into a :class:`geopy.location.Location` and raises ``ValueError`` on
  one bad latitude, losing the whole answer; :class:`PoiNominatim` keeps the results as received
  and :func:`geo.geocode.answers.clean_answer` drops each bad one alone.
- geopy's default HTTP adapter (requests) retries by itself, unseen by any rate limiter; the
  provider uses :class:`GuardedAdapter` (urllib, exactly one request per call), which also bounds
  what a hostile server can do: ``timeout`` is a deadline for the whole request, redirects are
  followed only on the configured scheme, host and port (:class:`RedirectRefused`; the server is
  then not asked again this run), bodies over :data:`MAX_BODY` are not read (:class:`BodyTooLarge`,
  an error for that query), and ``Retry-After`` is read by
  :func:`geo.geocode.ratelimit.retry_after_seconds` (see ``docs/geocoding.md``, Hostile servers).
"""

from __future__ import annotations

import contextlib
import functools
import json
import logging
import socket
import threading
import time
import urllib.request
from collections.abc import Mapping
from http.client import HTTPConnection, HTTPException, HTTPSConnection
from typing import Any
from urllib.error import HTTPError
from urllib.parse import urljoin, urlsplit

from geopy.adapters import AdapterHTTPError, BaseSyncAdapter
from geopy.exc import (
    ConfigurationError,
    GeocoderAuthenticationFailure,
    GeocoderInsufficientPrivileges,
    GeocoderParseError,
    GeocoderQueryError,
    GeocoderQuotaExceeded,
    GeocoderServiceError,
    GeocoderTimedOut,
    GeocoderUnavailable,
)
from geopy.geocoders import Nominatim

from geo.errors import GeocoderError, UsageError
from geo.geocode.answers import clean_answer
from geo.geocode.ratelimit import RateLimiter, ServerRefused, Unretried, retry_after_seconds

log = logging.getLogger(__name__)

PUBLIC_URL = "https://nominatim.openstreetmap.org"
"""The OpenStreetMap Foundation's public server (usage policy: a real User-Agent, ≤ 1 request/s)."""

PUBLIC_MIN_DELAY = 1.0
"""Least ``min_delay`` the public server's usage policy allows, in seconds."""

DEFAULT_USER_AGENT = "protest-map"
"""User-Agent sent to self-hosted servers when none is given (the public server requires one)."""

STRUCTURED_FIELDS = frozenset(Nominatim.structured_query_params | {"amenity"})
"""Parameters of a structured search (anything else but ``q``, ``countrycodes``, ``limit``)."""

MAX_BODY = 5 * 1024 * 1024
"""Largest response body read, in bytes (5 MiB; a Nominatim answer of 50 results is ~50 kB)."""

MAX_REDIRECTS = 5
"""Redirects followed per request, each to the configured server's own scheme, host and port."""


class RedirectRefused(Unretried):
    """The server redirected to another scheme, host or port; not followed."""


class BodyTooLarge(Unretried):
    """The server's answer is longer than :data:`MAX_BODY`; not read, not retried, not cached."""


def origin(url: str) -> tuple[str, str, int | None]:
    """Scheme, host and port of a URL, default ports made explicit (a bad port is -1)."""
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        port = -1
    scheme = parts.scheme.lower()
    return scheme, (parts.hostname or "").lower(), port or {"http": 80, "https": 443}.get(scheme)


class _Deadline:
    """Cuts a request's connection when its time is up, however the server trickles bytes."""

    def __init__(self, seconds: float) -> None:
        self.seconds, self.end, self.expired = seconds, time.monotonic() + seconds, False
        self._sock: socket.socket | None = None
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True
        self._timer.start()

    def remaining(self) -> float:
        return max(self.end - time.monotonic(), 0.001)

    def watch(self, sock: socket.socket | None) -> None:
        with self._lock:
            self._sock = sock
        if self.expired:
            self._expire()

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            if self._sock is not None:
                with contextlib.suppress(OSError):
                    self._sock.shutdown(socket.SHUT_RDWR)

    def cancel(self) -> None:
        self._timer.cancel()

    def timed_out(self) -> GeocoderTimedOut:
        return GeocoderTimedOut(f"no complete answer within {self.seconds:g} s (--timeout)")


def _watched(base: type[HTTPConnection], deadline: _Deadline) -> type[HTTPConnection]:
    """A connection class whose socket ``deadline`` cuts, and whose timeout is what is left."""

    class Watched(base):  # type: ignore[valid-type,misc]
        def connect(self) -> None:
            self.timeout = deadline.remaining()
            super().connect()
            deadline.watch(self.sock)

    return Watched


class _Handler(urllib.request.HTTPSHandler, urllib.request.HTTPHandler):
    """Opens http and https connections that a :class:`_Deadline` watches."""

    def __init__(self, deadline: _Deadline, context: Any) -> None:
        super().__init__(context=context)
        self.deadline, self.context = deadline, context

    def http_open(self, req: urllib.request.Request) -> Any:
        return self.do_open(_watched(HTTPConnection, self.deadline), req)

    def https_open(self, req: urllib.request.Request) -> Any:
        return self.do_open(_watched(HTTPSConnection, self.deadline), req, context=self.context)


class _SameOrigin(urllib.request.HTTPRedirectHandler):
    """Follow a redirect only to the configured server's scheme, host and port."""

    max_redirections = MAX_REDIRECTS

    def __init__(self, base: str) -> None:
        self.base = base

    def redirect_request(self, req: urllib.request.Request, fp: Any, code: int, msg: str,
                         headers: Any, newurl: str) -> urllib.request.Request | None:
        target = urljoin(req.full_url, newurl)
        if origin(target) != origin(self.base):
            raise RedirectRefused(f"it redirected (HTTP {code}) to {target[:120]!r}, away from "
                                  f"{self.base}; such redirects are never followed")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


class GuardedAdapter(BaseSyncAdapter):
    """geopy's urllib adapter with a total deadline, a body cap and same-origin redirects.

    Parameters
    ----------
    proxies, ssl_context
        As geopy passes them to every adapter (None: the system's proxies).
    base
        The configured server URL; redirects elsewhere are refused.
    max_body
        Largest body read, in bytes.
    """

    def __init__(self, *, proxies: Any, ssl_context: Any, base: str,
                 max_body: int = MAX_BODY) -> None:
        proxies = urllib.request.getproxies() if proxies is None else proxies
        super().__init__(proxies=proxies, ssl_context=ssl_context)
        self.proxies, self.ssl_context, self.base, self.max_body = (
            proxies, ssl_context, base, max_body)

    def get_json(self, url: str, *, timeout: float, headers: dict[str, str]) -> Any:
        """Ask ``url`` and decode its JSON (:meth:`get_text`)."""
        text = self.get_text(url, timeout=timeout, headers=headers)
        try:
            return json.loads(text)
        except ValueError as exc:
            raise GeocoderParseError(f"unreadable answer (not JSON): {text[:80]!r}") from exc

    def get_text(self, url: str, *, timeout: float, headers: dict[str, str]) -> str:
        """Ask ``url``; the whole request must end within ``timeout`` seconds."""
        deadline = _Deadline(timeout)
        opener = urllib.request.build_opener(_Handler(deadline, self.ssl_context),
                                             urllib.request.ProxyHandler(self.proxies),
                                             _SameOrigin(self.base))
        try:
            with opener.open(urllib.request.Request(url, headers=headers),
                             timeout=deadline.remaining()) as page:
                return self._read(page, deadline)
        except HTTPError as exc:
            found = {k.lower(): v for k, v in exc.headers.items()}
            wait = retry_after_seconds(found.pop("retry-after", None))
            if wait is not None:
                found["retry-after"] = str(int(wait))
            raise AdapterHTTPError(f"HTTP {exc.code}", status_code=exc.code, headers=found,
                                   text=self._read(exc, deadline, fail=False)) from exc
        except GeocoderServiceError:
            raise
        except (OSError, HTTPException, ValueError) as exc:
            if deadline.expired or isinstance(exc, TimeoutError) or isinstance(
                    getattr(exc, "reason", None), TimeoutError):
                raise deadline.timed_out() from exc
            raise GeocoderUnavailable(f"{type(exc).__name__}: {exc}") from exc
        finally:
            deadline.cancel()

    def _read(self, page: Any, deadline: _Deadline, fail: bool = True) -> str:
        """Read at most ``max_body`` bytes of a response and decode them."""
        length = page.headers.get("Content-Length") or "0"
        length = int(length) if length.isdigit() else 0
        raw = b"" if length > self.max_body else page.read(self.max_body + 1)
        if deadline.expired:
            raise deadline.timed_out()
        if max(length, len(raw)) > self.max_body:
            if not fail:
                return ""
            raise BodyTooLarge(f"its answer is longer than {self.max_body} bytes (Content-Length"
                               f" {length or 'not given'}); not read")
        try:
            return str(raw, page.headers.get_content_charset() or "utf-8")
        except (LookupError, ValueError) as exc:
            raise GeocoderParseError("the answer is not text in its charset") from exc


class PoiNominatim(Nominatim):
    """geopy's Nominatim geocoder that also sends the structured ``amenity`` parameter.

    Nominatim's structured search accepts ``amenity`` (a point of interest's name or type), but
    geopy filters structured queries through ``structured_query_params`` and drops it.
    """

    structured_query_params = STRUCTURED_FIELDS

    dropped: list[str]
    """Why results of the last answer were dropped (:func:`geo.geocode.answers.clean_answer`)."""

    def _parse_json(self, places: Any, exactly_one: bool) -> list[dict[str, Any]]:
        """Return the well-formed results as received (dicts), without building geopy Locations.

        Raises
        ------
        geopy.exc.GeocoderQueryError
            For an answer that is an error object (as geopy does).
        geopy.exc.GeocoderParseError
            For an answer that is not a list of objects (retried, never cached).
        """
        self.dropped = []
        if not places:
            return []
        if isinstance(places, Mapping) and "error" in places:
            if places["error"] == "Unable to geocode":
                return []
            raise GeocoderQueryError(str(places["error"])[:200])
        if isinstance(places, Mapping):
            places = [places]
        results, self.dropped = clean_answer(places)
        if results is None:
            raise GeocoderParseError(f"unusable answer: {self.dropped[0]}")
        return results


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
        Seconds one whole request may take (connection, headers, body) before it is cut off and
        counted as a (retried) timeout.

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
        self.refused = ""
        """Why the server is not asked again this run (``""``: it is asked)."""
        try:
            self._geocoder = PoiNominatim(
                domain=parts.netloc + parts.path, scheme=parts.scheme,
                user_agent=(user_agent or "").strip() or DEFAULT_USER_AGENT,
                timeout=timeout, adapter_factory=functools.partial(GuardedAdapter, base=base))
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
            When the server did not answer after the limiter's retries, or its answer was too
            long.
        ServerRefused
            When the server asked for a wait beyond the limiter's cap or redirected elsewhere,
            now or earlier in the run (it is not asked again).
        UsageError
            When the server refuses the request for good (HTTP 400, 401, 402, 403).
        """
        fields = {k: v for k, v in params.items() if k in STRUCTURED_FIELDS}
        query: str | dict[str, str] = params["q"] if "q" in params else fields
        limit = int(params.get("limit", "1"))
        codes = params.get("countrycodes", "")
        what = f"nominatim {_describe(params)}"
        if self.refused:
            raise ServerRefused(f"{what}: not asked: {self.refused}")

        def ask() -> list[dict[str, Any]]:
            found: list[dict[str, Any]] | None = self._geocoder.geocode(
                query, exactly_one=False, limit=limit,
                country_codes=codes.split(",") if codes else None,
                extratags=params.get("extratags") == "1",
                namedetails=params.get("namedetails") == "1")
            return list(found or [])

        try:
            found = self.limiter(ask, what)
            for problem in self._geocoder.dropped:
                log.warning("%s: %s", what, problem)
            return found
        except (ServerRefused, RedirectRefused) as exc:
            self.refused = (f"the Nominatim server {self.url} is not asked again this run: "
                            f"{str(exc).removeprefix(what + ': ')}")
            log.warning("%s", self.refused)
            raise ServerRefused(f"{what}: {self.refused}") from exc
        except BodyTooLarge as exc:
            raise GeocoderError(f"{what}: {exc}; the query counts as failed (nothing "
                                "cached)") from exc
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
