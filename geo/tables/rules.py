"""The rules of the data contract, as pure functions of DataFrames.

Each ``check_*`` takes a table (all values stripped strings, column ``_line`` = the line each row
starts on) and returns :class:`~geo.errors.Problems`, one per offending row, each naming
file, line and column, the value, what was expected and how to fix it. Checks are vectorised over
columns (pandas/pyarrow), so a million rows take seconds; every offending row is found, and its
message is formatted only when read (:class:`~geo.errors.Problems`).

:func:`validate` runs every rule over the tables of a data folder; :mod:`geo.tables` does the
reading and the file-system checks.
"""

from __future__ import annotations

from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pandas as pd

from geo.errors import Problems
from geo.places.gazetteer import Gazetteer
from geo.places.resolve import SUCCESSORS
from geo.schema import (
    CONTEXT_COLUMNS,
    PHOTO_COLUMNS,
    PRECISIONS,
    PROTEST_COLUMNS,
    VENUE_COLUMNS,
    VENUE_KINDS,
)
from geo.tables.columns import (
    HTTP_URL,
    LINE,
    SCHEME,
    Cells,
    check_choice,
    check_countries,
    check_date_span,
    check_dates,
    check_ids,
    check_links,
    check_references,
    check_required,
    html_warnings,
    index_in,
    problems_at,
)
from geo.tables.limits import check_lengths
from geo.tables.placement import (
    approximation_warnings,
    check_in_country,
    check_placeable,
    check_regions,
    check_represents,
    check_venue_countries,
    parse_coordinates,
)


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

    problems: Problems
    warnings: Problems
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
    problems = Problems()
    warnings = Problems()
    protests, venues = tables["protests.csv"], tables["venues.csv"]
    photos, context = tables["photos.csv"], tables["context.csv"]
    with ThreadPoolExecutor(max_workers=1) as pool:
        # The protests' own rules meanwhile, on the other core: they are mostly Arrow kernels,
        # which let go of the GIL, and they ask nothing of the gazetteer but its country codes.
        own = (pool.submit(protest_rules, "protests.csv", protests, gaz.country_codes(), gaz)
               if protests is not None else None)
        if venues is not None:
            found, warned, out["venues.csv"] = check_venues(venues, gaz)
            problems += found
            warnings += warned
        known_venues = out["venues.csv"] if complete["venues.csv"] else None
        if protests is not None and own is not None:
            found, warned = own.result()
            problems += found
            warnings += warned
            found, warned = protest_places("protests.csv", protests, known_venues, gaz)
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
                   gaz: Gazetteer) -> tuple[Problems, Problems]:
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
    problems, warnings : Problems
    """
    problems, warnings = protest_rules(file, protests, gaz.country_codes(), gaz)
    found, warned = protest_places(file, protests, venues, gaz)
    return problems + found, warnings + warned


def protest_rules(file: str, protests: pd.DataFrame, codes: frozenset[str],
                  gaz: Gazetteer) -> tuple[Problems, Problems]:
    """The rules about ``protests.csv`` that need no other table and no place lookup.

    Lengths, required values, ids, dates, countries (``codes``: the gazetteer's; ``gaz`` only
    words the hint of a message when it is read), links, and text that looks like HTML.

    Returns
    -------
    problems, warnings : Problems
    """
    problems = (check_lengths(file, protests)
                + check_required(file, protests, PROTEST_COLUMNS)
                + check_ids(file, protests, "id")
                + check_date_span(file, protests, "date", "end_date")
                + check_countries(file, protests, "country", codes | SUCCESSORS.keys(), gaz)
                + check_links(file, protests, "source_url"))
    warnings = html_warnings(file, protests, "summary") + html_warnings(file, protests, "location")
    return problems, warnings


def protest_places(file: str, protests: pd.DataFrame, venues: pd.DataFrame | None,
                   gaz: Gazetteer) -> tuple[Problems, Problems]:
    """The rules about where each protest is: its venue, its own point, or its city.

    ``venues`` None skips the checks that need them (see :func:`check_protests`).

    Returns
    -------
    problems, warnings : Problems
    """
    codes = gaz.country_codes()
    problems, warnings = Problems(), Problems()
    if venues is not None:
        at = index_in(protests["venue_id"], venues["id"])
        problems += check_references(file, protests, "venue_id", at, "venues.csv")
        problems += check_venue_countries(file, protests, venues, at, codes)
    found, warned, own = check_protest_points(file, protests)
    problems += found
    warnings += warned
    at_city = (protests["venue_id"] == "") & ~own
    found, warned = check_placeable(file, protests, at_city, gaz,
                                    "has no venue_id; it is placed at the centre of {city} "
                                    "(city precision)", "venue_id")
    warnings += check_regions(file, protests, ~at_city)
    return problems + found, warnings + warned


def check_protest_points(file: str,
                         protests: pd.DataFrame) -> tuple[Problems, Problems, pd.Series]:
    """A protest's own point (``lat``, ``lon``, ``precision``), checked as a venue's.

    Both coordinates or neither, numbers in range, inside the row's country; ``precision`` is
    required with them (a source's point is often a town's or a country's centre, so it is not
    taken as exact) and means nothing without them. A row with a ``venue_id`` is placed at its
    venue: its own point is checked, then ignored, with a warning.

    Returns
    -------
    problems, warnings : Problems
    own : Series of bool
        Rows that give lat or lon: they need no gazetteer lookup of their city.
    """
    point = protests[[LINE, "country", "lat", "lon"]]  # not a copy of every column
    found, parsed = parse_coordinates(file, point,
                                      blank="to place the protest at its venue or city")
    given = (protests["lat"] != "") | (protests["lon"] != "")
    precision = protests["precision"]
    ids, venue = Cells(protests["id"]), Cells(protests["venue_id"])
    problems = (found + check_in_country(file, parsed)
                + check_choice(file, protests, "precision", PRECISIONS)
                + problems_at(file, protests, given & (precision == ""), "precision",
                              "precision is blank; with lat/lon, say how exact the point is: "
                              + ", ".join(PRECISIONS), rule="blank-precision")
                + problems_at(file, protests, ~given & (precision != ""), "precision",
                              "precision is given without lat/lon; fill in lat/lon or clear "
                              "precision (a venue's precision is in venues.csv)",
                              rule="precision-without-point"))
    ignored = parsed["lat"].notna() & (protests["venue_id"] != "")
    warnings = problems_at(file, protests, ignored, "lat",
                           lambda i: f"{ids[i]!r} has a venue_id and its own lat/lon; it is "
                                     f"placed at venue {venue[i]!r} and its lat/lon are "
                                     "ignored: clear them, or clear venue_id to use them",
                           rule="point-ignored")
    return problems, warnings, given


def check_venues(venues: pd.DataFrame, gaz: Gazetteer, *, cities_must_be_known: bool = True
                 ) -> tuple[Problems, Problems, pd.DataFrame]:
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
    problems = (check_lengths(f, venues)
                + check_required(f, venues, VENUE_COLUMNS)
                + check_ids(f, venues, "id")
                + check_choice(f, venues, "kind", VENUE_KINDS)
                + check_choice(f, venues, "precision", PRECISIONS)
                + check_countries(f, venues, "country", codes, gaz)
                + check_represents(venues, gaz))
    no_point = (venues["lat"] == "") & (venues["lon"] == "")
    found, venues = parse_coordinates(f, venues)
    problems += found + check_in_country(f, venues)
    warned = Problems()
    if cities_must_be_known:
        found, warned = check_placeable(f, venues, no_point, gaz,
                                        "has no coordinates; it is placed at the centre of "
                                        "{city} (city precision). Run `protest-map geocode` or "
                                        "fill in lat/lon", "lat")
        problems += found
    by_city = no_point if cities_must_be_known else no_point & False  # checked with the city
    warned += check_regions(f, venues, ~by_city)
    return problems, warned + approximation_warnings(venues), venues


def check_photos(photos: pd.DataFrame, protest_ids: pd.Series | None) -> Problems:
    """Check every rule about ``photos.csv`` but whether files exist (see geo.tables).

    ``protest_ids`` are the ids ``protest_id`` may refer to; None to skip that check.
    """
    problems = (check_lengths("photos.csv", photos)
                + check_required("photos.csv", photos, PHOTO_COLUMNS)
                + check_photo_sources(photos))
    if protest_ids is not None:
        problems += check_references("photos.csv", photos, "protest_id",
                                     index_in(photos["protest_id"], protest_ids),
                                     "protests.csv")
    return problems


def check_context(context: pd.DataFrame,
                  gaz: Gazetteer) -> tuple[Problems, Problems, pd.DataFrame]:
    """Every rule about ``context.csv``; also returns it with float ``lat``/``lon``."""
    f = "context.csv"
    problems = (check_lengths(f, context)
                + check_required(f, context, CONTEXT_COLUMNS)
                + check_ids(f, context, "id")
                + check_dates(f, context, "date")
                + check_choice(f, context, "precision", PRECISIONS)
                + check_countries(f, context, "country", gaz.country_codes(), gaz)
                + check_links(f, context, "source_url"))
    warnings = html_warnings(f, context, "summary")
    found, context = parse_coordinates(f, context)
    return problems + found + check_in_country(f, context), warnings, context


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


def check_photo_sources(photos: pd.DataFrame) -> Problems:
    """Photo ``src`` is an http(s) URL or a relative path that stays inside the data folder."""
    src = Cells(photos["src"])
    foreign, outside, _ = photo_source_kinds(photos)
    return (
        problems_at("photos.csv", photos, foreign, "src",
                    lambda i: f"{src[i]!r} is neither an http(s) link nor a path relative to "
                              "the data folder; use e.g. photos/berlin.jpg or https://...",
                    rule="bad-photo-src")
        + problems_at("photos.csv", photos, outside, "src",
                      lambda i: f"{src[i]!r} points outside the data folder; keep photos "
                                "inside it (e.g. photos/berlin.jpg)", rule="photo-outside-folder")
    )


