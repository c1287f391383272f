"""Rules about where rows are: coordinates, countries and their outlines, cities to place.

Pure functions of a DataFrame (values stripped strings, ``_line`` the row's line in its file).
"""

from __future__ import annotations

from typing import Final

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from geo.errors import Problems
from geo.places import outlines
from geo.places.gazetteer import Gazetteer
from geo.places.regions import default_regions
from geo.places.resolve import resolve_city
from geo.schema import (
    MISSION_KINDS,
    PRECISIONS,
)
from geo.tables.columns import DECIMAL_COMMA, LINE, Cells, index_in, problems_at

PLAIN_DECIMAL: Final = r"-?[0-9]{1,3}\.[0-9]{1,12}"
"""A number with at most 15 digits and a point, as coordinates are written: Arrow and pandas
read it alike, to the last bit (both round its exact value correctly)."""


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
                          pos: np.ndarray, codes: frozenset[str]) -> Problems:
    """Check that a protest's country is its venue's country (when both are valid codes).

    ``pos`` is the position of each protest's venue among ``venues`` (-1: none).
    """
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


def parse_coordinates(file: str, frame: pd.DataFrame, *,
                      blank: str = "to geocode") -> tuple[Problems, pd.DataFrame]:
    """Turn ``lat``/``lon`` into floats and check them.

    Both or neither must be given; each must be a number in range (lat in [-90, 90], lon in
    [-180, 180]); a decimal comma is reported with the fix. ``blank`` ends the message about a
    lone coordinate: what leaving both blank does ("leave both blank to geocode").

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
                            "only one of lat and lon is given; give both, or leave both blank "
                            + blank, rule="one-coordinate")
    both = parsed["lat"].notna() & parsed["lon"].notna()
    out["lat"] = parsed["lat"].where(both)
    out["lon"] = parsed["lon"].where(both)
    return problems, out


def _parse_coordinate(file: str, frame: pd.DataFrame, col: str,
                      limit: float) -> tuple[Problems, pd.Series]:
    raw = frame[col]
    comma = raw.str.fullmatch(DECIMAL_COMMA)
    num = _numbers(raw)
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


def _numbers(raw: pd.Series) -> pd.Series:
    """``raw`` as floats, as :func:`pandas.to_numeric` reads them (NaN: blank or not a number).

    A :data:`PLAIN_DECIMAL` (nearly every coordinate) is cast by Arrow, many times quicker; the
    others, if any, go through :func:`pandas.to_numeric`.
    """
    plain = raw.str.fullmatch(PLAIN_DECIMAL).to_numpy(dtype=bool)
    num = np.full(len(raw), np.nan)
    num[plain] = pc.cast(pa.array(raw[plain]), pa.float64()).to_numpy()
    other = ~plain & (raw != "").to_numpy(dtype=bool)
    if other.any():
        num[other] = pd.to_numeric(raw.where(other), errors="coerce").to_numpy(dtype=float)[other]
    return pd.Series(num, index=raw.index)


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
    points = np.flatnonzero(~np.isnan(lat) & ~np.isnan(lon))  # the others are not checked
    country = frame["country"].iloc[points].astype(str).to_numpy(dtype=object)
    outside = outlines.outside_country(lat[points], lon[points], country)
    if not outside.any():
        return Problems()
    rows = points[outside]
    mask = np.zeros(len(frame), dtype=bool)
    mask[rows] = True
    swapped = ~outlines.outside_country(lon[rows], lat[rows], country[outside])
    swapped_at = dict(zip(rows, swapped, strict=True))
    country_at = dict(zip(rows, country[outside], strict=True))

    def text(i: int) -> str:
        hint = ("lat and lon look swapped: exchange them" if swapped_at[i]
                else "check the coordinates and the country")
        return (f"point ({lat[i]:g}, {lon[i]:g}) lies outside its country {country_at[i]!r}; "
                f"{hint}")

    return problems_at(file, frame, mask, "lat", text, rule="outside-country")


def check_placeable(file: str, frame: pd.DataFrame, at_city: pd.Series, gaz: Gazetteer,
                    placed: str, column: str) -> tuple[Problems, Problems]:
    """Check that rows placed at their city have a city the offline gazetteer can place.

    Used for venues without coordinates and protests without a venue. Each distinct city,
    country and region is resolved once (:func:`geo.places.resolve.resolve_city`).

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
        Rows that cannot be placed: an unknown place (with the closest names), a place under
        the wrong country (named), a region that is unknown or holds no such place.
    warnings : Problems
        The other rows: each is placed at its city centre, an approximation; and rows whose
        place was a choice (a name several regions share, a former state's code).
    """
    todo = at_city & (frame["city"] != "") & (frame["country"] != "")
    if not todo.any():
        return Problems(), Problems()
    region = frame["region"] if "region" in frame else pd.Series("", index=frame.index)
    keys = pd.MultiIndex.from_arrays([frame.loc[todo, "city"].to_numpy(),
                                      frame.loc[todo, "country"].to_numpy(),
                                      region[todo].to_numpy()])
    unique = keys.unique()
    gaz.prepare(unique.get_level_values(0).unique())
    regions = default_regions()
    found = [resolve_city(gaz, regions, c, k, r) for c, k, r in unique]
    at = np.full(len(frame), -1)
    at[np.flatnonzero(todo.to_numpy())] = unique.get_indexer(keys)
    problems = Problems()
    for col, rule in (("city", "unknown-city"), ("region", "unknown-region")):
        bad = np.array([f.place is None and f.column == col for f in found] + [False])
        problems += problems_at(file, frame, bad[at], col, lambda i: found[at[i]].error,
                                rule=rule)
    doubt = np.array([bool(f.warning) for f in found] + [False])
    placed_ok = np.array([f.place is not None for f in found] + [False])[at]
    told = doubt[at] | placed_ok  # the rows the warnings name: the only values they keep
    ids, city = Cells(frame["id"], rows=told), Cells(frame["city"], rows=placed_ok)
    warnings = problems_at(file, frame, doubt[at], "region" if "region" in frame else "city",
                           lambda i: f"{ids[i]!r}: {found[at[i]].warning}", rule="place-chosen")
    warnings += problems_at(file, frame, placed_ok, column,
                            lambda i: f"{ids[i]!r} " + placed.format(city=city[i]),
                            rule="placed-at-city")
    return problems, warnings


def check_regions(file: str, frame: pd.DataFrame, rows: pd.Series) -> Problems:
    """Warn of a ``region`` on ``rows`` (placed by coordinates or venue) that is not known.

    The region does not place these rows, so an unknown one is a warning (it is shown as
    written). Rows placed at their city are checked with their city (:func:`check_placeable`),
    where an unknown region is an error; a country the regions table lists no region of accepts
    any region.
    """
    if "region" not in frame:
        return Problems()
    regions = default_regions()
    todo = rows & (frame["region"] != "") & (frame["country"] != "")
    if not todo.any():
        return Problems()
    keys = pd.MultiIndex.from_arrays([frame.loc[todo, "region"].to_numpy(),
                                      frame.loc[todo, "country"].to_numpy()])
    unique = keys.unique()
    unknown = {(r, c) for r, c in unique
               if regions.of_country(c) and regions.find(c, r) is None}
    if not unknown:
        return Problems()
    bad = pd.Series(False, index=frame.index)
    bad[todo] = [k in unknown for k in keys]
    region, country = Cells(frame["region"]), Cells(frame["country"])

    def text(i: int) -> str:
        close = regions.suggest(str(country[i]), str(region[i]))
        hint = ("did you mean " + " or ".join(r.name for r in close) + "?" if close else
                "write the state, province or Land by its name or ISO 3166-2 code")
        return (f"{region[i]!r} is not a region of {country[i]} that the gazetteer "
                f"knows (shown as written); {hint}")

    return problems_at(file, frame, bad, "region", text, rule="unknown-region")


def approximation_warnings(venues: pd.DataFrame) -> Problems:
    """Venues whose coordinates are approximate, or whose precision or source is not stated."""
    has = venues["lat"].notna()
    precision = venues["precision"]
    approx = (has & precision.isin(PRECISIONS[1:])).to_numpy()
    name, level = Cells(venues["name"], rows=approx), Cells(precision, rows=approx)
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
