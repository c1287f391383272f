"""Date words in a report, and the calendar dates they stand for.

A report dates its protests in several ways, each resolved against the report's publication
date (the *anchor*, from ``--date``) or against the day the text is talking about at that point
(the *current* day):

=====================================  ============================================================
"16 December 2011", "Dec 16", ISO      that date (a missing year: the one nearest the anchor)
"today", "this morning"                the anchor
"yesterday", "last night"              the day before the anchor
"tomorrow"                             the day after the anchor
"on Saturday", "last Saturday"         the latest Saturday on or before the anchor (held), the
                                       next one after it (planned)
"next week", "beginning of next week"  the Monday after the anchor
"the next day", "the following day"    the current day + 1
"the previous day", "the day before"   the current day - 1; but in a clause reporting the events
                                       the protests answered ("the strikers had been killed the
                                       day before") the protest is dated the current day + 1
=====================================  ============================================================

Examples
--------
>>> import datetime
>>> cue = find_date_cues("We protested on Saturday.", 0, 25)[0]
>>> resolve(cue, anchor=datetime.date(2012, 2, 5), current=None, planned=False)
datetime.date(2012, 2, 4)
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left
from dataclasses import dataclass

MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
}
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

_MONTH = "|".join(sorted((m.title() for m in MONTHS), key=len, reverse=True))
_WEEKDAY = "|".join(d.title() for d in WEEKDAYS)
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("iso", re.compile(r"\b(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})\b")),
    ("dmy", re.compile(rf"\b(?:(?:{_WEEKDAY}),?\s+)?(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?"
                       rf"(?P<mon>{_MONTH})\.?(?:,?\s+(?P<y>\d{{4}}))?\b")),
    ("mdy", re.compile(rf"\b(?:(?:{_WEEKDAY}),?\s+)?(?P<mon>{_MONTH})\.?\s+(?P<d>\d{{1,2}})"
                       rf"(?:st|nd|rd|th)?(?:,?\s+(?P<y>\d{{4}}))?\b")),
    ("weekday", re.compile(rf"\b(?:(?P<rel>last|this|next|coming)\s+)?(?P<wd>{_WEEKDAY})\b"
                           r"(?!\s+\d)")),
    ("today", re.compile(r"\b(?:today|tonight|this (?:morning|afternoon|evening))\b", re.I)),
    ("yesterday", re.compile(r"\b(?:yesterday|last night)\b", re.I)),
    ("tomorrow", re.compile(r"\btomorrow\b", re.I)),
    ("next_week", re.compile(r"\b(?:(?:the\s+)?(?:beginning|start)\s+of\s+|early\s+)?next\s+week\b",
                             re.I)),
    ("next_day", re.compile(r"\bthe\s+(?:next|following)\s+day\b(?!\s+of\b)", re.I)),
    ("previous_day", re.compile(r"\bthe\s+(?:previous|preceding)\s+day\b|\bthe\s+day\s+before\b"
                                r"(?!\s+yesterday)", re.I)),
)
_EVERY = re.compile(r"\bevery\s+$", re.I)
_UPDATES = frozenset({"iso", "dmy", "mdy", "weekday", "today", "yesterday", "next_day"})


@dataclass(frozen=True)
class DateCue:
    """A date word or phrase.

    Parameters
    ----------
    start, end
        Offsets in the text.
    kind
        ``iso``, ``dmy``, ``mdy``, ``weekday``, ``today``, ``yesterday``, ``tomorrow``,
        ``next_week``, ``next_day`` or ``previous_day``.
    text
        As written.
    year, month, day
        For explicit dates (``year`` 0 when not written).
    weekday
        0 (Monday) to 6 for weekdays, else -1.
    relation
        ``last``, ``this``, ``next``, ``coming`` or ``""`` before a weekday.
    """

    start: int
    end: int
    kind: str
    text: str
    year: int = 0
    month: int = 0
    day: int = 0
    weekday: int = -1
    relation: str = ""

    @property
    def moves_current(self) -> bool:
        """Whether a held protest dated this way moves the day the text is talking about."""
        return self.kind in _UPDATES


def find_date_cues(work: str, start: int, end: int) -> list[DateCue]:
    """Date cues in ``work[start:end]``, in text order, without overlaps (longest first).

    "every Friday" is a habit, not a date, and is skipped.
    """
    found: list[DateCue] = []
    for kind, pattern in _PATTERNS:
        starts = [c.start for c in found]  # found is sorted and without overlaps
        new = []
        for m in pattern.finditer(work, start, end):
            i = bisect_left(starts, m.end())  # found[i - 1] is the last cue starting before
            if i and found[i - 1].end > m.start():
                continue
            if kind == "weekday" and _EVERY.search(work[max(start, m.start() - 10):m.start()]):
                continue
            new.append(_cue(kind, m))
        found = sorted(found + new, key=lambda c: c.start)
    return found


def _cue(kind: str, m: re.Match[str]) -> DateCue:
    groups = m.groupdict()
    if kind in ("iso", "dmy", "mdy"):
        month = int(groups["m"]) if kind == "iso" else MONTHS[groups["mon"].casefold()]
        return DateCue(m.start(), m.end(), kind, m.group(), int(groups.get("y") or 0), month,
                       int(groups["d"]))
    if kind == "weekday":
        return DateCue(m.start(), m.end(), kind, m.group(),
                       weekday=WEEKDAYS.index(groups["wd"].casefold()),
                       relation=(groups.get("rel") or "").casefold())
    return DateCue(m.start(), m.end(), kind, m.group())


def resolve(cue: DateCue, *, anchor: dt.date | None, current: dt.date | None,
            planned: bool, event_shift: bool = False) -> dt.date | None:
    """The date a cue stands for, or None when it cannot be known.

    Parameters
    ----------
    cue
        The cue.
    anchor
        The report's publication date, or None.
    current
        The day the text was talking about before this sentence, or None.
    planned
        Whether the protest lies ahead (weekdays then point forward).
    event_shift
        For ``previous_day``: the clause reports the events the protests answered, so the
        protest was the day after (see the module docstring).
    """
    if cue.kind in ("iso", "dmy", "mdy"):
        return _explicit(cue, anchor or current)
    if cue.kind in ("next_day", "previous_day"):
        if current is None:
            return None
        step = 1 if cue.kind == "next_day" or event_shift else -1
        return current + dt.timedelta(days=step)
    if anchor is None:
        return None
    if cue.kind == "today":
        return anchor
    if cue.kind == "yesterday":
        return anchor - dt.timedelta(days=1)
    if cue.kind == "tomorrow":
        return anchor + dt.timedelta(days=1)
    if cue.kind == "next_week":
        return anchor + dt.timedelta(days=7 - anchor.weekday())
    return _weekday(cue, anchor, planned)


def _explicit(cue: DateCue, near: dt.date | None) -> dt.date | None:
    years = [cue.year] if cue.year else ([near.year - 1, near.year, near.year + 1] if near
                                         else [])
    dates = []
    for year in years:
        try:
            dates.append(dt.date(year, cue.month, cue.day))
        except ValueError:
            continue
    if not dates:
        return None
    return min(dates, key=lambda d: abs((d - near).days)) if near and not cue.year else dates[0]


def _weekday(cue: DateCue, anchor: dt.date, planned: bool) -> dt.date:
    ahead = (cue.weekday - anchor.weekday()) % 7
    behind = (anchor.weekday() - cue.weekday) % 7
    if cue.relation == "next" or (planned and cue.relation != "last"):
        return anchor + dt.timedelta(days=ahead or 7)
    if cue.relation == "last":
        return anchor - dt.timedelta(days=behind or 7)
    return anchor - dt.timedelta(days=behind)


def describe(cue: DateCue, anchor: dt.date | None) -> str:
    """How a date was established, for ``date_note`` (blank for an explicit date)."""
    if cue.kind in ("iso", "dmy", "mdy") and cue.year:
        return ""
    if cue.kind in ("iso", "dmy", "mdy"):
        return f'"{cue.text}" (year from the report date {anchor})' if anchor else ""
    if cue.kind in ("next_day", "previous_day"):
        return f'"{cue.text}" in the report, counted from the day it was describing'
    return f'"{cue.text}" in a report dated {anchor}'
