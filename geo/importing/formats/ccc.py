"""Crowd Counting Consortium (US protests) compiled CSV → ``protests.csv`` rows.

Both spellings of the compiled data are read: 2017–2020 (``location``, ``actors``) and 2021 on
(``location_detail``, ``organizations``, ``participants``). CCC rows have no id of their own, so
one is made from the date, place and a short hash of what identifies the event (see
:func:`ccc_ids`). Online-only events (``online`` 1) have no place and are skipped. The mapping is
in ``docs/importing.md``.

Examples
--------
>>> frame = pd.DataFrame({"date": ["2020-06-06"], "locality": ["Portland"], "state": ["ME"],
...     "claims": ["for racial justice"], "size_low": ["200"], "size_high": ["500"],
...     "lat": ["43.66"], "lon": ["-70.26"], "source_1": ["https://example.org/a"],
...     "_line": [2]})
>>> rows = map_ccc(frame, "ccc.csv", CountryCodes.default()).rows
>>> rows[["city", "region", "country", "participants", "source_url"]].values.tolist()
[['Portland', 'ME', 'US', '200–500', 'https://example.org/a']]
"""

from __future__ import annotations

import hashlib
import re
from typing import Final

import pandas as pd

from .common import (
    SKIPPED,
    TEXT,
    Issue,
    Mapped,
    blank_rows,
    col,
    first_present,
    issues_at,
    join_text,
    parse_dates,
    parse_points,
    sentence,
    whole_number,
)
from .countries import CountryCodes, us_place

COLUMNS: Final = {
    "date": True, "locality": True, "state": True, "location_detail": False, "location": False,
    "type": False, "title": False, "organizations": False, "actors": False,
    "participants": False, "claims": False, "size_low": False, "size_high": False,
    "size_mean": False, "size_text": False, "online": False, "lat": False, "lon": False,
    "notes": False,
}
"""CCC columns read, mapped to whether the header must have them (``source_N`` are found by
name)."""

DATE_FORMATS: Final = ("%Y-%m-%d", "%m/%d/%Y", "%m/%d/%y")
_SOURCE = re.compile(r"source_?(\d+)", re.IGNORECASE)


def map_ccc(frame: pd.DataFrame, file: str, codes: CountryCodes) -> Mapped:
    """Map CCC rows (strings, with ``_line``) onto ``protests.csv`` columns.

    Parameters
    ----------
    frame
        The compiled CSV as read.
    file
        Its name, for issues.
    codes
        Country lookups (US postal codes are handled here).

    Returns
    -------
    Mapped
    """
    issues: list[Issue] = []
    online = col(frame, "online").str.replace(r"\.0$", "", regex=True).isin(["1", "TRUE", "True"])
    issues += issues_at(file, frame, online, "online", "online-only event: it has no place",
                        "left out; the map shows protests that took place somewhere",
                        outcome=SKIPPED, reason="online only")
    src = frame[~online.to_numpy()]
    out = blank_rows(len(src), src.index)
    raw_date = col(src, "date")
    out["date"] = parse_dates(raw_date, DATE_FORMATS)
    locality, state = col(src, "locality"), col(src, "state")
    places = {s: us_place(s) for s in state.unique()}
    out["country"] = [(places[s] or ("", ""))[0] for s in state.tolist()]
    out["region"] = [(places[s] or ("", ""))[1] for s in state.tolist()]
    out["city"] = locality
    detail = first_present(src, "location_detail", "location")
    out["location"] = join_text([detail, join_text([locality, state], ", ")], "; ")
    lat, lon, bad_point = parse_points(col(src, "lat"), col(src, "lon"))
    out["lat"], out["lon"] = lat, lon
    out["precision"] = pd.Series("city", index=src.index).where(lat != "", "")
    out["organizer"] = first_present(src, "organizations", "actors")
    out["participants"] = _participants(src)
    kind = col(src, "type")
    title = col(src, "title")
    claims = col(src, "claims")
    head = sentence(title.where(title != "", kind.str.capitalize()))
    out["summary"] = join_text([head, sentence(("Claims: " + claims).where(claims != "", ""))])
    out["summary"] = out["summary"].where(out["summary"] != "",
                                          "Protest recorded by the Crowd Counting Consortium.")
    out["source_url"] = _first_url(src)
    out["source_title"] = "Crowd Counting Consortium"
    out["id"] = ccc_ids(out["date"], locality, state, detail, title, claims)
    out["source"] = "ccc:" + out["id"].str.removeprefix("ccc-")
    out[TEXT] = join_text([detail, title], ". ")
    out["_line"] = src["_line"]

    issues += issues_at(file, src, raw_date == "", "date", "no date",
                        "give the day it happened as YYYY-MM-DD", reason="no date")
    issues += issues_at(file, src, (raw_date != "") & (out["date"] == ""), "date",
                        "not a date", "write it as YYYY-MM-DD (e.g. 2020-06-06)",
                        reason="bad date")
    issues += issues_at(file, src, out["country"] == "", "state",
                        "not a US state or territory postal code",
                        "use the two-letter code (ME, DC, PR)", reason="unknown state")
    issues += issues_at(file, src, (locality == "") & (lat == ""), "locality", "no place",
                        "give the locality (city or town) or lat/lon", reason="no place")
    issues += issues_at(file, src, bad_point, "lat", "lat/lon are not a point",
                        "numbers in [-90, 90] and [-180, 180], or both blank",
                        reason="bad coordinates", values=col(src, "lat") + ", " + col(src, "lon"))
    bad_lines = {i.line for i in issues if i.outcome != SKIPPED}
    keep = ~src["_line"].isin(bad_lines).to_numpy()
    return Mapped(out[keep], issues, len(frame))


