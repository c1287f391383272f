"""ACLED (Armed Conflict Location & Event Data) CSV exports → ``protests.csv`` rows.

Only events of ``event_type`` ``Protests`` are protests here. ``Riots`` (ACLED's "violent
demonstration" and "mob violence") and every other event type are skipped, each counted under
its type. The column mapping, justified from ACLED's codebook, is in ``docs/importing.md``.

Examples
--------
>>> frame = pd.DataFrame({"event_id_cnty": ["KAZ1"], "event_date": ["16 December 2011"],
...     "event_type": ["Protests"], "country": ["Kazakhstan"], "location": ["Almaty"],
...     "latitude": ["43.25"], "longitude": ["76.95"], "geo_precision": ["1"],
...     "notes": ["On 16 December 2011, oil workers rallied in Almaty."], "_line": [2]})
>>> rows = map_acled(frame, "acled.csv", CountryCodes.default()).rows
>>> rows[["id", "date", "city", "country", "precision", "source"]].values.tolist()
[['acled-kaz1', '2011-12-16', 'Almaty', 'KZ', 'city', 'acled:KAZ1']]
"""

from __future__ import annotations

from typing import Final

import pandas as pd

from .common import (
    SKIPPED,
    TEXT,
    Issue,
    Mapped,
    blank_rows,
    col,
    id_slugs,
    issues_at,
    join_text,
    parse_dates,
    parse_points,
)
from .countries import CountryCodes

COLUMNS: Final = {
    "event_id_cnty": True, "event_date": True, "event_type": True, "country": True,
    "sub_event_type": False, "actor1": False, "assoc_actor_1": False, "admin1": False,
    "admin2": False, "location": False, "latitude": False, "longitude": False,
    "geo_precision": False, "time_precision": False, "source": False, "notes": False,
    "tags": False, "iso": False,
}
"""ACLED columns read, mapped to whether the header must have them."""

DATE_FORMATS: Final = ("%Y-%m-%d", "%d %B %Y", "%d-%B-%Y", "%d %b %Y", "%d-%b-%Y", "%d-%b-%y",
                       "%m/%d/%Y", "%d/%m/%Y", "%B %d, %Y")
"""``event_date`` as ACLED has written it over the years, tried in this order: ISO (today's
exports), ``16 December 2011`` and ``16-December-2011`` (older exports), then slashes read as
month/day/year (spreadsheet exports) unless the first number is over 12."""

PRECISION: Final = {"1": "city", "2": "region", "3": "region"}
"""``geo_precision`` → ``precision``: 1, the town itself; 2, part of a region or near a town
(the town's point stands for an area around it); 3, a larger region, placed at its capital or a
natural feature."""

TIME_NOTES: Final = {
    "2": "ACLED time precision 2: the source gives only the week; ACLED dates it to the middle "
         "of that week",
    "3": "ACLED time precision 3: the source gives only the month; ACLED dates it to the middle "
         "of that month",
}

_CROWD = r"crowd size=([^;]*)"


