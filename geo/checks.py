"""The rules of the data contract, as pure functions of DataFrames.

Each ``check_*`` takes a table (all values stripped strings, column ``_line`` = the line each row
starts on) and returns a list of :class:`~geo.errors.Problem`, one per offending row, each naming
file, line and column, the value, what was expected and how to fix it. Checks are vectorised over
columns (pandas/pyarrow), so a million rows take seconds; only the offending rows are formatted,
and at most :data:`MAX_PER_CHECK` of them per check and file (then one line says how many more).

:func:`validate` runs every rule over the tables of a data folder; :mod:`geo.tables` does the
reading and the file-system checks.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from geo import outlines
from geo.errors import Problem
from geo.gazetteer import Gazetteer
from geo.names import normalize
from geo.schema import (
    CONTEXT_COLUMNS,
    PHOTO_COLUMNS,
    PRECISIONS,
    PROTEST_COLUMNS,
    VENUE_COLUMNS,
    VENUE_KINDS,
)

LINE: Final = "_line"
"""Name of the column holding each row's physical line number in its file."""

MAX_PER_CHECK: Final = 20
"""Problems listed per check and file; the rest are summed up in one more line."""

# Patterns keep to what pyarrow's RE2 and Python's re agree on (no \s, \d, $ or lookarounds),
# so that pandas runs them on the Arrow strings instead of falling back to Python.
SPACE: Final = r" \t\r\n\f\v"
SLUG: Final = r"[A-Za-z0-9][A-Za-z0-9._-]*"
DATE: Final = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
HTTP_URL: Final = rf"(?i)https?://[^{SPACE}/$.?#][^{SPACE}]*"
SCHEME: Final = r"[A-Za-z][A-Za-z0-9+.-]*:"
HTML_TAG: Final = rf"</?[A-Za-z][A-Za-z0-9]*(?:[{SPACE}][^<>]*)?/?>"
DECIMAL_COMMA: Final = r"[+-]?[0-9]+,[0-9]+"
MISSION_KINDS: Final = ("embassy", "consulate", "honorary_consulate")
"""Venue kinds whose ``represents`` is a country code."""


@dataclass(frozen=True)
class Checked:
    """What :func:`validate` found.

    Attributes
    ----------
    problems
        Errors: the data must be fixed.
    warnings
        Approximations and doubts worth telling the user about.
    tables
        The tables, with ``lat``/``lon`` of venues and context turned into floats.
    """

    problems: list[Problem]
    warnings: list[Problem]
    tables: dict[str, pd.DataFrame | None]


def validate(tables: Mapping[str, pd.DataFrame | None], complete: Mapping[str, bool],
             gaz: Gazetteer) -> Checked:
    """Check every rule of the data contract over the tables of one data folder.

    Parameters
    ----------
    tables
        ``protests.csv``, ``venues.csv``, ``photos.csv`` and ``context.csv`` as read; None for a
        table that could not be read (its problems were reported by the reader).
    complete
        Whether each table holds every row of its file. References into a table that lost rows
        (say, a ragged row) are not checked, so that no id is wrongly called unknown.
    gaz
        For country codes and for cities that must be placed without coordinates.

    Returns
    -------
    Checked
    """
    out = dict(tables)
    problems: list[Problem] = []
    warnings: list[Problem] = []
    protests, venues = tables["protests.csv"], tables["venues.csv"]
    photos, context = tables["photos.csv"], tables["context.csv"]
    if venues is not None:
        found, warned, out["venues.csv"] = check_venues(venues, gaz)
        problems += found
        warnings += warned
    known_venues = out["venues.csv"] if complete["venues.csv"] else None
    if protests is not None:
        found, warned = check_protests("protests.csv", protests, known_venues, gaz)
        problems += found
        warnings += warned
    if photos is not None:
        known = protests["id"] if protests is not None and complete["protests.csv"] else None
        problems += check_photos(photos, known)
    if context is not None:
        found, warned, out["context.csv"] = check_context(context, gaz)
        problems += found
        warnings += warned
    return Checked(problems, warnings, out)


