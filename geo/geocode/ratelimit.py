"""Politeness for geocoders: one request per ``min_delay`` seconds, retries with backoff.

The design is geopy's :class:`geopy.extra.rate_limiter.RateLimiter` (the clock and the sleep are
methods, so tests replace them), with three changes a shared public server needs:

- **every** request is spaced, retries included, and the pause is counted from the *end* of the
  previous request, so a slow answer never shortens the gap the server sees;
- a transient failure (timeout, dropped connection, HTTP 5xx, HTTP 429, an unreadable answer) is
  retried after ``min_delay · 2^n`` seconds, or after the server's ``Retry-After`` when longer;
  that wait also holds back the next venue's request;
- a permanent refusal (HTTP 400, 401, 402, 403) is not retried, and after the last retry a
  :class:`~geo.errors.GeocoderError` says what failed instead of returning ``None``, which would be
  mistaken for "nothing found";
- no wait is ever longer than ``max_wait`` (:data:`MAX_WAIT`, 120 s): a server whose
  ``Retry-After`` asks for more is taken to refuse us, and :class:`ServerRefused` is raised at
  once, without sleeping (the provider then stops asking that server for the run).
  ``Retry-After`` values are read by :func:`retry_after_seconds`, which never raises.

Examples
--------
>>> class Instant(RateLimiter):
...     now = 0.0
...     def _clock(self): return self.now
...     def _sleep(self, seconds): self.now += seconds
>>> limiter = Instant(min_delay=1.0)
>>> [limiter(lambda: limiter.now) for _ in range(3)]
[0.0, 1.0, 2.0]
"""

from __future__ import annotations

import email.utils
import logging
import math
import time
from collections.abc import Callable
from typing import Any, TypeVar

from geopy.exc import (
    GeocoderAuthenticationFailure,
    GeocoderInsufficientPrivileges,
    GeocoderQueryError,
    GeocoderQuotaExceeded,
    GeocoderRateLimited,
    GeocoderServiceError,
)

from geo.errors import GeocoderError

log = logging.getLogger(__name__)

T = TypeVar("T")

MAX_WAIT = 120.0
"""Longest wait, in seconds, between two requests (Retry-After and backoff included)."""

RETRY_AFTER_CEILING = 366 * 86400.0
"""Largest ``Retry-After`` :func:`retry_after_seconds` returns (longer ones are clamped to it)."""


class Unretried(GeocoderServiceError):
    """A failure that asking again would repeat (a refused redirect, a too long answer)."""


class ServerRefused(GeocoderError):
    """The server asked to wait longer than ``max_wait``: it is not asked again this run."""


def retry_after_seconds(value: Any, now: float | None = None) -> float | None:
    """Read a ``Retry-After`` value as seconds to wait, clamped to [0, RETRY_AFTER_CEILING].

    Accepts delay-seconds (``"120"``; also a number) and HTTP dates (``"Fri, 31 Dec 9999
    23:59:59 GMT"``). Never raises: anything unreadable (empty, ``"soon"``, NaN) is None.

    Parameters
    ----------
    value
        The header's value, or a number already read from it.
    now
        The wall-clock time (:func:`time.time`) an HTTP date is counted from.

    Examples
    --------
    >>> retry_after_seconds("1" + "0" * 30) == RETRY_AFTER_CEILING
    True
    >>> retry_after_seconds("Fri, 31 Dec 9999 23:59:59 GMT") == RETRY_AFTER_CEILING
    True
    >>> retry_after_seconds(" 7 "), retry_after_seconds("-3"), retry_after_seconds("soon")
    (7.0, 0.0, None)
    """
    seconds: float | None = None
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        seconds = _clamp(value)
    elif isinstance(value, str):
        text = value.strip()
        digits = text.removeprefix("-")
        if digits.isascii() and digits.isdigit():
            seconds = 0.0 if text.startswith("-") else (
                RETRY_AFTER_CEILING if len(digits) > 12 else _clamp(int(digits)))
        else:
            try:
                parsed = email.utils.parsedate_tz(text)
                if parsed is not None:
                    when = email.utils.mktime_tz(parsed)
                    seconds = _clamp(when - (time.time() if now is None else now))
            except (ValueError, TypeError, OverflowError, IndexError):
                seconds = None
    return seconds


