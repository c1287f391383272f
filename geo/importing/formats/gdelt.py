"""GDELT 2.0 event records (tab-separated, no header, 61 columns) → ``protests.csv`` rows.

GDELT codes news articles by machine (CAMEO event codes): its rows are noisy, often duplicated,
and dated by when the news appeared. Only events of CAMEO root code 14 ("Protest") are read, and
of those, 145 ("Protest violently, riot") is skipped as ACLED's riots are. A row without an
action geography (``ActionGeo_Type`` 0 or no point) is skipped with that reason. The mapping is
in ``docs/importing.md``.

Examples
--------
>>> row = [""] * 61
>>> row[0], row[1], row[26], row[28] = "1001", "20111216", "141", "14"
>>> row[6], row[51], row[52], row[53] = "OIL WORKERS", "4", "Almaty, Almaty, Kazakhstan", "KZ"
>>> row[56], row[57], row[60] = "43.25", "76.95", "https://example.org/a"
>>> frame = pd.DataFrame([row], columns=GDELT_COLUMNS).assign(_line=1)
>>> rows = map_gdelt(frame, "events.tsv", CountryCodes.default()).rows
>>> rows[["id", "date", "city", "region", "country", "precision"]].values.tolist()
[['gdelt-1001', '2011-12-16', 'Almaty', 'Almaty', 'KZ', 'city']]
"""

from __future__ import annotations

from typing import Final

import pandas as pd

from .common import (
    SKIPPED,
    Issue,
    Mapped,
    blank_rows,
    col,
    id_slugs,
    issues_at,
    parse_dates,
    parse_points,
)
from .countries import CountryCodes

_ACTOR = ("Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code",
          "Religion2Code", "Type1Code", "Type2Code", "Type3Code")
_GEO = ("Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID")

GDELT_COLUMNS: Final = (
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
    *(f"Actor1{c}" for c in _ACTOR), *(f"Actor2{c}" for c in _ACTOR),
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
    "NumMentions", "NumSources", "NumArticles", "AvgTone",
    *(f"Actor1Geo_{c}" for c in _GEO), *(f"Actor2Geo_{c}" for c in _GEO),
    *(f"ActionGeo_{c}" for c in _GEO), "DATEADDED", "SOURCEURL",
)
"""The 61 columns of a GDELT 2.0 events file, in order (the files have no header row)."""

PRECISION: Final = {"1": "country", "2": "region", "5": "region", "3": "city", "4": "city"}
"""``ActionGeo_Type`` → ``precision``: 1 country; 2 US state, 5 world ADM1; 3 US city, 4 world
city."""

CAMEO: Final = {
    "140": "engaged in political dissent", "141": "demonstrated or rallied",
    "1411": "demonstrated for leadership change", "1412": "demonstrated for policy change",
    "1413": "demonstrated for rights", "1414": "demonstrated for change in institutions or regime",
    "142": "conducted a hunger strike", "1421": "conducted a hunger strike for leadership change",
    "1422": "conducted a hunger strike for policy change",
    "1423": "conducted a hunger strike for rights",
    "1424": "conducted a hunger strike for change in institutions or regime",
    "143": "conducted a strike or boycott", "1431": "struck for leadership change",
    "1432": "struck for policy change", "1433": "struck for rights",
    "1434": "struck for change in institutions or regime", "144": "obstructed passage or blocked",
    "1441": "blocked for leadership change", "1442": "blocked for policy change",
    "1443": "blocked for rights", "1444": "blocked for change in institutions or regime",
}
"""CAMEO protest codes (root 14) in words, for the generated summary."""

DATE_NOTE: Final = ("GDELT SQLDATE: the day GDELT's coder assigned to the event, often the day "
                    "the news appeared (machine-coded)")