def check_protests(file: str, protests: pd.DataFrame, venues: pd.DataFrame | None,
                   gaz: Gazetteer) -> tuple[list[Problem], list[Problem]]:
    """Every rule about ``protests.csv`` (or one part of a partitioned protests table).

    Parameters
    ----------
    file
        Name to report problems against.
    protests
        The rows.
    venues
        The venues (checked, coordinates parsed) that ``venue_id`` refers to; None to skip the
        checks that need them (when venues.csv could not be read whole).
    gaz
        For country codes and the cities of protests without a venue.

    Returns
    -------
    problems, warnings : list of Problem
    """
    codes = gaz.country_codes()
    problems = (check_required(file, protests, PROTEST_COLUMNS)
                + check_ids(file, protests, "id")
                + check_dates(file, protests, "date")
                + check_countries(file, protests, "country", codes, gaz)
                + check_links(file, protests, "source_url"))
    warnings = html_warnings(file, protests, "summary")
    if venues is not None:
        problems += check_references(file, protests, "venue_id", venues["id"], "venues.csv")
        problems += check_venue_countries(file, protests, venues, codes)
    found, warned = check_placeable(file, protests, protests["venue_id"] == "", gaz,
                                    "has no venue_id; it is placed at the centre of {city} "
                                    "(city precision)", "venue_id")
    return problems + found, warnings + warned


def check_venues(venues: pd.DataFrame, gaz: Gazetteer, *, cities_must_be_known: bool = True
                 ) -> tuple[list[Problem], list[Problem], pd.DataFrame]:
    """Every rule about ``venues.csv``; also returns the venues with float ``lat``/``lon``.

    Parameters
    ----------
    venues
        The table as read by :func:`geo.tables.read_csv_table`.
    gaz
        Gazetteer for country codes and for placing venues without coordinates.
    cities_must_be_known
        Whether a venue without coordinates must be in a city the offline gazetteer knows
        (true for builds; ``geocode`` passes False, since its provider may know the city).
    """
    f = "venues.csv"
    codes = gaz.country_codes()
    problems = (check_required(f, venues, VENUE_COLUMNS)
                + check_ids(f, venues, "id")
                + check_choice(f, venues, "kind", VENUE_KINDS)
                + check_choice(f, venues, "precision", PRECISIONS)
                + check_countries(f, venues, "country", codes, gaz)
                + check_represents(venues, gaz))
    no_point = (venues["lat"] == "") & (venues["lon"] == "")
    found, venues = parse_coordinates(f, venues)
    problems += found + check_in_country(f, venues)
    warned: list[Problem] = []
    if cities_must_be_known:
        found, warned = check_placeable(f, venues, no_point, gaz,
                                        "has no coordinates; it is placed at the centre of "
                                        "{city} (city precision). Run `protest-map geocode` or "
                                        "fill in lat/lon", "lat")
        problems += found
    return problems, warned + approximation_warnings(venues), venues


def check_photos(photos: pd.DataFrame, protest_ids: pd.Series | None) -> list[Problem]:
    """Check every rule about ``photos.csv`` but whether files exist (see geo.tables).

    ``protest_ids`` are the ids ``protest_id`` may refer to; None to skip that check.
    """
    problems = check_required("photos.csv", photos, PHOTO_COLUMNS) + check_photo_sources(photos)
    if protest_ids is not None:
        problems += check_references("photos.csv", photos, "protest_id", protest_ids,
                                     "protests.csv")
    return problems


def check_context(context: pd.DataFrame,
                  gaz: Gazetteer) -> tuple[list[Problem], list[Problem], pd.DataFrame]:
    """Every rule about ``context.csv``; also returns it with float ``lat``/``lon``."""
    f = "context.csv"
    problems = (check_required(f, context, CONTEXT_COLUMNS)
                + check_ids(f, context, "id")
                + check_dates(f, context, "date")
                + check_choice(f, context, "precision", PRECISIONS)
                + check_countries(f, context, "country", gaz.country_codes(), gaz)
                + check_links(f, context, "source_url"))
    warnings = html_warnings(f, context, "summary")
    found, context = parse_coordinates(f, context)
    return problems + found + check_in_country(f, context), warnings, context


