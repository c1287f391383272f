"""First-level subdivisions (states, provinces, Länder): names and codes, as readers write them.

The table (``geo/assets/regions.csv``, made by ``scripts/make_regions.py``) lists each region
GeoNames places cities in, by country and GeoNames admin1 code, with its GeoNames name and,
where one was matched, its ISO 3166-2 code and name, and the further names readers and datasets
use (Unicode CLDR's English names, a few former names). A region may be written as any of these
names in any case and with or without accents, as its ISO 3166-2 code (``US-ME``) or as that
code's part after the dash (``ME``, ``QC``).

Examples
--------
>>> regions = default_regions()
>>> [regions.find("US", text).name for text in ("Maine", "ME", "us-me", "maine")]
['Maine', 'Maine', 'Maine', 'Maine']
>>> regions.find("CA", "Québec").iso_code, regions.find("CA", "QC").admin1
('CA-QC', '10')
>>> regions.find("LT", "Vilniaus").name, regions.find("US", "Ontario") is None
('Vilnius County', True)
>>> regions.find("LB", "Beirut").name, regions.find("MX", "Distrito Federal").name
('Beyrouth', 'Mexico City')
>>> [r.name for r in regions.suggest("US", "Mainee")]
['Maine']
"""

from __future__ import annotations

import csv
import difflib
import io
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Final

from geo.places.names import fold_all, normalize

ASSET: Final = "regions.csv"
"""The regions table in ``geo/assets``."""

GENERIC: Final = frozenset(
    "province provincia provinz region regione state oblast oblasti oblysy qalasy apskritis "
    "county voivodeship wojewodztwo governorate muhafazah department departement prefecture "
    "district canton kanton land bundesland autonomous republic krai kray okrug city of the de "
    "territory nct "
    "del "
    "la le".split())
"""Words that say what kind of region a name is, set aside when names are compared."""

LIKENESS: Final = 0.8
"""How alike (difflib ratio) a name must be to one region's, when no name is equal."""


@dataclass(frozen=True)
class Region:
    """One first-level subdivision.

    Parameters
    ----------
    country
        ISO 3166-1 alpha-2 code.
    admin1
        GeoNames' admin1 code (the key cities carry).
    name
        GeoNames' English name ("Maine", "Quebec").
    iso_code, iso_name
        ISO 3166-2 code and name, blank when none was matched.
    also
        Further names, ``|`` between them ("Beirut" for GeoNames' "Beyrouth"), or blank.
    """

    country: str
    admin1: str
    name: str
    iso_code: str = ""
    iso_name: str = ""
    also: str = ""

    @property
    def names(self) -> tuple[str, ...]:
        """Every name of the region: GeoNames', the ISO one, then the further ones."""
        return tuple(n for n in (self.name, self.iso_name, *self.also.split("|")) if n)

    @property
    def label(self) -> str:
        """How the region is named on the map: GeoNames' name."""
        return self.name


class Regions:
    """Regions by country, found by any of their names or codes.

    Parameters
    ----------
    rows
        The regions.
    """

    def __init__(self, rows: list[Region]) -> None:
        self._by_admin1 = {(r.country, r.admin1): r for r in rows}
        self._by_country: dict[str, list[Region]] = {}
        # folded at once: name, ISO name, further names, ISO code, ISO code's part after the dash
        texts = [t for r in rows for t in (r.name, r.iso_name, r.also, r.iso_code,
                                            r.iso_code.partition("-")[2])]
        folded = fold_all(texts)
        keys: dict[tuple[str, str], Region] = {}
        for rank in ((0, 1), (2,), (3,), (4,)):  # names, further names, ISO codes, code's tail
            for i, r in enumerate(rows):
                for k in rank:
                    for key in folded[5 * i + k].split("|"):  # only further names hold several
                        if key:
                            keys.setdefault((r.country, key), r)
        self._same: dict[tuple[str, str], list[Region]] = {}
        for i, r in enumerate(rows):
            self._by_country.setdefault(r.country, []).append(r)
            self._same.setdefault((r.country, folded[5 * i]), []).append(r)
        self._keys = keys

    def find(self, country: str, text: str) -> Region | None:
        """The region of ``country`` that ``text`` names, or None.

        A name is first looked up as written (folded), then without generic words ("County",
        "oblast", "apskritis", ...), then as the one region whose name is very like it
        ("Vilniaus" for Vilnius County); a name like several regions' finds none.
        """
        found = self._keys.get((country, normalize(text)))
        if found is not None or not text:
            return found
        bare = _bare(text)
        names = {k: r for r in self.of_country(country) for n in r.names if (k := _bare(n))}
        if bare in names:
            return names[bare]
        close = difflib.get_close_matches(bare, list(names), n=2, cutoff=LIKENESS)
        alike = {id(names[k]) for k in close}
        return names[close[0]] if len(alike) == 1 else None

    def find_all(self, country: str, text: str) -> list[Region]:
        """:meth:`find`, with every region of the same name.

        GeoNames gives some regions two admin1 codes, an old and a new one: a city may carry
        either.
        """
        found = self.find(country, text)
        return [] if found is None else list(self._same[(country, normalize(found.name))])

    def get(self, country: str, admin1: str) -> Region | None:
        """The region with GeoNames code ``admin1`` in ``country``, or None."""
        return self._by_admin1.get((country, admin1))

    def of_country(self, country: str) -> list[Region]:
        """Every region of ``country`` (empty for a country without regions in the table)."""
        return list(self._by_country.get(country, ()))

    def suggest(self, country: str, text: str, n: int = 3) -> list[Region]:
        """The regions of ``country`` whose names are closest to ``text``, best first."""
        names = {normalize(name): r for r in self.of_country(country) for name in r.names}
        close = difflib.get_close_matches(normalize(text), list(names), n=n * 2, cutoff=0.6)
        out: list[Region] = []
        for key in close:
            if names[key] not in out:
                out.append(names[key])
        return out[:n]


def _bare(name: str) -> str:
    """A region name folded, without generic words."""
    return " ".join(w for w in normalize(name).replace(".", " ").split() if w not in GENERIC)


def read_regions(text: str) -> Regions:
    """Regions from the text of a table: country, admin1, name, iso_code, iso_name, also."""
    rows = [Region(**row) for row in csv.DictReader(io.StringIO(text))]
    return Regions(rows)


@cache
def default_regions() -> Regions:
    """The regions of ``geo/assets/regions.csv``, read once."""
    text = resources.files("geo").joinpath("assets", ASSET).read_text(encoding="utf-8")
    return read_regions(text)