def _clamp(value: float) -> float | None:
    """Clamp seconds to [0, RETRY_AFTER_CEILING]; None for NaN (works on huge ints too)."""
    if value != value:  # NaN
        return None
    if value > RETRY_AFTER_CEILING:
        return RETRY_AFTER_CEILING
    return max(0.0, float(value))


def is_transient(error: GeocoderServiceError) -> bool:
    """Whether asking again later may succeed.

    Timeouts, connection errors, HTTP 5xx, HTTP 429 and unreadable answers are transient; a
    refused query (400), refused credentials (401, 403) and an exhausted quota (402) are not.
    """
    if isinstance(error, GeocoderRateLimited):
        return True
    permanent = (Unretried, GeocoderQueryError, GeocoderAuthenticationFailure,
                 GeocoderInsufficientPrivileges, GeocoderQuotaExceeded)
    return not isinstance(error, permanent)


class RateLimiter:
    """Call a function at most once per ``min_delay`` seconds, retrying transient failures.

    Parameters
    ----------
    min_delay
        Least time between the end of one request and the start of the next, in seconds
        (Nominatim's public server: 1).
    max_retries
        Retries after the first attempt; ``max_retries + 1`` requests at most per call.
    max_wait
        Longest wait before a request, in seconds; a ``Retry-After`` beyond it raises
        :class:`ServerRefused` instead of waiting.

    Attributes
    ----------
    requests
        Requests made so far, retries included.
    """

    def __init__(self, min_delay: float = 1.0, max_retries: int = 4,
                 max_wait: float = MAX_WAIT) -> None:
        if not min_delay >= 0 or math.isinf(min_delay):
            raise ValueError(f"min_delay must be a finite number ≥ 0, not {min_delay!r}")
        if max_retries < 0:
            raise ValueError(f"max_retries must be ≥ 0, not {max_retries!r}")
        if not 0 < max_wait < math.inf:
            raise ValueError(f"max_wait must be a finite number > 0, not {max_wait!r}")
        self.min_delay = float(min_delay)
        self.max_retries = int(max_retries)
        self.max_wait = float(max_wait)
        self.requests = 0
        self._not_before = -math.inf

    def _clock(self) -> float:
        return time.monotonic()

    def _sleep(self, seconds: float) -> None:
        time.sleep(seconds)

    def _wait(self) -> None:
        while (now := self._clock()) < self._not_before:
            self._sleep(min(self._not_before - now, self.max_wait))

    def __call__(self, func: Callable[[], T], what: str = "request") -> T:
        """Call ``func()`` when the next request slot opens; retry it on transient failures.

        Parameters
        ----------
        func
            Makes one request and returns its answer; raises geopy's exceptions on failure.
        what
            Description for log messages, e.g. the query.

        Returns
        -------
        The answer of the first successful call.

        Raises
        ------
        GeocoderError
            After ``max_retries + 1`` transient failures; chained from the last one.
        ServerRefused
            At once, when the server asks to wait longer than ``max_wait``.
        geopy.exc.GeocoderServiceError
            A permanent failure, at once.
        """
        attempts = self.max_retries + 1
        attempt = 0
        while True:
            attempt += 1
            self._wait()
            self.requests += 1
            pause = self.min_delay
            try:
                return func()
            except GeocoderServiceError as exc:
                if not is_transient(exc):
                    raise
                pause = min(self.min_delay * 2.0**min(attempt, 60), self.max_wait)
                retry_after = retry_after_seconds(getattr(exc, "retry_after", None))
                if retry_after is not None and retry_after > self.max_wait:
                    pause = self.min_delay
                    asked = (f"{retry_after:.0f} s" if retry_after < RETRY_AFTER_CEILING
                             else "a year or more")
                    raise ServerRefused(
                        f"{what}: the server asks to wait {asked} (Retry-After) "
                        f"before asking again, more than the {self.max_wait:g} s this run "
                        "waits at most; taken as a refusal") from exc
                if retry_after is not None and retry_after > pause:
                    pause = retry_after
                if attempt == attempts:
                    raise GeocoderError(f"{what}: no answer after {attempts} attempts; last "
                                        f"error: {_describe(exc)}") from exc
                log.warning("%s: %s; retry %d of %d in %.3g s", what, _describe(exc), attempt,
                            self.max_retries, pause)
            finally:
                self._not_before = self._clock() + pause


def _describe(exc: BaseException) -> str:
    name = type(exc).__name__
    text = str(exc).splitlines()[0] if str(exc) else ""
    return f"{name}: {text}" if text else name