def problems_at(file: str, frame: pd.DataFrame, mask: pd.Series | np.ndarray, column: str,
                message: str | Callable[[int], str]) -> list[Problem]:
    """Make one :class:`Problem` per row where ``mask`` holds, at most :data:`MAX_PER_CHECK`.

    Parameters
    ----------
    file, column
        Where, as the user sees it.
    frame
        The table (for the ``_line`` column).
    mask
        True for the rows with the problem, aligned with ``frame``.
    message
        The text, or a function of the row's position in ``frame`` that returns it (called only
        for the rows listed).

    Returns
    -------
    list of Problem
        When more rows than :data:`MAX_PER_CHECK` are affected, a last problem (at the first row
        not listed) says how many more there are and where the last one is.
    """
    rows = np.flatnonzero(np.asarray(mask, dtype=bool))
    if not len(rows):
        return []
    lines = frame[LINE].to_numpy()
    shown = rows[:MAX_PER_CHECK]
    text = message if callable(message) else (lambda _i: message)
    out = [Problem(file, int(lines[i]), column, text(int(i))) for i in shown]
    if len(rows) > len(shown):
        rest = rows[len(shown):]
        out.append(Problem(file, int(lines[rest[0]]), column,
                           f"... and {len(rest):,} more rows with the same problem, up to line "
                           f"{int(lines[rest[-1]]):,}"))
    return out


def index_in(values: pd.Series, targets: pd.Series) -> np.ndarray:
    """Position of each value in ``targets`` (-1 if absent); a hash lookup in Arrow."""
    found = pc.index_in(pa.array(values, type=pa.large_string()),
                        value_set=pa.array(targets, type=pa.large_string()))
    return np.array(found.fill_null(-1), dtype=np.int64)


def check_required(file: str, frame: pd.DataFrame, columns: Mapping[str, bool]) -> list[Problem]:
    """Check that required columns are not blank."""
    out: list[Problem] = []
    for col, required in columns.items():
        if required:
            out += problems_at(file, frame, frame[col] == "", col,
                               f"{col} is required but blank; fill it in")
    return out


def check_ids(file: str, frame: pd.DataFrame, column: str) -> list[Problem]:
    """Ids are unique slugs (letters, digits, '-', '_', '.'; a letter or digit first).

    Each repeat names the line of the first use.
    """
    values = frame[column]
    first_use = ~values.duplicated(keep="first")
    dup = ~first_use & (values != "")
    first = frame.loc[first_use, [column, LINE]].set_index(column)[LINE]
    bad_slug = (values != "") & ~values.str.fullmatch(SLUG)
    return (
        problems_at(file, frame, dup, column,
                    lambda i: f"duplicate {column} {values.iat[i]!r} (first used on line "
                              f"{first[values.iat[i]]}); every row needs its own {column}")
        + problems_at(file, frame, bad_slug, column,
                      lambda i: f"{values.iat[i]!r} is not a valid id; use letters, digits, '-', "
                                f"'_' and '.' only (e.g. {slugify(values.iat[i]) or 'my-id'!r})")
    )


def slugify(text: str) -> str:
    """Turn text into an id slug.

    Examples
    --------
    >>> slugify("Graz Consulate, Österreich")
    'graz-consulate-osterreich'
    """
    return re.sub(r"[^a-z0-9]+", "-", normalize(text)).strip("-")


def check_dates(file: str, frame: pd.DataFrame, column: str) -> list[Problem]:
    """Dates must be real calendar dates written YYYY-MM-DD (blank is left to check_required)."""
    values = frame[column]
    parsed = pd.to_datetime(values.where(values.str.fullmatch(DATE)), format="%Y-%m-%d",
                            errors="coerce")
    bad = parsed.isna() & (values != "")
    return problems_at(file, frame, bad, column,
                       lambda i: f"{values.iat[i]!r} is not a date (expected YYYY-MM-DD); write "
                                 "the day it happened, e.g. 2011-12-16")


