"""Where a row's city is: one place, or a clear error, and an honest word when it was a guess.

:func:`resolve_city` turns a table's ``city``, ``country`` and optional ``region`` into a
:class:`Resolution`:

* a **region** (name or code, :mod:`geo.places.regions`) chooses among same-named places; an
  unknown region is an error that suggests the closest names, unless every place of the city's
  name in the country lies in one region: then it is placed there, with a note and a warning;
* **ambiguity**: without a region, a name that fits places in several regions of the country
  is placed at the most populous one, with a warning that names the candidates and a note (for
  the popup and ``events.geojson``) that the place was chosen by population. Every place of the
  name in another region counts, however small: on real US data (``docs/placement.md``) the
  small namesakes are where most wrong guesses land;
* **where places are today**: a country code of a state that no longer exists (SU, YU, CS, DD,
  …, :data:`SUCCESSORS`) is resolved by the city to its successor state, and a city given under a
  country that does not hold it today but whose outline accepts that country there (Hong Kong
  under CN, Sevastopol under RU: :mod:`geo.places.outlines`) resolves to where GeoNames lists
  it; both with a note;
* **did you mean**: an unknown place gets the closest known names in that country; a known
  city under the wrong country gets that country named;
* **a wider place**: a name the gazetteer does not know that names part of a place it knows
  (ACLED's "Rio de Janeiro-North Zone", "Lancaster Township", "(East) Chicago") is placed at
  that place, with a note (:func:`broader_names`);
* **the region, when nothing narrower is known**: a town the gazetteer does not know (a village,
  a district), given with a region it knows, is placed at ``region`` precision, at the place
  nearest the middle of the region (:meth:`~geo.places.gazetteer.Gazetteer.centre_of`), with a
  note for readers and a warning that says how to do better (the closest names, or lat/lon).
  A known place in another country is not: the country is then likelier wrong than the town.

Examples
--------
>>> from geo.places.gazetteer import default_gazetteer
>>> from geo.places.regions import default_regions
>>> gaz, regions = default_gazetteer(), default_regions()
>>> r = resolve_city(gaz, regions, "Portland", "US", "ME")
>>> r.place.admin1, r.region, r.note
('ME', 'Maine', '')
>>> r = resolve_city(gaz, regions, "Portland", "US")
>>> r.place.admin1, r.note.split(";")[0]
('OR', 'Chosen by population among places called Portland in the United States')
>>> r = resolve_city(gaz, regions, "Kyiv", "SU")
>>> r.country, r.note.split(";")[0]
('UA', 'Given under SU (Soviet Union, no longer a state)')
>>> resolve_city(gaz, regions, "Beruit", "LB").error.split("; ")[-1]
'did you mean Beirut?'
"""

from __future__ import annotations

import difflib
import re
import weakref
from dataclasses import dataclass
from typing import Final

from geo.places.gazetteer import Gazetteer, Place
from geo.places.names import normalize
from geo.places.outlines import outside_country
from geo.places.regions import Region, Regions

SUCCESSORS: Final[dict[str, tuple[str, tuple[str, ...]]]] = {
    "SU": ("Soviet Union", ("RU", "UA", "BY", "KZ", "UZ", "GE", "AZ", "AM", "MD", "LT", "LV",
                            "EE", "KG", "TJ", "TM")),
    "YU": ("Yugoslavia", ("RS", "HR", "SI", "BA", "MK", "ME", "XK")),
    "CS": ("Czechoslovakia, or Serbia and Montenegro", ("CZ", "SK", "RS", "ME", "XK")),
    "DD": ("East Germany", ("DE",)),
    "ZR": ("Zaire", ("CD",)),
    "BU": ("Burma", ("MM",)),
    "TP": ("East Timor", ("TL",)),
    "YD": ("South Yemen", ("YE",)),
    "AN": ("Netherlands Antilles", ("CW", "SX", "BQ")),
    "DY": ("Dahomey", ("BJ",)),
    "HV": ("Upper Volta", ("BF",)),
    "RH": ("Rhodesia", ("ZW",)),
}
"""ISO 3166-3 codes of former states: their name and the states that hold their land today."""