def _participants(src: pd.DataFrame) -> pd.Series:
    """``200–500`` from size_low/size_high, one of them, size_mean, or size_text's words."""
    low, high = whole_number(col(src, "size_low")), whole_number(col(src, "size_high"))
    low, high = low.where(low.str.upper() != "NA", ""), high.where(high.str.upper() != "NA", "")
    both = (low != "") & (high != "") & (low != high)
    one = low.where(low != "", high)
    text = col(src, "size_text").where(col(src, "size_text").str.upper() != "NA", "")
    mean = whole_number(col(src, "size_mean").str.replace(r"\.5$", "", regex=True))
    mean = mean.where(mean.str.upper() != "NA", "")
    out = (low + "–" + high).where(both, one)
    out = out.where(out != "", text)
    return out.where(out != "", mean).astype(object)


def _first_url(src: pd.DataFrame) -> pd.Series:
    """The first ``source_N`` (by N) that is an http(s) address."""
    numbered = sorted(((int(m.group(1)), c) for c in src.columns
                       if (m := _SOURCE.fullmatch(c))), key=lambda t: t[0])
    out = pd.Series("", index=src.index, dtype=object)
    for _, name in numbered:
        value = col(src, name)
        usable = value.str.match(r"(?i)https?://[^\s]+$") & (out == "")
        out = out.where(~usable, value)
    return out


def ccc_ids(date: pd.Series, locality: pd.Series, state: pd.Series, detail: pd.Series,
            title: pd.Series, claims: pd.Series) -> pd.Series:
    """Stable ids for CCC rows: ``ccc-DATE-LOCALITY-STATE-HASH``.

    The hash (6 hex digits of SHA-1) is of the date, locality, state, location detail, title
    and claims, so the same row gets the same id on every import, and two events of one day in
    one town differ. Rows identical in all of these get ``-2``, ``-3`` in file order.

    Examples
    --------
    >>> s = pd.Series
    >>> ccc_ids(s(["2020-06-06"]), s(["Portland"]), s(["ME"]), s([""]), s([""]),
    ...         s(["for racial justice"])).tolist()
    ['ccc-2020-06-06-portland-me-866d5b']
    """
    key = date + "|" + locality + "|" + state + "|" + detail + "|" + title + "|" + claims
    digest = [hashlib.sha1(k.encode("utf-8")).hexdigest()[:6] for k in key.tolist()]
    place = (locality + "-" + state).str.lower().str.replace(r"[^a-z0-9]+", "-", regex=True)
    base = ("ccc-" + date + "-" + place.str.strip("-") + "-" + pd.Series(digest, index=key.index))
    base = base.str.replace(r"-+", "-", regex=True)
    dup = base.groupby(base).cumcount()
    return base.where(dup == 0, base + "-" + (dup + 1).astype(str)).astype(object)