def map_gdelt(frame: pd.DataFrame, file: str, codes: CountryCodes) -> Mapped:
    """Map GDELT event rows (strings, columns :data:`GDELT_COLUMNS`, with ``_line``).

    Parameters
    ----------
    frame
        The rows as read.
    file
        Its name, for issues.
    codes
        FIPS 10-4 → ISO lookups.

    Returns
    -------
    Mapped
    """
    issues: list[Issue] = []
    root = col(frame, "EventRootCode").str.zfill(2)
    code = col(frame, "EventCode")
    riot = code.str.startswith("145")
    protest = (root == "14") & ~riot
    for value in sorted(set(root[root != "14"])):
        issues += issues_at(file, frame, (root == value), "EventRootCode",
                            f"not a protest: CAMEO root code {value or 'blank'}",
                            "only root code 14 (Protest) is imported", outcome=SKIPPED,
                            reason=f"not a protest (CAMEO root {value or 'blank'})")
    issues += issues_at(file, frame, (root == "14") & riot, "EventCode",
                        "not a protest: CAMEO 145, protest violently or riot",
                        "riots are left out, as ACLED's are", outcome=SKIPPED,
                        reason="not a protest (CAMEO 145 riot)")
    src = frame[protest]
    geo_type = col(src, "ActionGeo_Type")
    lat, lon, bad_point = parse_points(col(src, "ActionGeo_Lat"), col(src, "ActionGeo_Long"))
    fips = col(src, "ActionGeo_CountryCode")
    no_geo = (~geo_type.isin(list(PRECISION))) | (lat == "") | (fips == "")
    issues += issues_at(file, src, no_geo, "ActionGeo_Type",
                        "no geography: GDELT could not place this event",
                        "left out; GDELT rows without ActionGeo are common", outcome=SKIPPED,
                        reason="no geography", values=col(src, "ActionGeo_FullName"))
    src = src[~no_geo.to_numpy()]
    geo_type, fips = geo_type[src.index], fips[src.index]
    lat, lon, bad_point = lat[src.index], lon[src.index], bad_point[src.index]
    out = blank_rows(len(src), src.index)
    own = col(src, "GLOBALEVENTID")
    out["id"] = id_slugs("gdelt", own)
    out["source"] = "gdelt:" + own
    out["date"] = parse_dates(col(src, "SQLDATE"), ("%Y%m%d",))
    out["country"] = [codes.from_fips(f) or "" for f in fips.tolist()]
    full = col(src, "ActionGeo_FullName")
    split = [[p.strip() for p in name.split(",", 2)] + ["", ""] for name in full.tolist()]
    parts = pd.DataFrame([s[:3] for s in split], index=src.index, columns=[0, 1, 2],
                         dtype=object)
    country_name = pd.Series([codes.name_of(c) for c in out["country"]], index=src.index)
    at_city = geo_type.isin(["3", "4"])
    at_region = geo_type.isin(["2", "5"])
    out["city"] = parts[0].where(geo_type != "1", country_name)
    out["region"] = parts[1].where(at_city & (parts[2] != ""), parts[0].where(at_region, ""))
    out["lat"], out["lon"] = lat, lon
    out["precision"] = geo_type.map(PRECISION)
    out["location"] = full
    actor1, actor2 = col(src, "Actor1Name"), col(src, "Actor2Name")
    what = code.loc[src.index].map(CAMEO).fillna("protested")
    target = (" against " + actor2.str.title()).where(actor2 != "", "")
    who = actor1.str.title().where(actor1 != "", "People")
    out["summary"] = ("Machine-coded GDELT event: " + who + " " + what + target + " in "
                      + out["city"] + " (CAMEO " + code.loc[src.index] + ").")
    out["organizer"] = actor1.str.title()
    url = col(src, "SOURCEURL")
    out["source_url"] = url.where(url.str.match(r"(?i)https?://"), "")
    out["source_title"] = "GDELT 2.0 event (machine-coded)"
    out["date_note"] = DATE_NOTE
    out["_line"] = src["_line"]

    issues += issues_at(file, src, own == "", "GLOBALEVENTID", "no event id",
                        "every GDELT row has one; is this a GDELT 2.0 events file?",
                        reason="no event id")
    issues += issues_at(file, src, out["date"] == "", "SQLDATE", "not a date (YYYYMMDD)",
                        "GDELT writes 20111216; check the file is GDELT 2.0 events",
                        reason="bad date")
    issues += issues_at(file, src, out["country"] == "", "ActionGeo_CountryCode",
                        "not a FIPS 10-4 country code",
                        "GDELT uses FIPS codes (GM = Germany); correct it or drop the row",
                        reason="unknown country")
    issues += issues_at(file, src, bad_point, "ActionGeo_Lat", "not a point",
                        "latitude/longitude must be numbers in range", reason="bad coordinates")
    bad_lines = {i.line for i in issues if i.outcome != SKIPPED}
    keep = ~src["_line"].isin(bad_lines).to_numpy()
    return Mapped(out[keep], issues, len(frame))