def check_countries(file: str, frame: pd.DataFrame, column: str, codes: frozenset[str],
                    gaz: Gazetteer | None = None) -> list[Problem]:
    """Check that countries are ISO 3166-1 alpha-2 codes in capitals.

    With a gazetteer, a country written as a name gets its code as a hint.
    """
    values = frame[column]
    bad = (values != "") & ~values.isin(codes)

    def text(i: int) -> str:
        v = values.iat[i]
        code = v.upper() if v.upper() in codes else (gaz.country_code(v) if gaz else None)
        hint = f"; did you mean {code!r}?" if code else ""
        return (f"{v!r} is not an ISO 3166-1 alpha-2 country code (two capital letters, e.g. "
                f"DE for Germany){hint}")

    return problems_at(file, frame, bad, column, text)


def check_represents(venues: pd.DataFrame, gaz: Gazetteer) -> list[Problem]:
    """For an embassy or consulate, ``represents`` is the ISO alpha-2 code of its country."""
    values = venues["represents"]
    codes = gaz.country_codes()
    bad = venues["kind"].isin(MISSION_KINDS) & (values != "") & ~values.isin(codes)

    def text(i: int) -> str:
        v = values.iat[i]
        code = gaz.country_code(v) or (v.upper() if v.upper() in codes else None)
        hint = f"; write {code!r}" if code else " (e.g. KZ for Kazakhstan)"
        return (f"{v!r} is not an ISO 3166-1 alpha-2 country code; for an {venues['kind'].iat[i]}"
                f", represents is the code of the country it represents{hint}")

    return problems_at("venues.csv", venues, bad, "represents", text)


def is_safe_link(value: str) -> bool:
    """Whether ``value`` is an absolute http(s) URL (the only absolute links protest-map writes).

    Examples
    --------
    >>> is_safe_link("https://example.org/a"), is_safe_link("javascript:alert(1)")
    (True, False)
    """
    return re.fullmatch(HTTP_URL, value) is not None


def check_links(file: str, frame: pd.DataFrame, column: str) -> list[Problem]:
    """Links must be http:// or https:// URLs (no ``javascript:``, ``data:``, ``file:`` ...)."""
    values = frame[column]
    bad = (values != "") & ~values.str.fullmatch(HTTP_URL)
    return problems_at(file, frame, bad, column,
                       lambda i: f"{values.iat[i]!r} is not an http(s) link; only http:// and "
                                 "https:// links are allowed (or leave it blank)")


def check_choice(file: str, frame: pd.DataFrame, column: str,
                 allowed: Sequence[str]) -> list[Problem]:
    """Values must be one of ``allowed``; blanks are left to :func:`check_required`."""
    values = frame[column]
    bad = (values != "") & ~values.isin(allowed)

    def text(i: int) -> str:
        v = values.iat[i]
        near = v.strip().lower().replace(" ", "_").replace("-", "_")
        hint = f"; did you mean {near!r}?" if near in allowed else ""
        return f"{v!r} is not a known {column}; use one of {', '.join(allowed)}{hint}"

    return problems_at(file, frame, bad, column, text)


def check_references(file: str, frame: pd.DataFrame, column: str, targets: pd.Series,
                     target_file: str) -> list[Problem]:
    """Each non-blank ``column`` value must be an id in ``target_file``."""
    values = frame[column]
    bad = (values != "").to_numpy() & (index_in(values, targets) < 0)
    return problems_at(file, frame, bad, column,
                       lambda i: f"unknown {column} {values.iat[i]!r}: no row of {target_file} "
                                 "has this id; add it there or fix the spelling")


def check_venue_countries(file: str, protests: pd.DataFrame, venues: pd.DataFrame,
                          codes: frozenset[str]) -> list[Problem]:
    """Check that a protest's country is its venue's country (when both are valid codes)."""
    pos = index_in(protests["venue_id"], venues["id"])
    code_list = pd.Series(sorted(codes))
    own = index_in(protests["country"], code_list)  # -1: not a code (reported elsewhere)
    theirs = np.append(index_in(venues["country"], code_list), -1)[pos]  # pos -1: no venue
    bad = (own >= 0) & (theirs >= 0) & (own != theirs)
    venue_line = np.append(venues[LINE].to_numpy(), 0)[pos]
    return problems_at(
        file, protests, bad, "country",
        lambda i: f"{protests['country'].iat[i]!r} differs from the country "
                  f"{code_list.iat[theirs[i]]!r} of venue {protests['venue_id'].iat[i]!r} "
                  f"(venues.csv line {int(venue_line[i])}); correct one of them")


