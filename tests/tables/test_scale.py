"""A partitioned protests table (protests.parquet/): checked part by part, joined with dask."""

from __future__ import annotations

import shutil
from pathlib import Path

import dask_geopandas
import geopandas as gpd
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import DATA
from datakit import problems

from geo.export import write_parquet
from geo.join import join_events
from geo.schema import PROTEST_COLUMNS
from geo.tables import LINE, load_dataset


def partition(src: Path, dest: Path, sizes: tuple[int, ...] = (3, 3, 3)) -> Path:
    """Copy a data folder, its protests.csv split into parts of ``sizes`` rows."""
    shutil.copytree(src, dest)
    protests = pd.read_csv(dest / "protests.csv", dtype=str, keep_default_na=False)
    (dest / "protests.csv").unlink()
    (dest / "protests.parquet").mkdir()
    start = 0
    for i, n in enumerate(sizes):
        part = pa.Table.from_pandas(protests.iloc[start:start + n], preserve_index=False)
        pq.write_table(part, dest / "protests.parquet" / f"part-{i}.parquet")
        start += n
    return dest


@pytest.fixture
def parts(tmp_path: Path) -> Path:
    return partition(DATA, tmp_path / "data")


def test_partitioned_join_equals_the_in_memory_join(parts: Path) -> None:
    ds = load_dataset(parts)
    assert ds.protests.npartitions == 3
    events = join_events(ds)
    assert isinstance(events, dask_geopandas.GeoDataFrame)
    got = events.compute().sort_values(["date", "id"], ignore_index=True)
    want = join_events(load_dataset(DATA))
    assert got.crs == want.crs
    pd.testing.assert_frame_equal(got, want, check_dtype=False)  # dask uses string[pyarrow]


def test_events_are_written_as_partitioned_geoparquet(parts: Path, tmp_path: Path) -> None:
    out = write_parquet(join_events(load_dataset(parts)), tmp_path / "events")
    assert sorted(p.name for p in out.iterdir()) == [f"part.{i}.parquet" for i in range(3)]
    back = gpd.read_parquet(out).sort_values("id", ignore_index=True)
    assert len(back) == 9 and back.crs.to_epsg() == 4326
    london = back.set_index("id").loc["2011-12-16-london-embassy"]
    assert [p["caption"] for p in london["photos"]][1] == \
        "Handing in the letter of protest at the embassy"
    assert (london.geometry.x, london.geometry.y) == (london["lon"], london["lat"])


def test_a_problem_names_the_part_file_and_row(parts: Path) -> None:
    path = parts / "protests.parquet" / "part-1.parquet"
    table = pq.read_table(path).to_pandas()
    table.loc[1, "date"] = "2011-13-01"
    pq.write_table(pa.Table.from_pandas(table, preserve_index=False), path)
    assert problems(parts) == ["protests.parquet/part-1.parquet:2: date: '2011-13-01' is not a "
                               "date (expected YYYY-MM-DD); write the day it happened, e.g. "
                               "2011-12-16"]


def test_ids_repeated_across_parts_and_unknown_photo_ids(parts: Path) -> None:
    first = pq.read_table(parts / "protests.parquet" / "part-0.parquet").to_pandas()
    path = parts / "protests.parquet" / "part-2.parquet"
    last = pq.read_table(path).to_pandas()
    photographed = set(pd.read_csv(parts / "photos.csv", dtype=str)["protest_id"])
    row = next(i for i, pid in enumerate(last["id"]) if pid in photographed)
    gone, taken = last.loc[row, "id"], first.loc[0, "id"]
    last.loc[row, "id"] = taken  # the photographed protest loses its id to a repeat
    pq.write_table(pa.Table.from_pandas(last, preserve_index=False), path)
    found = problems(parts)
    assert f"protests.parquet/part-2.parquet:{row + 1}: id: duplicate id {taken!r} (first " \
           "used in protests.parquet/part-0.parquet row 1); every row needs its own id" in found
    assert any(p.startswith("photos.csv:") and f"unknown protest_id {gone!r}: no row of "
               "protests.parquet has this id" in p for p in found)


def test_missing_required_column_in_a_part(parts: Path) -> None:
    path = parts / "protests.parquet" / "part-0.parquet"
    pq.write_table(pq.read_table(path).drop_columns(["summary"]), path)
    assert problems(parts) == ["protests.parquet/part-0.parquet: summary: required column "
                               "'summary' is missing; expected columns: "
                               + ",".join(PROTEST_COLUMNS)]


def test_rows_are_numbered_within_their_part(parts: Path) -> None:
    protests = load_dataset(parts).protests.compute()
    assert protests[LINE].tolist() == [1, 2, 3] * 3


def test_build_refuses_partitioned_data_with_a_usage_error(parts: Path, tmp_path: Path) -> None:
    from geo.cli import main

    out = tmp_path / "out"
    assert main(["build", "--data", str(parts), "--out", str(out)]) == 2
    assert not out.exists()
