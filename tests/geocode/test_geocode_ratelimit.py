"""The rate limiter on a virtual clock: spacing, backoff, Retry-After, giving up."""

from __future__ import annotations

import pytest
from geopy.exc import (
    GeocoderInsufficientPrivileges,
    GeocoderParseError,
    GeocoderQueryError,
    GeocoderRateLimited,
    GeocoderServiceError,
    GeocoderTimedOut,
    GeocoderUnavailable,
)

from geo.errors import GeocoderError
from geo.geocode.ratelimit import RateLimiter, is_transient


class VirtualClock(RateLimiter):
    """A limiter whose clock only moves when it sleeps or a request takes time."""

    def __init__(self, *args: float, **kwargs: float) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.now = 0.0
        self.sleeps: list[float] = []
        self.starts: list[float] = []

    def _clock(self) -> float:
        return self.now

    def _sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    def request(self, duration: float, outcomes: list[object]) -> object:
        """A fake request: takes ``duration`` seconds, then returns or raises the next outcome."""
        self.starts.append(self.now)
        self.now += duration
        outcome = outcomes.pop(0)
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome


def test_the_pause_is_counted_from_the_end_of_the_previous_request() -> None:
    lim = VirtualClock(min_delay=1.0)
    outcomes: list[object] = ["a", "b", "c"]
    for _ in range(3):
        lim(lambda: lim.request(0.4, outcomes))
    assert lim.starts == [0.0, 1.4, 2.8]
    assert lim.requests == 3


def test_transient_failures_are_retried_with_doubling_waits_and_count_as_requests() -> None:
    lim = VirtualClock(min_delay=0.5, max_retries=4)
    outcomes: list[object] = [GeocoderTimedOut("t"), GeocoderUnavailable("u"),
                              GeocoderServiceError("500"), "found"]
    assert lim(lambda: lim.request(0.0, outcomes)) == "found"
    assert lim.starts == [0.0, 1.0, 3.0, 7.0]  # waits of 0.5·2, 0.5·4, 0.5·8
    assert lim.requests == 4


def test_retry_after_is_honoured_when_longer_than_the_backoff_and_holds_the_next_call() -> None:
    lim = VirtualClock(min_delay=1.0)
    outcomes: list[object] = [GeocoderRateLimited("429", retry_after=30), "a",
                              GeocoderRateLimited("429", retry_after=1), "b", "c"]
    assert lim(lambda: lim.request(0.0, outcomes)) == "a"
    assert lim.starts == [0.0, 30.0]
    assert lim(lambda: lim.request(0.0, outcomes)) == "b"
    assert lim.starts[2:] == [31.0, 33.0]  # Retry-After 1 < backoff 2
    lim(lambda: lim.request(0.0, outcomes))
    assert lim.starts[4] == 34.0


def test_a_wait_after_the_last_failure_also_holds_back_the_next_call() -> None:
    lim = VirtualClock(min_delay=1.0, max_retries=0)
    outcomes: list[object] = [GeocoderRateLimited("429", retry_after=60), "next"]
    with pytest.raises(GeocoderError):
        lim(lambda: lim.request(0.0, outcomes))
    assert lim(lambda: lim.request(0.0, outcomes)) == "next"
    assert lim.starts == [0.0, 60.0]


def test_after_the_last_retry_a_geocoder_error_names_the_query_and_the_cause() -> None:
    lim = VirtualClock(min_delay=0.1, max_retries=2)
    outcomes: list[object] = [GeocoderTimedOut("a"), GeocoderParseError("b"),
                              GeocoderTimedOut("Service timed out")]
    with pytest.raises(GeocoderError, match=r"q='Luleå'.*3 attempts.*Service timed out") as info:
        lim(lambda: lim.request(0.0, outcomes), "q='Luleå'")
    assert isinstance(info.value.__cause__, GeocoderTimedOut)
    assert lim.requests == 3


@pytest.mark.parametrize("error", [GeocoderInsufficientPrivileges("403"),
                                   GeocoderQueryError("400")])
