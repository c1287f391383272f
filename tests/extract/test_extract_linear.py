"""``extract`` takes time in proportion to the text, whatever the text (hostile inputs).

Each kind of text is read at n and 2n characters; reading twice as much must take about twice
as long (a ratio under 3), not four times (a quadratic pattern or loop) or worse. A ratio, not
an absolute time, so a slow machine does not fail it.
"""

from __future__ import annotations

import datetime as dt
import gc
import time
from collections.abc import Callable

import pytest

from geo.extract import extract_records
from geo.extract.sentences import event_shift

N = 8_000
"""Characters of the smaller text (the larger has twice as many)."""


def _repeat(unit: str) -> Callable[[int], str]:
    return lambda n: (unit * (n // len(unit) + 1))[:n]


KINDS: dict[str, Callable[[int], str]] = {
    "a long capitalised word": lambda n: "Rally outside " + "A" * n + " shop in London.",
    "a long word of capitals inside": _repeat("Ab"),
    "hyphenated words": _repeat("Anti-War-"),
    "O'O'O'": _repeat("O'"),
    "capitalised runs": _repeat("Alpha Beta Gamma Delta Square "),
    "a repeated sentence": _repeat("Amnesty members picketed a Syrian consulate in Leeds, "
                                   "as police had shot students the day before. "),
    "ISO dates": _repeat("2012-01-01 "),
    "a long line with no full stop": _repeat("we marched in London and Paris, outside the "
                                             "embassy, the day before, 1,000 people had "),
    "numbers and quotations": _repeat('1,2,3 "Free them" ... '),
    "hard-wrapped lines": _repeat("a line of the report that is long enough to be wrapped\n"),
    "addresses and statements": _repeat("outside the embassy on Portland Place at 49 of the "
                                        "Republic of the ministry in Paris has also said "),
    "live-blog labels and brands": _repeat("12:00 Paris: Sainsbury's flagship the company's "
                                           "regional office strikers at the "),
    "context places and venues in one sentence": _repeat("the ministry in Paris said, outside "
                                                         "the embassy, after the fire in Lyon "),
}


def _seconds(*texts: str) -> list[float]:
    """The best of three times of each text, measured in turns so that a busy spell of the
    machine falls on all of them alike."""
    best = [float("inf")] * len(texts)
    gc.collect()
    gc.disable()  # a collection of earlier tests' garbage is not the extractor's time
    try:
        for _ in range(3):
            for i, text in enumerate(texts):
                start = time.perf_counter()
                extract_records(text, date=dt.date(2012, 1, 1))
                best[i] = min(best[i], time.perf_counter() - start)
    finally:
        gc.enable()
    return best


@pytest.fixture(scope="module", autouse=True)
def _warm() -> None:
    extract_records("A rally in London.")  # the gazetteer is read once, not timed


@pytest.mark.parametrize("kind", list(KINDS))
def test_four_times_the_text_takes_about_four_times_as_long(kind: str) -> None:
    """Linear time gives a ratio of about 4, quadratic 16: the bar of 8 tells them apart with
    room for a noisy machine."""
    make = KINDS[kind]
    small, large = _seconds(make(N), make(4 * N))
    assert large / max(small, 0.05) < 8, f"{kind}: {small:.3f}s for n, {large:.3f}s for 4n"


def test_hostile_text_still_yields_its_protests() -> None:
    text = ("O'" * 2000 + "\n\n" + "A" * 5000 + "\n\n"
            + "Hundreds of people rallied at the Syrian embassy in Paris today.\n")
    drafts = extract_records(text, date=dt.date(2012, 2, 4))
    assert drafts[["city", "venue_kind", "represents"]].values.tolist() == [
        ["Paris", "embassy", "SY"]]


@pytest.mark.parametrize(("text", "expected"), [
    ("the strikers had been killed the day before", True),
    ("they had gathered; police fired", False),
    ("they had gathered. Police fired", False),
    ("police fired and had left", False),
    ("Police HAD SHOT them", True),
])
def test_event_shift_reads_had_then_a_verb(text: str, expected: bool) -> None:
    assert event_shift(text, 0, len(text)) is expected

