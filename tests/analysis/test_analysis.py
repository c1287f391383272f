"""geo.analysis: tallies, timeline, targets, geodesic distances and the chart."""

from __future__ import annotations

import io

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from conftest import DATA

import geo
from geo import analysis
from geo.errors import UsageError


@pytest.fixture(scope="module")
def events() -> gpd.GeoDataFrame:
    return geo.load_events(DATA)


def frame(rows: list[dict[str, object]]) -> gpd.GeoDataFrame:
    table = pd.DataFrame(rows)
    return gpd.GeoDataFrame(table, geometry=gpd.points_from_xy(table["lon"], table["lat"]),
                            crs="EPSG:4326")


def test_per_country(events: gpd.GeoDataFrame) -> None:
    table = analysis.per_country(events)
    assert table.index.tolist() == ["SE", "AT", "GB", "BE", "DE"]  # most first, then by code
    assert table["name"].tolist() == ["Sweden", "Austria", "United Kingdom", "Belgium",
                                      "Germany"]
    assert table["protests"].tolist() == [3, 2, 2, 1, 1]
    assert table.loc["GB", "cities"] == "London, Mansfield"
    assert table["protests"].sum() == len(events)


def test_tally_counts_blanks(events: gpd.GeoDataFrame) -> None:
    kinds = analysis.tally(events, "venue_kind")
    assert kinds.to_dict() == {"company_shop": 4, "embassy": 3, "consulate": 1,
                               "honorary_consulate": 1}
    organizers = analysis.tally(events, "organizer")
    assert organizers[analysis.NOT_STATED] == 1  # Mansfield's organiser is not named
    assert organizers.iloc[0] == 3 and "CWI Sweden" in organizers.index[0]
    assert organizers.sum() == len(events)


def test_targets(events: gpd.GeoDataFrame) -> None:
    table = analysis.targets(events)
    rows = table[["target", "represents", "venue_kind", "protests"]].values.tolist()
    assert rows == [["Kazakhstan", "KZ", "embassy", 3],
                    ["Telia", "Telia", "company_shop", 3],
                    ["Kazakhstan", "KZ", "consulate", 1],
                    ["Kazakhstan", "KZ", "honorary_consulate", 1],
                    ["Marks & Spencer", "Marks & Spencer", "company_shop", 1]]
    assert table.loc[0, "cities"] == "Berlin, Brussels, London"


def test_targets_without_represents_or_venue() -> None:
    table = analysis.targets(frame([
        {"venue_id": "v1", "represents": "", "venue_kind": "public_space", "city": "Oslo",
         "lat": 59.9, "lon": 10.7},
        {"venue_id": "", "represents": "", "venue_kind": None, "city": "Oslo",
         "lat": 59.9, "lon": 10.7},
    ]))
    assert table[["target", "protests"]].values.tolist() == [[analysis.NOT_STATED, 1]]


def test_per_day_fills_days_without_protests() -> None:
    events = frame([
        {"date": pd.Timestamp("2011-12-16"), "city": "Berlin", "lat": 52.5, "lon": 13.4},
        {"date": pd.Timestamp("2011-12-16"), "city": "Graz", "lat": 47.1, "lon": 15.4},
        {"date": pd.Timestamp("2011-12-18"), "city": "Berlin", "lat": 52.5, "lon": 13.4},
    ])
    table = analysis.per_day(events)
    assert [d.strftime("%d") for d in table.index] == ["16", "17", "18"]
    assert table["protests"].tolist() == [2, 0, 1]
    assert table["cities"].tolist() == ["Berlin, Graz", "", "Berlin"]
    assert analysis.per_day(events.iloc[:0]).empty


def test_distance_to_is_geodesic(events: gpd.GeoDataFrame) -> None:
    equator = frame([{"lat": 0.0, "lon": 1.0}, {"lat": 0.0, "lon": 0.0}])
    metres = analysis.distance_to(equator, 0.0, 0.0)
    assert metres.tolist() == pytest.approx([111_319.491, 0.0], abs=0.001)  # WGS84 a·π/180
    context = geo.load_context(DATA).set_index("id")
    zhanaozen = context.loc["zhanaozen-2011"]
    km = analysis.distance_to(events, zhanaozen.lat, zhanaozen.lon) / 1000
    by_city = dict(zip(events["city"], km.round(), strict=True))
    assert by_city["Vienna"] == pytest.approx(2861, abs=1)
    assert by_city["Mansfield"] == pytest.approx(4055, abs=1)
    # the same in a projected CRS: the geometry is reprojected, not read as degrees
    assert analysis.distance_to(events.to_crs("EPSG:3035"), zhanaozen.lat,
                                zhanaozen.lon).tolist() == pytest.approx((km * 1000).tolist(),
                                                                         abs=0.01)


def test_distance_to_checks_the_place() -> None:
    with pytest.raises(UsageError, match="is not a latitude"):
        analysis.distance_to(frame([{"lat": 0.0, "lon": 0.0}]), 91.0, 0.0)


def test_nearest_other(events: gpd.GeoDataFrame) -> None:
    near = analysis.nearest_other(events).set_index(events["id"])
    assert near.loc["2011-12-16-graz-consulate", "nearest_id"] == "2011-12-16-vienna-consulate"
    assert near.loc["2011-12-16-vienna-consulate", "nearest_id"] == "2011-12-16-graz-consulate"
    assert near.loc["2011-12-16-london-embassy", "nearest_id"] == (
        "2011-12-17-mansfield-marks-spencer")
    assert near.loc["2011-12-16-graz-consulate", "distance_m"] == pytest.approx(145_000, rel=0.02)
    assert near["distance_m"].gt(0).all()


def test_nearest_other_at_the_same_place_and_alone() -> None:
    events = frame([
        {"id": "b", "lat": 50.0, "lon": 4.0}, {"id": "a", "lat": 50.0, "lon": 4.0},
        {"id": "c", "lat": 50.0, "lon": 4.0}, {"id": "d", "lat": 50.1, "lon": 4.0}])
    near = analysis.nearest_other(events)
    assert near["nearest_id"].tolist() == ["a", "b", "a", "a"]
    assert near["distance_m"].tolist()[:3] == [0.0, 0.0, 0.0]
    alone = analysis.nearest_other(events.iloc[:1])
    assert alone["nearest_id"].tolist() == [None] and np.isnan(alone["distance_m"].iloc[0])


def test_chart_by_country(events: gpd.GeoDataFrame) -> None:
    fig = analysis.chart_by_country(events)
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["Germany", "Belgium", "United Kingdom", "Austria", "Sweden"]
    widths = [p.get_width() for p in ax.patches]
    assert sum(widths) == len(events)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "company shop", "consulate", "embassy", "honorary consulate"]
    png = io.BytesIO()
    fig.savefig(png, format="png")
    assert png.getvalue().startswith(b"\x89PNG")