def test_a_permanent_refusal_is_not_retried(error: GeocoderServiceError) -> None:
    lim = VirtualClock(min_delay=1.0)
    outcomes: list[object] = [error, "never"]
    with pytest.raises(type(error)):
        lim(lambda: lim.request(0.0, outcomes))
    assert lim.requests == 1 and outcomes == ["never"]


def test_which_errors_are_transient() -> None:
    assert is_transient(GeocoderRateLimited("429"))
    assert is_transient(GeocoderServiceError("HTTP 500"))
    assert is_transient(GeocoderParseError("bad JSON"))
    assert not is_transient(GeocoderInsufficientPrivileges("403"))


def test_nonsense_settings_are_refused() -> None:
    with pytest.raises(ValueError, match="min_delay"):
        RateLimiter(min_delay=-1)
    with pytest.raises(ValueError, match="max_retries"):
        RateLimiter(max_retries=-1)


CAP = 120.0
"""The documented longest wait (MAX_WAIT)."""


def test_a_retry_after_beyond_the_cap_is_a_refusal_not_a_wait() -> None:
    lim = VirtualClock(min_delay=1.0, max_retries=4)
    outcomes: list[object] = [GeocoderRateLimited("429", retry_after=10**9), "next"]
    with pytest.raises(GeocoderError, match=r"wait a year or more .*more than the 120 s"):
        lim(lambda: lim.request(0.0, outcomes), "q='Luleå'")
    assert lim.requests == 1  # not retried
    assert lim(lambda: lim.request(0.0, outcomes)) == "next"
    assert lim.starts == [0.0, 1.0]  # the next call waits min_delay, not 31 years
    assert max(lim.sleeps) <= CAP


@pytest.mark.parametrize("retry_after", [10**30, 10**400, float("inf"), float("nan"), -5, 1e-9,
                                         "soon", "1" + "0" * 40, True, [3]])
def test_any_retry_after_gives_a_bounded_wait_and_no_other_error(retry_after: object) -> None:
    lim = VirtualClock(min_delay=1.0, max_retries=1)
    outcomes: list[object] = [GeocoderRateLimited("429", retry_after=retry_after), "a", "b"]
    try:
        lim(lambda: lim.request(0.0, outcomes))
    except GeocoderError:
        pass  # a refusal (beyond the cap)
    lim(lambda: lim.request(0.0, outcomes))
    assert lim.sleeps and all(0 <= s <= CAP for s in lim.sleeps)


def test_the_backoff_never_waits_longer_than_the_cap() -> None:
    lim = VirtualClock(min_delay=1.0, max_retries=10)
    outcomes: list[object] = [GeocoderTimedOut("t")] * 10 + ["found"]
    assert lim(lambda: lim.request(0.0, outcomes)) == "found"
    assert max(lim.sleeps) == CAP


@pytest.mark.parametrize(("value", "seconds"), [
    ("120", 120.0), (" 7 ", 7.0), ("0", 0.0), ("-3", 0.0), (2.5, 2.5), (10**400, 366 * 86400.0),
    ("1" + "0" * 30, 366 * 86400.0), ("9" * 5000, 366 * 86400.0),
    ("Fri, 31 Dec 9999 23:59:59 GMT", 366 * 86400.0), ("Sat, 01 Jan 2000 00:00:00 GMT", 0.0),
    ("Sun, 09 Sep 2001 01:47:20 GMT", 40.0),
    ("Fri, 31 Dec 99999 23:59:59 GMT", None), ("Mon, 99 Foo 2020 99:99:99 GMT", None),
    ("soon", None), ("", None), ("nan", None), ("1e400", None), (float("nan"), None),
    (None, None), (True, None), ("٣", None),
])
def test_retry_after_is_read_defensively(value: object, seconds: float | None) -> None:
    from geo.geocode.ratelimit import retry_after_seconds

    assert retry_after_seconds(value, now=1e9) == seconds  # now: 2001-09-09 01:46:40 UTC