_PARENTHESES: Final = re.compile(r"\([^()]*\)")
_PARTS: Final = frozenset({"township", "borough", "village", "municipality"})
"""Last words that make a name a part of the place the words before it name."""

SUGGESTIONS: Final = 3

_MEMO: weakref.WeakKeyDictionary[Gazetteer, dict[tuple[int, str, str, str], Resolution]] = (
    weakref.WeakKeyDictionary())
"""Resolutions already made, per gazetteer (a cache: it changes no answer)."""
"""Names suggested for an unknown place or region."""


@dataclass(frozen=True)
class Resolution:
    """What :func:`resolve_city` found.

    Attributes
    ----------
    place
        The place, or None when the row cannot be placed (see ``error``).
    country
        Where the place is (differs from the row's for former states and dependencies).
    region
        The region's name ("Maine"): the row's, else the chosen place's; blank when unknown.
    note
        For readers (popup, ``events.geojson``): how the place was chosen, when it was a choice.
    warning
        For the editor: the same, saying how to make it certain (add a region).
    error, column
        Why the row cannot be placed (with the closest names), and the column to fix.
    precision
        ``city``, or ``region`` when only the region is known (the place is then the one
        nearest its middle, standing for the whole region).
    unknown, close
        Whether the name is unknown to the gazetteer (in the country and elsewhere), and the
        closest known names in the country, most populous first.
    """

    place: Place | None
    country: str
    region: str = ""
    note: str = ""
    warning: str = ""
    error: str = ""
    column: str = "city"
    precision: str = "city"
    unknown: bool = False
    close: tuple[str, ...] = ()


def resolve_city(gaz: Gazetteer, regions: Regions, city: str, country: str,
                 region: str = "") -> Resolution:
    """Place a row's ``city`` in ``country`` (and ``region``), or say why it cannot be placed.

    Parameters
    ----------
    gaz, regions
        The gazetteer and the regions table.
    city, country, region
        The row's values (stripped); ``country`` an ISO alpha-2 code, current or former.

    Returns
    -------
    Resolution
        Remembered per gazetteer: validation and the join of one build ask once per place.
    """
    memo = _MEMO.setdefault(gaz, {})
    key = (id(regions), city, country, region)
    if key not in memo:
        memo[key] = _resolve_with_wider(gaz, regions, city, country, region)
    return memo[key]


def _resolve_with_wider(gaz: Gazetteer, regions: Regions, city: str, country: str,
                        region: str) -> Resolution:
    """:func:`_resolve`, then the wider places of a name it cannot place."""
    found = _resolve(gaz, regions, city, country, region)
    if found.place is not None or found.column != "city":
        return found
    for broader in broader_names(city):  # "Rio de Janeiro-North Zone": Rio de Janeiro
        wider = _resolve(gaz, regions, broader, country, region)
        if wider.place is not None:
            note = "; ".join(n for n in (
                f"{city!r} is not in the gazetteer: placed at {wider.place.name}", wider.note)
                if n)
            return Resolution(wider.place, wider.country, wider.region, note,
                              f"{city!r}, {country}: {note}", precision=wider.precision)
    return _in_region(gaz, regions, city, country, region, found)


def _in_region(gaz: Gazetteer, regions: Regions, city: str, country: str, region: str,
               found: Resolution) -> Resolution:
    """A town the gazetteer does not know, placed at region precision in its known region."""
    wanted = regions.find_all(country, region) if region and found.unknown else []
    seat = gaz.centre_of(country, {r.admin1 for r in wanted}) if wanted else None
    if seat is None:
        return found
    label = wanted[0].label
    note = (f"{city} is not in the offline gazetteer: shown at region precision, near the middle "
            f"of {label}")
    hint = _did_you_mean(found.close) or "give lat/lon for a precise point"
    return Resolution(seat, seat.country, label, note, f"{city!r}, {country}: {note}; {hint}",
                      precision="region")


