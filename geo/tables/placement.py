"""Rules about where rows are: coordinates, countries and their outlines, cities to place.

Pure functions of a DataFrame (values stripped strings, ``_line`` the row's line in its file).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from geo.errors import Problems
from geo.places import outlines
from geo.places.gazetteer import Gazetteer
from geo.schema import (
    MISSION_KINDS,
    PRECISIONS,
)
from geo.tables.columns import DECIMAL_COMMA, LINE, Cells, index_in, problems_at


def check_represents(venues: pd.DataFrame, gaz: Gazetteer) -> Problems:
    """For an embassy or consulate, ``represents`` is the ISO alpha-2 code of its country."""
    values = venues["represents"]
    codes = gaz.country_codes()
    bad = venues["kind"].isin(MISSION_KINDS) & (values != "") & ~values.isin(codes)
    cells, kinds = Cells(values), Cells(venues["kind"])

    def text(i: int) -> str:
        v = str(cells[i])
        code = gaz.country_code(v) or (v.upper() if v.upper() in codes else None)
        hint = f"; write {code!r}" if code else " (e.g. KZ for Kazakhstan)"
        return (f"{v!r} is not an ISO 3166-1 alpha-2 country code; for an {kinds[i]}"
                f", represents is the code of the country it represents{hint}")

    return problems_at("venues.csv", venues, bad, "represents", text, rule="bad-represents")


def check_venue_countries(file: str, protests: pd.DataFrame, venues: pd.DataFrame,
                          codes: frozenset[str]) -> Problems:
    """Check that a protest's country is its venue's country (when both are valid codes)."""
    pos = index_in(protests["venue_id"], venues["id"])
    code_list = pd.Series(sorted(codes))
    own = index_in(protests["country"], code_list)  # -1: not a code (reported elsewhere)
    theirs = np.append(index_in(venues["country"], code_list), -1)[pos]  # pos -1: no venue
    bad = (own >= 0) & (theirs >= 0) & (own != theirs)
    venue_line = np.append(venues[LINE].to_numpy(), 0)[pos]
    country, venue_id = Cells(protests["country"]), Cells(protests["venue_id"])
    return problems_at(
        file, protests, bad, "country",
        lambda i: f"{country[i]!r} differs from the country "
                  f"{code_list.iat[theirs[i]]!r} of venue {venue_id[i]!r} "
                  f"(venues.csv line {int(venue_line[i])}); correct one of them",
        rule="country-not-venue-country")


def parse_coordinates(file: str, frame: pd.DataFrame) -> tuple[Problems, pd.DataFrame]:
    """Turn ``lat``/``lon`` into floats and check them.

    Both or neither must be given; each must be a number in range (lat in [-90, 90], lon in
    [-180, 180]); a decimal comma is reported with the fix.

    Returns
    -------
    problems : Problems
    frame : DataFrame
        A copy with ``lat`` and ``lon`` as float columns (NaN where blank or bad; a point with
        only one good coordinate gets NaN for both).
    """
    out = frame.copy()
    problems = Problems()
    parsed = {}
    for col, limit in (("lat", 90.0), ("lon", 180.0)):
        found, parsed[col] = _parse_coordinate(file, frame, col, limit)
        problems += found
    one_only = (frame["lat"] == "") != (frame["lon"] == "")
    problems += problems_at(file, frame, one_only, "lat",
                            "only one of lat and lon is given; give both, or leave both blank to "
                            "geocode", rule="one-coordinate")
    both = parsed["lat"].notna() & parsed["lon"].notna()
    out["lat"] = parsed["lat"].where(both)
    out["lon"] = parsed["lon"].where(both)
    return problems, out


def _parse_coordinate(file: str, frame: pd.DataFrame, col: str,
                      limit: float) -> tuple[Problems, pd.Series]:
    raw = frame[col]
    comma = raw.str.fullmatch(DECIMAL_COMMA)
    num = pd.to_numeric(raw.where(raw != ""), errors="coerce").astype(float)
    notnum = num.isna() & (raw != "") & ~comma
    out_of_range = ~(num.abs() <= limit) & num.notna()
    cells = Cells(raw)
    problems = (
        problems_at(file, frame, notnum, col,
                    lambda i: f"{cells[i]!r} is not a number (decimal degrees such as 52.52)",
                    rule="not-a-number")
        + problems_at(file, frame, comma, col,
                      lambda i: f"{cells[i]!r} uses a decimal comma; write "
                                f"{str(cells[i]).replace(',', '.')!r}", rule="decimal-comma")
        + problems_at(file, frame, out_of_range, col,
                      lambda i: f"{cells[i]} is out of range (must be between -{limit:g} and "
                                f"{limit:g}); are lat and lon swapped?", rule="out-of-range")
    )
    return problems, num.where(~out_of_range)


def check_in_country(file: str, frame: pd.DataFrame) -> Problems:
    """Each point must fall inside (or within 8 km of) an outline accepting its country.

    ``frame`` has float ``lat``/``lon`` (NaN = no point). The test is
    :func:`geo.places.outlines.outside_country` (Natural Earth 1:10m; in listed disputed areas
    either claimant's code passes). Countries without an outline (very small states) are not
    checked. When the point with lat and lon exchanged lies in the country, the message says they
    look swapped.
    """
    lat = frame["lat"].to_numpy(dtype=float)
    lon = frame["lon"].to_numpy(dtype=float)
    country = frame["country"].astype(str).to_numpy(dtype=object)
    mask = outlines.outside_country(lat, lon, country)
    if not mask.any():
        return Problems()
    rows = np.flatnonzero(mask)
    swapped = ~outlines.outside_country(lon[rows], lat[rows], country[rows])
    swapped_at = dict(zip(rows, swapped, strict=True))

    def text(i: int) -> str:
        hint = ("lat and lon look swapped: exchange them" if swapped_at[i]
                else "check the coordinates and the country")
        return (f"point ({lat[i]:g}, {lon[i]:g}) lies outside its country {country[i]!r}; "
                f"{hint}")

    return problems_at(file, frame, mask, "lat", text, rule="outside-country")


def check_placeable(file: str, frame: pd.DataFrame, at_city: pd.Series, gaz: Gazetteer,
                    placed: str, column: str) -> tuple[Problems, Problems]:
    """Check that rows placed at their city have a city the offline gazetteer knows.

    Used for venues without coordinates and protests without a venue.

    Parameters
    ----------
    file, frame
        The table and its name.
    at_city
        True for the rows placed at their city.
    gaz
        The gazetteer that places them.
    placed
        Warning for each row that is placed, after the row's id; ``{city}`` is filled in.
    column
        Column the warning is about.

    Returns
    -------
    problems : Problems
        Rows whose city (in its country) the gazetteer does not know.
    warnings : Problems
        The other rows: each is placed at its city centre, an approximation.
    """
    todo = at_city & (frame["city"] != "") & (frame["country"] != "")
    if not todo.any():
        return Problems(), Problems()
    keys = frame.loc[todo, "city"] + "\x1f" + frame.loc[todo, "country"]
    gaz.prepare(frame.loc[todo, "city"].unique())
    unknown = [k for k in keys.unique() if not gaz.candidates(*k.split("\x1f"))]
    missing = pd.Series(False, index=frame.index)
    missing[todo] = keys.isin(unknown)
    ids, city, country = Cells(frame["id"]), Cells(frame["city"]), Cells(frame["country"])
    problems = problems_at(file, frame, missing, "city",
                           lambda i: f"{city[i]!r} ({country[i]}) is not in the offline "
                                     "gazetteer, so this row cannot be placed; give lat/lon (or a "
                                     "venue with lat/lon), or a nearby larger city",
                           rule="unknown-city")
    warnings = problems_at(file, frame, todo & ~missing, column,
                           lambda i: f"{ids[i]!r} " + placed.format(city=city[i]),
                           rule="placed-at-city", hint="")
    return problems, warnings


def approximation_warnings(venues: pd.DataFrame) -> Problems:
    """Venues whose coordinates are approximate, or whose precision or source is not stated."""
    has = venues["lat"].notna()
    precision, name = venues["precision"], Cells(venues["name"])
    approx = has & precision.isin(PRECISIONS[1:])
    level = Cells(precision)
    return (
        problems_at("venues.csv", venues, approx, "precision",
                    lambda i: f"{name[i]!r} is placed approximately ({level[i]} "
                              "precision)", rule="approximate")
        + problems_at("venues.csv", venues, has & (precision == ""), "precision",
                      "precision is blank; the point is taken as exact (venue). Say how exact it "
                      "is: " + ", ".join(PRECISIONS), rule="blank-precision")
        + problems_at("venues.csv", venues, has & (venues["source"] == ""), "source",
                      "source is blank; say where lat/lon came from (e.g. 'manual', "
                      "'nominatim:node/123', 'Wikidata Q42')", rule="blank-source")
    )