def parse_coordinates(file: str, frame: pd.DataFrame) -> tuple[list[Problem], pd.DataFrame]:
    """Turn ``lat``/``lon`` into floats and check them.

    Both or neither must be given; each must be a number in range (lat in [-90, 90], lon in
    [-180, 180]); a decimal comma is reported with the fix.

    Returns
    -------
    problems : list of Problem
    frame : DataFrame
        A copy with ``lat`` and ``lon`` as float columns (NaN where blank or bad; a point with
        only one good coordinate gets NaN for both).
    """
    out = frame.copy()
    problems: list[Problem] = []
    parsed = {}
    for col, limit in (("lat", 90.0), ("lon", 180.0)):
        found, parsed[col] = _parse_coordinate(file, frame, col, limit)
        problems += found
    one_only = (frame["lat"] == "") != (frame["lon"] == "")
    problems += problems_at(file, frame, one_only, "lat",
                            "only one of lat and lon is given; give both, or leave both blank to "
                            "geocode")
    both = parsed["lat"].notna() & parsed["lon"].notna()
    out["lat"] = parsed["lat"].where(both)
    out["lon"] = parsed["lon"].where(both)
    return problems, out


def _parse_coordinate(file: str, frame: pd.DataFrame, col: str,
                      limit: float) -> tuple[list[Problem], pd.Series]:
    raw = frame[col]
    comma = raw.str.fullmatch(DECIMAL_COMMA)
    num = pd.to_numeric(raw.where(raw != ""), errors="coerce").astype(float)
    notnum = num.isna() & (raw != "") & ~comma
    out_of_range = ~(num.abs() <= limit) & num.notna()
    problems = (
        problems_at(file, frame, notnum, col,
                    lambda i: f"{raw.iat[i]!r} is not a number (decimal degrees such as 52.52)")
        + problems_at(file, frame, comma, col,
                      lambda i: f"{raw.iat[i]!r} uses a decimal comma; write "
                                f"{raw.iat[i].replace(',', '.')!r}")
        + problems_at(file, frame, out_of_range, col,
                      lambda i: f"{raw.iat[i]} is out of range (must be between -{limit:g} and "
                                f"{limit:g}); are lat and lon swapped?")
    )
    return problems, num.where(~out_of_range)


def check_in_country(file: str, frame: pd.DataFrame) -> list[Problem]:
    """Each point must fall inside (or within 8 km of) an outline accepting its country.

    ``frame`` has float ``lat``/``lon`` (NaN = no point). The test is
    :func:`geo.outlines.outside_country` (Natural Earth 1:10m; in listed disputed areas either
    claimant's code passes). Countries without an outline (very small states) are not checked.
    When the point with lat and lon exchanged lies in the country, the message says they look
    swapped.
    """
    lat = frame["lat"].to_numpy(dtype=float)
    lon = frame["lon"].to_numpy(dtype=float)
    country = frame["country"].astype(str).to_numpy(dtype=object)
    mask = outlines.outside_country(lat, lon, country)
    if not mask.any():
        return []
    rows = np.flatnonzero(mask)
    swapped = ~outlines.outside_country(lon[rows], lat[rows], country[rows])
    swapped_at = dict(zip(rows, swapped, strict=True))

    def text(i: int) -> str:
        hint = ("lat and lon look swapped: exchange them" if swapped_at[i]
                else "check the coordinates and the country")
        return (f"point ({lat[i]:g}, {lon[i]:g}) lies outside its country {country[i]!r}; "
                f"{hint}")

    return problems_at(file, frame, mask, "lat", text)