def broader_names(city: str) -> list[str]:
    """Names of the wider place a district-like name is part of, most specific first.

    Examples
    --------
    >>> broader_names("Rio de Janeiro-North Zone"), broader_names("Lancaster Township")
    (['Rio de Janeiro'], ['Lancaster'])
    >>> broader_names("(East) Chicago"), broader_names("Berlin")
    (['Chicago'], [])
    """
    out: list[str] = []
    words = city.split()
    unsuffixed = " ".join(words[:-1]) if words and words[-1].casefold() in _PARTS else city
    for name in (_PARENTHESES.sub(" ", city), city.split("-", 1)[0], unsuffixed):
        name = " ".join(name.split())
        if name and name != city and name not in out:
            out.append(name)
    return out


def _resolve(gaz: Gazetteer, regions: Regions, city: str, country: str,
             region: str) -> Resolution:
    """:func:`resolve_city` of the name as written."""
    former = SUCCESSORS.get(country)
    countries = former[1] if former else (country,)
    wanted: list[Region] = []
    if region:
        wanted = [r for c in countries for r in regions.find_all(c, region)]
        if not wanted:
            return (None if former else _past_unknown_region(gaz, regions, city, country, region)
                    ) or _unknown_region(regions, region, countries, country)
    found = [p for c in countries for p in gaz.candidates(city, c)]
    in_region = [p for p in found if any(p.admin1 == r.admin1 and p.country == r.country
                                         for r in wanted)] if wanted else found
    if not in_region:
        return _not_found(gaz, regions, city, country, countries, wanted, found)
    best = _rank(in_region)[0]
    name = wanted[0].label if wanted else _region_name(regions, best)
    notes: list[str] = []
    if former:
        notes.append(f"Given under {country} ({former[0]}, no longer a state); {best.name} is "
                     f"in {gaz.country_name(best.country)} today")
    warning = ""
    rivals = [] if wanted else _rivals(in_region, best)
    if rivals:
        where = gaz.country_name(best.country)
        listed = " or ".join(_described(regions, p) for p in [best, *rivals[:3]])
        notes.append(f"Chosen by population among places called {city} in the {where}"
                     if where.startswith("United") else
                     f"Chosen by population among places called {city} in {where}")
        warning = (f"{city!r}, {country}: {listed}; placed at the first. Add a region column "
                   f"value (e.g. {_region_example(regions, best)}) to choose")
    note = "; ".join(notes)
    if former and not warning:
        warning = f"{city!r}: {note}"
    return Resolution(best, best.country, name, note, warning)


def _rank(places: list[Place]) -> list[Place]:
    """Own names before alternates, then most people; an alternate of a far larger place wins."""
    return sorted(places, key=lambda p: (-p.population * (1 if p.matched == "name" else 0.05),
                                         p.geonameid))


def _rivals(places: list[Place], best: Place) -> list[Place]:
    """The largest same-named place of each other region: each makes the name ambiguous."""
    seen = {(best.country, best.admin1)}
    out = []
    for p in _rank(places):
        where = (p.country, p.admin1)
        if where not in seen and p.matched == best.matched:
            seen.add(where)
            out.append(p)
    return out


def _region_name(regions: Regions, place: Place) -> str:
    r = regions.get(place.country, place.admin1)
    return r.label if r else ""


def _described(regions: Regions, place: Place) -> str:
    where = _region_name(regions, place) or place.admin1 or place.country
    return f"{place.name}, {where} ({place.population:,})"


def _region_example(regions: Regions, place: Place) -> str:
    r = regions.get(place.country, place.admin1)
    if r is None:
        return "the state or province"
    return repr(r.iso_code.split("-", 1)[1]) if r.iso_code else repr(r.name)


