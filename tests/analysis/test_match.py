"""match_venues: the geodesic nearest venue within a distance, ties, CRS and plain lat/lon input."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from conftest import DATA
from pyproj import Geod

import geo
from geo.analysis.match import geodesic_m, match_venues, nearest
from geo.errors import UsageError

WGS84 = Geod(ellps="WGS84")
BERLIN = (52.585, 13.392)  # the embassy's point in venues.csv


def offset(lat: float, lon: float, azimuth: float, metres: float) -> tuple[float, float]:
    """The point ``metres`` from (lat, lon) towards ``azimuth`` (degrees from north)."""
    lon2, lat2, _ = WGS84.fwd(lon, lat, azimuth, metres)
    return lat2, lon2


def venues_frame(*rows: tuple[str, float, float]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["id", "lat", "lon"])


def points_frame(*coords: tuple[float, float]) -> pd.DataFrame:
    return pd.DataFrame({"latitude": [c[0] for c in coords],
                         "longitude": [c[1] for c in coords]})


def test_nearest_venue_within_the_distance_and_none_beyond() -> None:
    a = BERLIN
    b = offset(*a, 90, 400)  # 400 m east of a
    venues = venues_frame(("a", *a), ("b", *b))
    near_a = offset(*a, 0, 100)  # 100 m north of a, about 412 m from b
    near_b = offset(*b, 180, 150)
    far = offset(*a, 270, 300)  # 300 m west of a: beyond 250 m
    out = match_venues(points_frame(near_a, near_b, far), venues, max_distance_m=250)
    assert out["venue_id"].tolist() == ["a", "b", None]
    assert out["distance_m"].iloc[0] == pytest.approx(100, abs=0.001)
    assert out["distance_m"].iloc[1] == pytest.approx(150, abs=0.001)
    assert np.isnan(out["distance_m"].iloc[2])
    # the limit is inclusive, and a larger limit reaches the far point
    wider = match_venues(points_frame(far), venues, max_distance_m=300)
    assert wider["venue_id"].tolist() == ["a"]
    assert match_venues(points_frame(far), venues, max_distance_m=299.9)["venue_id"].isna().all()


def test_the_distance_is_geodesic_not_projected() -> None:
    # Far north (Luleå) and far apart: a Web Mercator distance would be about 2.4 times too long.
    lulea = (65.585, 22.155)
    point = offset(*lulea, 45, 20_000)
    out = match_venues(points_frame(point), venues_frame(("telia-lulea", *lulea)),
                       max_distance_m=25_000)
    assert out["distance_m"].iloc[0] == pytest.approx(20_000, abs=0.001)


def test_ties_go_to_the_smallest_id_whatever_the_order() -> None:
    lat, lon = 48.2, 16.37
    east, west = (lat, lon + 0.002), (lat, lon - 0.002)  # the same distance, by symmetry
    point = points_frame((lat, lon))
    for rows in ((("zeta", *east), ("alpha", *west)), (("alpha", *west), ("zeta", *east))):
        out = match_venues(point, venues_frame(*rows), max_distance_m=1000)
        assert out["venue_id"].tolist() == ["alpha"]
    # the same place listed twice
    twice = venues_frame(("m-2", *east), ("m-1", *east))
    assert match_venues(point, twice, max_distance_m=1000)["venue_id"].tolist() == ["m-1"]
    # a millimetre is no tie
    nearer = (lat, lon + 0.002 - 1e-7)  # about 7 mm nearer
    out = match_venues(point, venues_frame(("alpha", *west), ("zeta", *nearer)),
                       max_distance_m=1000)
    assert out["venue_id"].tolist() == ["zeta"]


def test_geodataframes_in_other_crs_keep_their_crs_and_match_the_same() -> None:
    a, b = BERLIN, offset(*BERLIN, 90, 400)
    plain_points = points_frame(offset(*a, 10, 120), offset(*b, 200, 80))
    plain_venues = venues_frame(("a", *a), ("b", *b))
    expected = match_venues(plain_points, plain_venues, max_distance_m=250)
    points = gpd.GeoDataFrame(
        {"notes": ["x", "y"]},
        geometry=gpd.points_from_xy(plain_points["longitude"], plain_points["latitude"]),
        crs="EPSG:4326").to_crs("EPSG:3857")
    venues = gpd.GeoDataFrame(
        {"id": ["a", "b"]}, geometry=gpd.points_from_xy(plain_venues["lon"], plain_venues["lat"]),
        crs="EPSG:4326").to_crs("EPSG:25833")  # UTM 33N, ETRS89
    out = match_venues(points, venues, max_distance_m=250)
    assert isinstance(out, gpd.GeoDataFrame)
    assert out.crs == points.crs
    assert out.geometry.equals(points.geometry)
    assert out["venue_id"].tolist() == expected["venue_id"].tolist() == ["a", "b"]
    np.testing.assert_allclose(out["distance_m"], expected["distance_m"], atol=0.002)
    np.testing.assert_allclose(out["distance_m"], [120, 80], atol=0.002)


def test_a_geodataframe_without_crs_is_refused() -> None:
    points = gpd.GeoDataFrame(geometry=gpd.points_from_xy([13.39], [52.58]))
    with pytest.raises(UsageError, match="no CRS"):
        match_venues(points, venues_frame(("a", *BERLIN)))


def test_acled_like_csv_against_the_dataset_venues(tmp_path: Path) -> None:
    csv = tmp_path / "acled.csv"
    lines = ["date,latitude,longitude,notes"]
    berlin = offset(*BERLIN, 30, 60)
    vienna = offset(48.2137, 16.3662, 200, 90)  # Wipplingerstraße
    paris = (48.8566, 2.3522)
    for date, (lat, lon), note in (("2011-12-16", berlin, "Protest at the Kazakh embassy"),
                                   ("2011-12-16", vienna, "Rally in the first district"),
                                   ("2011-12-17", paris, "Rally; no venue of ours here")):
        lines.append(f"{date},{lat:.6f},{lon:.6f},{note}")
    csv.write_text("\n".join(lines) + "\n", encoding="utf-8")
    points = pd.read_csv(csv)
    out = match_venues(points, geo.load_venues(DATA), max_distance_m=200)
    assert type(out) is pd.DataFrame
    assert out.columns.tolist() == ["date", "latitude", "longitude", "notes", "venue_id",
                                    "distance_m"]
    assert out["venue_id"].tolist() == ["kz-embassy-berlin", "kz-honorary-consulate-vienna",
                                        None]
    np.testing.assert_allclose(out["distance_m"][:2], [60, 90], atol=0.5)  # 6 decimals
    assert out.iloc[:, :4].equals(points)


def test_repeated_index_labels() -> None:
    points = points_frame(BERLIN, offset(*BERLIN, 0, 5000)).set_axis(["x", "x"])
    out = match_venues(points, venues_frame(("a", *BERLIN)), max_distance_m=100)
    assert out.index.tolist() == ["x", "x"]
    assert out["venue_id"].tolist() == ["a", None]


def test_named_coordinate_columns_and_index_kept() -> None:
    points = pd.DataFrame({"y": [BERLIN[0]], "x": [BERLIN[1]]}, index=["row-7"])
    out = match_venues(points, venues_frame(("a", *BERLIN)), lat="y", lon="x")
    assert out.index.tolist() == ["row-7"]
    assert out.loc["row-7", "venue_id"] == "a"
    assert out.loc["row-7", "distance_m"] == 0.0
    with pytest.raises(UsageError, match="no coordinates"):
        match_venues(points, venues_frame(("a", *BERLIN)))
    with pytest.raises(UsageError, match="not found: 'lng'"):
        match_venues(points, venues_frame(("a", *BERLIN)), lat="y", lon="lng")


def test_events_match_their_own_venues() -> None:
    events = geo.load_events(DATA)
    with pytest.raises(UsageError, match="already have a column 'venue_id'"):
        match_venues(events, geo.load_venues(DATA))
    out = match_venues(events.rename(columns={"venue_id": "listed_venue"}),
                       geo.load_venues(DATA), max_distance_m=1)
    assert out["venue_id"].tolist() == events["venue_id"].tolist()
    assert (out["distance_m"] == 0).all()


@pytest.mark.parametrize(("value", "column"), [
    (95.0, "latitude"), ("north", "latitude"), (None, "latitude"), (-181.0, "longitude")])
def test_bad_coordinates_name_the_row_and_column(value: object, column: str) -> None:
    points = points_frame(BERLIN, BERLIN)
    points[column] = points[column].astype(object)
    points.loc[1, column] = value
    with pytest.raises(UsageError) as err:
        match_venues(points, venues_frame(("a", *BERLIN)))
    assert f"points row 1, column {column!r}: {value!r}" in str(err.value)


def test_bad_arguments_are_usage_errors() -> None:
    points, venues = points_frame(BERLIN), venues_frame(("a", *BERLIN))
    for limit in (-1, float("nan"), "far"):
        with pytest.raises(UsageError, match="max_distance_m"):
            match_venues(points, venues, max_distance_m=limit)  # type: ignore[arg-type]
    with pytest.raises(UsageError, match="'id' column"):
        match_venues(points, venues.rename(columns={"id": "venue"}))
    with pytest.raises(UsageError, match="venues row 0, column 'lat'"):
        match_venues(points, venues.assign(lat=np.nan))


def test_empty_inputs() -> None:
    out = match_venues(points_frame(), venues_frame(("a", *BERLIN)))
    assert out.empty and {"venue_id", "distance_m"} <= set(out.columns)
    out = match_venues(points_frame(BERLIN), venues_frame())
    assert out["venue_id"].tolist() == [None]


def test_points_around_the_world_against_local_venues() -> None:
    # Points far from every venue are set aside before projecting.
    points = points_frame((-33.87, 151.21), (40.71, -74.01), offset(*BERLIN, 0, 50))
    out = match_venues(points, venues_frame(("a", *BERLIN)), max_distance_m=100)
    assert out["venue_id"].tolist() == [None, None, "a"]


def test_venues_beyond_a_hemisphere_are_refused() -> None:
    venues = venues_frame(("a", 0.0, 0.0), ("b", 0.0, 120.0), ("c", 0.0, -120.0), ("d", 60, 0))
    with pytest.raises(UsageError, match="region by region"):
        match_venues(points_frame((0.0, 0.0)), venues)


def brute_force(lat, lon, t_lat, t_lon, keys, limit, exclude_self):
    index, distance = np.full(len(lat), -1), np.full(len(lat), np.nan)
    for i in range(len(lat)):
        d = np.round(geodesic_m(np.full(len(t_lat), lat[i]), np.full(len(t_lat), lon[i]),
                                t_lat, t_lon), 3)
        best = min(((d[j], keys[j], j) for j in range(len(t_lat))
                    if (limit is None or d[j] <= limit) and not (exclude_self and i == j)),
                   default=None)
        if best:
            distance[i], index[i] = best[0], best[2]
    return index, distance


@pytest.mark.parametrize(("span", "limit"), [(70.0, 400_000.0), (4.0, None), (0.02, 300.0)])
def test_same_answer_as_an_exhaustive_geodesic_search(
    span: float, limit: float | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Random points across the antimeridian, with venues on a coarse grid so ties occur.
    rng = np.random.default_rng(7)
    lat = rng.uniform(-span / 4, span / 4, 150) + 40
    lon = (rng.uniform(-span / 2, span / 2, 150) + 180 + 180) % 360 - 180
    t_lat = np.round(rng.uniform(-span / 4, span / 4, 60) + 40, 1 if span > 1 else 4)
    t_lon = np.round((rng.uniform(-span / 2, span / 2, 60) + 180 + 180) % 360 - 180,
                     1 if span > 1 else 4)
    keys = np.array([f"v{j:03d}" for j in rng.permutation(60)])
    got = nearest(lat, lon, t_lat, t_lon, keys, max_distance_m=limit)
    want = brute_force(lat, lon, t_lat, t_lon, keys, limit, False)
    assert (got[0] >= 0).sum() > 10
    np.testing.assert_array_equal(got[0], want[0])
    np.testing.assert_array_equal(got[1], want[1])
    if span == 70:
        # The projection alone picks a wrong venue here: the candidate band matters.
        monkeypatch.setattr("geo.analysis.match._scale_bound", lambda spread_m: 1.0)
        assert not np.array_equal(nearest(lat, lon, t_lat, t_lon, keys, max_distance_m=limit)[0],
                                  want[0])
        monkeypatch.undo()
    got = nearest(t_lat, t_lon, t_lat, t_lon, keys, exclude_self=True)
    want = brute_force(t_lat, t_lon, t_lat, t_lon, keys, None, True)
    np.testing.assert_array_equal(got[0], want[0])
    np.testing.assert_array_equal(got[1], want[1])
