"""Mass Mobilization (protests against governments, 1990–2020) CSV → ``protests.csv`` rows.

Rows with ``protest`` 0 (a country-year in which the project found no protest) are skipped.
``location`` is free text, read by :func:`read_location`:

* ``national``, ``nationwide``, ``countrywide`` (and the like): a protest across the country.
  It is kept at country precision: ``city`` is the country's name (the contract requires a
  city, and no city is true), ``lat``/``lon`` the country's representative point;
* ``Montreal, Quebec``: a city and its region;
* ``Kiev, Lviv and Odessa``: several cities. The row stays one protest, placed at the first
  city; the summary names the others. (Mass Mobilization counts one protest there; splitting it
  would invent protests the source does not count.)

Historic states (``Yugoslavia``, ``Czechoslovakia``) map to the successor state whose city it
is; the summary says what the source called the country. The mapping is in
``docs/importing.md``.

Examples
--------
>>> places = Places(lambda city, country: city in ("Kiev", "Lviv", "Odessa", "Montreal"),
...                 lambda code: (49.0, 32.0))
>>> read_location("Kiev, Lviv and Odessa", "UA", places)
Location(city='Kiev', region='', others=('Lviv', 'Odessa'), national=False)
>>> read_location("Montreal, Quebec", "CA", places)
Location(city='Montreal', region='Quebec', others=(), national=False)
>>> read_location("nationwide", "UA", places).national
True
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

import pandas as pd

from geo.extract.lexicon import REGIONS
from geo.places.names import normalize

from .common import (
    SKIPPED,
    TEXT,
    Issue,
    Mapped,
    blank_rows,
    col,
    date_from_parts,
    id_slugs,
    issues_at,
    join_text,
    sentence,
    shorten,
)
from .countries import CountryCodes

COLUMNS: Final = {
    "id": True, "country": True, "protest": True, "startday": True, "startmonth": True,
    "startyear": True, "location": True, "ccode": False, "year": False, "protestnumber": False,
    "endday": False, "endmonth": False, "endyear": False, "participants_category": False,
    "participants": False, "protesteridentity": False, "protesterdemand1": False,
    "protesterdemand2": False, "protesterdemand3": False, "protesterdemand4": False,
    "sources": False, "notes": False, "region": False,
}
"""Mass Mobilization columns read, mapped to whether the header must have them."""

NATIONAL: Final = frozenset({
    "national", "nationwide", "nation wide", "countrywide", "country wide", "across the country",
    "throughout the country", "all over the country", "nationally", "national level",
})
"""``location`` values (folded) meaning a protest across the country."""

_SPLIT = re.compile(r"\s*(?:,|;|/|&|\band\b)\s*", re.IGNORECASE)
_URL = re.compile(r"https?://[^\s,;\"'<>]+", re.IGNORECASE)


@dataclass(frozen=True)
class Places:
    """What the mapping needs to know about places (given by the caller: no I/O here).

    Parameters
    ----------
    is_city
        Whether a name is a city of a country (ISO code) in the offline gazetteer.
    country_point
        ``(lat, lon)`` that stands for a country (inside it), or None.
    """

    is_city: Callable[[str, str], bool]
    country_point: Callable[[str], tuple[float, float] | None]


@dataclass(frozen=True)
class Location:
    """A Mass Mobilization ``location`` read.

    Parameters
    ----------
    city
        The (first) city, or ``""`` for a national protest.
    region
        A region the text names after the city ("Quebec").
    others
        Further cities the text names.
    national
        The protest was across the country.
    """

    city: str
    region: str
    others: tuple[str, ...]
    national: bool


def read_location(text: str, country: str, places: Places) -> Location:
    """Read a free-text location (see the module's rules).

    Parameters
    ----------
    text
        The source's words.
    country
        ISO code of the row's country.
    places
        Gazetteer answers.
    """
    key = normalize(text).strip(" .")
    if not key:
        return Location("", "", (), False)
    if key in NATIONAL:
        return Location("", "", (), True)
    parts = [p.strip(" .()") for p in _SPLIT.split(text) if p.strip(" .()")]
    parts = [p for p in parts if normalize(p) not in _country_words(country)]
    if not parts:
        return Location("", "", (), True)
    regions = [p for p in parts[1:] if REGIONS.get(normalize(p)) == country]
    parts = [p for p in parts if p not in regions]
    cities = [p for p in parts if places.is_city(p, country)]
    if regions and parts:
        return Location((cities or parts)[0], regions[0],
                        tuple(p for p in parts if p != (cities or parts)[0]), False)
    if len(cities) >= 2:
        return Location(cities[0], "", tuple(cities[1:]), False)
    first = cities[0] if cities else parts[0]
    rest = [p for p in parts if p != first]
    region = next((p for p in rest if REGIONS.get(normalize(p)) == country), "")
    if not region and len(rest) == 1 and "," in text and not cities[1:]:
        region = rest[0]
    others = tuple(p for p in rest if p != region)
    return Location(first, region, others, False)


def _country_words(country: str) -> set[str]:
    name = normalize(CountryCodes.default().name_of(country))
    return {name, normalize(country), "the " + name}


def map_mm(frame: pd.DataFrame, file: str, codes: CountryCodes, places: Places) -> Mapped:
    """Map Mass Mobilization rows (strings, with ``_line``) onto ``protests.csv`` columns.

    Parameters
    ----------
    frame
        The CSV as read.
    file
        Its name, for issues.
    codes
        Country lookups.
    places
        Gazetteer answers for locations.

    Returns
    -------
    Mapped
    """
    issues: list[Issue] = []
    flag = col(frame, "protest").str.replace(r"\.0$", "", regex=True)
    issues += issues_at(file, frame, flag == "0", "protest",
                        "not a protest: protest = 0 (a country-year with no protest found)",
                        "left out", outcome=SKIPPED, reason="not a protest (protest = 0)")
    src = frame[(flag != "0").to_numpy()]
    out = blank_rows(len(src), src.index)
    own = col(src, "id").str.replace(r"\.0$", "", regex=True)
    made = (col(src, "ccode") + col(src, "year") + col(src, "protestnumber").str.zfill(4))
    own = own.where(own != "", made.where(col(src, "ccode") != "", ""))
    out["id"] = id_slugs("mm", own)
    out["source"] = ("mm:" + own).where(own != "", "")
    out["date"] = date_from_parts(col(src, "startyear"), col(src, "startmonth"),
                                  col(src, "startday"))
    end = date_from_parts(col(src, "endyear"), col(src, "endmonth"), col(src, "endday"))
    out["end_date"] = end.where((end > out["date"]) & (out["date"] != ""), "")
    country_raw = col(src, "country")
    location = col(src, "location")
    out["location"] = location
    notes: list[str] = []
    cities, regions, countries, lats, lons, precisions = [], [], [], [], [], []
    lookups = {n: codes.from_name(n) for n in country_raw.unique()}
    for name, text in zip(country_raw.tolist(), location.tolist(), strict=True):
        code = lookups[name] or ""
        note = ""
        if not code and (successors := codes.historic(name)):
            code = next((c for c in successors
                         if read_location(text, c, places).city
                         and places.is_city(read_location(text, c, places).city, c)),
                        successors[0])
            note = f"The source records the country as {name}."
        loc = read_location(text, code, places) if code else Location(text, "", (), False)
        point = places.country_point(code) if code and loc.national else None
        if loc.national:
            cities.append(codes.name_of(code) if code else "")
            precisions.append("country" if point else "")
            lats.append(f"{point[0]:.4f}" if point else "")
            lons.append(f"{point[1]:.4f}" if point else "")
            note = join_note("Nationwide protest; placed at the country, not at a city.", note)
        else:
            cities.append(loc.city)
            precisions.append("")
            lats.append("")
            lons.append("")
            if loc.others:
                also = ", ".join(loc.others[:-1]) + (" and " if len(loc.others) > 1 else "")
                note = join_note(f"The source also names {also}{loc.others[-1]}; placed at "
                                 f"{loc.city}.", note)
        regions.append(loc.region)
        countries.append(code)
        notes.append(note)
    out["city"], out["region"], out["country"] = cities, regions, countries
    out["lat"], out["lon"], out["precision"] = lats, lons, precisions
    demands = [col(src, f"protesterdemand{i}") for i in range(1, 5)]
    demands = [d.where(d != ".", "") for d in demands]
    demand_text = join_text(demands, "; ")
    body = col(src, "notes")
    out["summary"] = join_text([
        sentence(("Demands: " + demand_text).where(demand_text != "", "")),
        sentence(body), pd.Series(notes, index=src.index)])
    out["summary"] = out["summary"].where(out["summary"] != "",
                                          "Protest recorded by Mass Mobilization.")
    people = col(src, "participants")
    out["participants"] = people.where(people != "", col(src, "participants_category"))
    out["organizer"] = col(src, "protesteridentity").where(
        col(src, "protesteridentity").str.casefold() != "unspecified", "")
    sources = col(src, "sources")
    out["source_url"] = sources.str.extract(f"({_URL.pattern})", flags=re.IGNORECASE,
                                            expand=False).fillna("")
    out["source_title"] = ("Mass Mobilization; sources: "
                           + sources.map(lambda s: shorten(s, 200))).where(
        sources != "", "Mass Mobilization")
    out[TEXT] = body
    out["_line"] = src["_line"]

    start = col(src, "startyear") + "-" + col(src, "startmonth") + "-" + col(src, "startday")
    issues += issues_at(file, src, own == "", "id", "no id", "give id (or ccode, year and "
                        "protestnumber)", reason="no id")
    issues += issues_at(file, src, out["date"] == "", "startday",
                        "no start date (startyear, startmonth, startday)",
                        "give the day the protest began as three numbers", reason="no date",
                        values=start)
    issues += issues_at(file, src, out["country"] == "", "country",
                        "not a country name known to the gazetteer",
                        "use the English name (e.g. Ukraine)", reason="unknown country")
    issues += issues_at(file, src, (out["city"] == "") & (out["country"] != ""), "location",
                        "no place", "write the city, or national for a nationwide protest",
                        reason="no place")
    bad_lines = {i.line for i in issues if i.outcome != SKIPPED}
    keep = ~src["_line"].isin(bad_lines).to_numpy()
    return Mapped(out[keep], issues, len(frame))


def join_note(first: str, second: str) -> str:
    """Two notes as one text."""
    return f"{first} {second}".strip() if second else first