def _past_unknown_region(gaz: Gazetteer, regions: Regions, city: str, country: str,
                         region: str) -> Resolution | None:
    """The place for a region the table does not know, when the city's name is not ambiguous.

    Datasets name regions the table lacks (ACLED's "Beirut", "Distrito Federal"). None when the
    name is unknown in the country or fits places in more than one of its regions, however
    small: then only the region could tell them apart.
    """
    found = gaz.candidates(city, country)
    if len({p.admin1 for p in found}) != 1:  # unknown, or in several regions: the region decides
        return None
    best = _rank(found)[0]
    where = _region_name(regions, best)
    note = (f"Region {region!r} is not one the gazetteer knows; placed at {best.name}"
            + (f", {where}" if where else "") + f", the most populous place called {city} in "
            f"{gaz.country_name(best.country)}")
    close = regions.suggest(country, region, SUGGESTIONS)
    hint = ("did you mean " + " or ".join(r.name for r in close) + "?") if close else (
        "write the state, province or Land by its name or ISO 3166-2 code")
    return Resolution(best, best.country, where, note, f"{city!r}, {country}: {note}; {hint}")


def _unknown_region(regions: Regions, region: str, countries: tuple[str, ...],
                    country: str) -> Resolution:
    close = [r for c in countries for r in regions.suggest(c, region, SUGGESTIONS)]
    known = bool([r for c in countries for r in regions.of_country(c)])
    if close:
        hint = "did you mean " + " or ".join(
            f"{r.name}" + (f" ({r.iso_code})" if r.iso_code else "") for r in close) + "?"
    elif known:
        hint = "write the state, province or Land by its name or ISO 3166-2 code"
    else:
        hint = "the gazetteer lists no regions there: leave region blank"
    return Resolution(None, country, error=f"region {region!r} is not a region of {country} "
                      f"that the gazetteer knows; {hint}", column="region")


def _not_found(gaz: Gazetteer, regions: Regions, city: str, country: str,
               countries: tuple[str, ...], wanted: list[Region],
               found: list[Place]) -> Resolution:
    if wanted and found:  # the city is known in the country, but not in that region
        listed = ", ".join(_described(regions, p) for p in _rank(found)[:SUGGESTIONS])
        return Resolution(None, country, error=(
            f"no place called {city!r} in {wanted[0].name}, {country} is known; there is "
            f"{listed}: check the region"), column="region")
    elsewhere = _rank(gaz.candidates(city))
    inside: list[bool] = (~outside_country([p.lat for p in elsewhere], [p.lon for p in elsewhere],
                                           [country] * len(elsewhere))).tolist()
    ties = [p for p, ok in zip(elsewhere, inside, strict=True) if ok]
    if len({p.country for p in ties}) == 1 and not wanted:
        best = ties[0]
        note = (f"Given under {country}; {best.name} is listed under "
                f"{gaz.country_name(best.country)} ({best.country})")
        return Resolution(best, best.country, _region_name(regions, best), note,
                          f"{city!r}: {note}")
    if elsewhere and elsewhere[0].matched == "name":
        top = elsewhere[0]
        return Resolution(None, country, error=(
            f"{city!r} is not a place in {country} that the gazetteer knows, but it is in "
            f"{gaz.country_name(top.country)} ({top.country}): fix the country, or give lat/lon"))
    close = tuple(_close_names(gaz, city, countries))
    hint = _did_you_mean(close) or "give lat/lon, or a nearby town"
    where = ", ".join(countries)
    return Resolution(None, country, error=(
        f"{city!r} ({where}) is not in the offline gazetteer (GeoNames places of 500 people or "
        f"more, US post office towns); {hint}"), unknown=True, close=close)


def _did_you_mean(names: tuple[str, ...]) -> str:
    return ("did you mean " + " or ".join(names) + "?") if names else ""


def _close_names(gaz: Gazetteer, city: str, countries: tuple[str, ...]) -> list[str]:
    key = normalize(city)
    names = {k: n for c in countries for k, n in gaz.names_in(c).items()
             if k[:1] == key[:1] and abs(len(k) - len(key)) <= 3}
    close = difflib.get_close_matches(key, list(names), n=10, cutoff=0.75)
    if not close:
        return []
    top = difflib.SequenceMatcher(None, key, close[0]).ratio()
    near = {k for k in close if difflib.SequenceMatcher(None, key, k).ratio() >= top - 0.1}
    return [names[k] for k in names if k in near][:SUGGESTIONS]  # most populous first