def photo_source_kinds(photos: pd.DataFrame) -> tuple[pd.Series, pd.Series, pd.Series]:
    r"""Sort photo ``src`` values: (foreign, outside, local) masks.

    *foreign*: neither an http(s) URL nor a relative path (``javascript:``, ``file:``, ``/abs``,
    ``C:\``...); *outside*: a relative path that climbs out of the data folder (``..``);
    *local*: a relative path inside the data folder (whether the file exists is for
    :func:`geo.tables.check_photo_files`). Blanks and http(s) URLs are in none of them.
    """
    src = photos["src"]
    relative = (src != "") & ~src.str.fullmatch(HTTP_URL)
    foreign = relative & (src.str.match(SCHEME) | src.str.match(r"[/\\]"))
    outside = relative & ~foreign & src.str.contains(r"(?:^|[/\\])\.\.(?:[/\\]|$)")
    return foreign, outside, relative & ~foreign & ~outside


def check_photo_sources(photos: pd.DataFrame) -> list[Problem]:
    """Photo ``src`` is an http(s) URL or a relative path that stays inside the data folder."""
    src = photos["src"]
    foreign, outside, _ = photo_source_kinds(photos)
    return (
        problems_at("photos.csv", photos, foreign, "src",
                    lambda i: f"{src.iat[i]!r} is neither an http(s) link nor a path relative to "
                              "the data folder; use e.g. photos/berlin.jpg or https://...")
        + problems_at("photos.csv", photos, outside, "src",
                      lambda i: f"{src.iat[i]!r} points outside the data folder; keep photos "
                                "inside it (e.g. photos/berlin.jpg)")
    )


def check_placeable(file: str, frame: pd.DataFrame, at_city: pd.Series, gaz: Gazetteer,
                    placed: str, column: str) -> tuple[list[Problem], list[Problem]]:
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
    problems : list of Problem
        Rows whose city (in its country) the gazetteer does not know.
    warnings : list of Problem
        The other rows: each is placed at its city centre, an approximation.
    """
    todo = at_city & (frame["city"] != "") & (frame["country"] != "")
    if not todo.any():
        return [], []
    keys = frame.loc[todo, "city"] + "\x1f" + frame.loc[todo, "country"]
    gaz.prepare(frame.loc[todo, "city"].unique())
    unknown = [k for k in keys.unique() if not gaz.candidates(*k.split("\x1f"))]
    missing = pd.Series(False, index=frame.index)
    missing[todo] = keys.isin(unknown)
    ids, city, country = frame["id"], frame["city"], frame["country"]
    problems = problems_at(file, frame, missing, "city",
                           lambda i: f"{city.iat[i]!r} ({country.iat[i]}) is not in the offline "
                                     "gazetteer, so this row cannot be placed; give lat/lon (or a "
                                     "venue with lat/lon), or a nearby larger city")
    warnings = problems_at(file, frame, todo & ~missing, column,
                           lambda i: f"{ids.iat[i]!r} " + placed.format(city=city.iat[i]))
    return problems, warnings


def approximation_warnings(venues: pd.DataFrame) -> list[Problem]:
    """Venues whose coordinates are approximate, or whose precision or source is not stated."""
    has = venues["lat"].notna()
    precision, name = venues["precision"], venues["name"]
    approx = has & precision.isin(PRECISIONS[1:])
    return (
        problems_at("venues.csv", venues, approx, "precision",
                    lambda i: f"{name.iat[i]!r} is placed approximately ({precision.iat[i]} "
                              "precision)")
        + problems_at("venues.csv", venues, has & (precision == ""), "precision",
                      "precision is blank; the point is taken as exact (venue). Say how exact it "
                      "is: " + ", ".join(PRECISIONS))
        + problems_at("venues.csv", venues, has & (venues["source"] == ""), "source",
                      "source is blank; say where lat/lon came from (e.g. 'manual', "
                      "'nominatim:node/123', 'Wikidata Q42')")
    )


def html_warnings(file: str, frame: pd.DataFrame, column: str) -> list[Problem]:
    """Text that looks like HTML: it is shown as plain text, so the tags would show."""
    values = frame[column]
    tagged = values.str.contains(HTML_TAG)

    def text(i: int) -> str:
        tag = re.search(HTML_TAG, values.iat[i])
        return (f"looks like HTML ({tag.group() if tag else '<...>'!r}); {column} is plain text "
                "and shown as written, tags included: remove them")

    return problems_at(file, frame, tagged, column, text)