def map_acled(frame: pd.DataFrame, file: str, codes: CountryCodes) -> Mapped:
    """Map ACLED rows (strings, with ``_line``) onto ``protests.csv`` columns.

    Parameters
    ----------
    frame
        The export as read.
    file
        Its name, for issues.
    codes
        Country lookups.

    Returns
    -------
    Mapped
    """
    issues: list[Issue] = []
    kind = col(frame, "event_type")
    protest = kind.str.casefold() == "protests"
    for name in sorted(set(kind[~protest])):
        what = name or "no event_type"
        detail = " (violent demonstration or mob violence)" if name.casefold() == "riots" else ""
        issues += issues_at(file, frame, ~protest & (kind == name), "event_type",
                            f"not a protest: {what}{detail}",
                            "only event_type Protests is imported", outcome=SKIPPED,
                            reason=f"not a protest ({what})")
    src = frame[protest]
    out = blank_rows(len(src), src.index)
    own_id = col(src, "event_id_cnty")
    out["id"] = id_slugs("acled", own_id)
    out["source"] = ("acled:" + own_id).where(own_id != "", "")
    raw_date = col(src, "event_date")
    out["date"] = parse_dates(raw_date, DATE_FORMATS)
    country = col(src, "country")
    codes_of = {n: codes.from_name(n) for n in country.unique()}
    iso = col(src, "iso")
    numeric = {n: codes.from_numeric(n) for n in iso.unique() if n}
    out["country"] = [codes_of.get(n) or numeric.get(i) or "" for n, i in
                      zip(country.tolist(), iso.tolist(), strict=True)]
    place, admin1 = col(src, "location"), col(src, "admin1")
    out["city"] = place.where(place != "", col(src, "admin2").where(col(src, "admin2") != "",
                                                                     admin1))
    out["region"] = admin1
    out["location"] = _location(place, col(src, "admin2"), admin1)
    lat, lon, bad_point = parse_points(col(src, "latitude"), col(src, "longitude"))
    out["lat"], out["lon"] = lat, lon
    precision = col(src, "geo_precision").str.replace(r"\.0$", "", regex=True)
    out["precision"] = precision.map(PRECISION).fillna("city").where(lat != "", "")
    out["organizer"] = join_text([col(src, "actor1"), col(src, "assoc_actor_1")], "; ")
    notes = col(src, "notes")
    fallback = ("ACLED records a " + col(src, "sub_event_type").str.lower()
                .replace("", "protest") + " in " + out["city"] + " (no notes).")
    out["summary"] = notes.where(notes != "", fallback)
    crowd = col(src, "tags").str.extract(_CROWD, expand=False).fillna("").str.strip()
    out["participants"] = crowd.where(crowd.str.casefold() != "no report", "")
    source = col(src, "source")
    out["source_title"] = ("ACLED; sources: " + source).where(source != "", "ACLED")
    out["date_note"] = col(src, "time_precision").map(TIME_NOTES).fillna("")
    out[TEXT] = notes
    out["_line"] = src["_line"]

    hint_place = "give location (the town) or latitude/longitude, or drop the row"
    issues += issues_at(file, src, own_id == "", "event_id_cnty", "no event id",
                        "every ACLED row has one (e.g. KAZ1234); re-export the data",
                        reason="no event id")
    issues += issues_at(file, src, raw_date == "", "event_date", "no date",
                        "give the day the protest happened (e.g. 2011-12-16)", reason="no date")
    issues += issues_at(file, src, (raw_date != "") & (out["date"] == ""), "event_date",
                        "not a date ACLED writes",
                        "write it as 2011-12-16, 16 December 2011, 16-December-2011 or "
                        "12/16/2011", reason="bad date")
    issues += issues_at(file, src, out["country"] == "", "country",
                        "not a country name known to the gazetteer",
                        "use the English name (e.g. Kazakhstan) or fill in iso",
                        reason="unknown country")
    issues += issues_at(file, src, bad_point, "latitude",
                        "latitude/longitude are not a point (numbers in [-90, 90] and "
                        "[-180, 180], both given)", "correct them or leave both blank",
                        reason="bad coordinates",
                        values=col(src, "latitude") + ", " + col(src, "longitude"))
    issues += issues_at(file, src, (out["city"] == "") & (lat == ""), "location", "no place",
                        hint_place, reason="no place")
    bad_lines = {i.line for i in issues if i.outcome != SKIPPED}
    keep = ~src["_line"].isin(bad_lines).to_numpy()
    return Mapped(out[keep], issues, len(frame))


def _location(place: pd.Series, admin2: pd.Series, admin1: pd.Series) -> pd.Series:
    """ACLED's own words for the place: location, admin2, admin1 (repeats left out)."""
    a2 = admin2.where(admin2 != place, "")
    a1 = admin1.where((admin1 != place) & (admin1 != admin2), "")
    return join_text([place, a2, a1], ", ")

