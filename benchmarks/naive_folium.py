"""The naive baseline of the render benchmark: folium's usual way, one Marker and Popup per event.

Reads the same data folder as ``python build_map.py`` (protests.csv joined to venues.csv; events
without a venue point are placed at their city by the same offline gazetteer, so both maps carry
the same events), and writes one ``folium.Map`` with every event as a ``folium.Marker`` with a
``folium.Popup`` (its HTML escaped) in a ``MarkerCluster``: the way folium's documentation and
most tutorials draw many points.

The only change from folium's defaults: the page links Leaflet, jQuery (which folium's popups
call) and Leaflet.markercluster as local ``file://`` copies from the xstatic packages instead of
CDN addresses, since nothing else loads here. Bootstrap and Font Awesome, which default markers
do not use, are left out. That changes the page by a few hundred bytes.

Usage::

    python benchmarks/naive_folium.py --data DIR --out FILE.html
"""

from __future__ import annotations

import argparse
import html
import sys
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def use_local_libraries(fmap, cluster) -> None:
    """Point the map's and the cluster's library links at ``file://`` copies (xstatic)."""
    import xstatic.pkg.jquery as xjquery
    import xstatic.pkg.leaflet as xleaflet
    import xstatic.pkg.leaflet_markercluster as xcluster

    leaflet, markercluster = Path(xleaflet.BASE_DIR), Path(xcluster.BASE_DIR)
    fmap.default_js = [("leaflet", (leaflet / "leaflet.js").as_uri()),
                       ("jquery", (Path(xjquery.BASE_DIR) / "jquery.min.js").as_uri())]
    fmap.default_css = [("leaflet_css", (leaflet / "leaflet.css").as_uri())]
    cluster.default_js = [("markerclusterjs",
                           (markercluster / "leaflet.markercluster.js").as_uri())]
    cluster.default_css = [(name, (markercluster / f"{name}.css").as_uri())
                           for name in ("MarkerCluster", "MarkerCluster.Default")]


def popup_html(row: dict[str, str]) -> str:
    """The popup of one event, as a careful folium user writes it (every value escaped)."""
    e = {k: html.escape(str(v)) for k, v in row.items()}
    link = (f'<a href="{e["source_url"]}" target="_blank">{e["source_title"] or "Source"}</a>'
            if row["source_url"] else "")
    return (f"<h4>{e['venue_name'] or e['city']}</h4>"
            f"<p>{e['city']}, {e['country']} &middot; {e['date']}</p>"
            f"<p><b>Organizer:</b> {e['organizer']}</p>"
            f"<p>{e['summary']}</p><p>{link}</p>")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, required=True,
                    help="data folder (protests.csv, venues.csv)")
    ap.add_argument("--out", type=Path, required=True, help="the HTML file to write")
    args = ap.parse_args(argv)

    import folium
    import pandas as pd
    from folium.plugins import MarkerCluster

    from geo.places.gazetteer import default_gazetteer

    protests = pd.read_csv(args.data / "protests.csv", dtype=str, keep_default_na=False)
    venues = pd.read_csv(args.data / "venues.csv", dtype=str, keep_default_na=False)
    venues = venues.rename(columns={"id": "venue_id", "name": "venue_name"})
    events = protests.merge(venues[["venue_id", "venue_name", "lat", "lon"]], on="venue_id",
                            how="left").fillna("")
    place_of = cache(default_gazetteer().lookup)  # once per (city, country)
    m = folium.Map(location=(30, 10), zoom_start=3)
    cluster = MarkerCluster().add_to(m)
    use_local_libraries(m, cluster)
    for row in events.to_dict("records"):
        if row["lat"] and row["lon"]:
            lat, lon = float(row["lat"]), float(row["lon"])
        else:
            place = place_of(row["city"], row["country"])
            lat, lon = place.lat, place.lon
        folium.Marker([lat, lon], popup=folium.Popup(popup_html(row), max_width=300)
                      ).add_to(cluster)
    m.save(str(args.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
