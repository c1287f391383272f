"""Hardening of exports: no spreadsheet formulas in CSV, NUL kept alike in every format, clear
errors when the disk is full."""

from __future__ import annotations

import csv
import errno
import io
import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from datakit import set_cell, tiny

import geo
from geo.cli import main
from geo.export import events_csv, write_events


@pytest.fixture
def risky(tmp_path: Path) -> Path:
    """A data folder whose text starts like formulas, one cell holding a NUL."""
    folder = tiny(tmp_path / "data")
    set_cell(folder / "protests.csv", 2, "summary", "=HYPERLINK(\"http://x\",\"y\")")
    set_cell(folder / "protests.csv", 2, "organizer", "@SUM(1)")
    set_cell(folder / "protests.csv", 3, "summary", "-2+3 protested")
    set_cell(folder / "protests.csv", 3, "participants", "-33.9")
    set_cell(folder / "protests.csv", 3, "organizer", "+SLP")
    set_cell(folder / "photos.csv", 2, "caption", "At the gate\x00 hidden")
    return folder


def _rows(text: str) -> dict[str, dict[str, str]]:
    return {r["id"]: r for r in csv.DictReader(io.StringIO(text))}


def test_csv_export_neutralises_formulas_and_keeps_numbers(risky: Path, tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]
                                                           ) -> None:
    out = tmp_path / "events.csv"
    assert main(["export", "--data", str(risky), "--format", "csv", "--out", str(out)]) == 0
    rows = _rows(out.read_text(encoding="utf-8"))
    assert rows["p-berlin"]["summary"] == "'=HYPERLINK(\"http://x\",\"y\")"
    assert rows["p-berlin"]["organizer"] == "'@SUM(1)"
    assert rows["p-vienna"]["summary"] == "'-2+3 protested"
    assert rows["p-vienna"]["organizer"] == "'+SLP"
    assert rows["p-vienna"]["participants"] == "-33.9"
    assert rows["p-vienna"]["lat"] == "48.2137" and rows["p-vienna"]["lon"] == "16.3662"
    for row in rows.values():
        assert not any(v.startswith(("=", "+", "@", "\t", "\r")) for v in row.values())


def test_csv_export_with_raw_csv_keeps_the_text_as_it_is(risky: Path, tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]
                                                         ) -> None:
    out = tmp_path / "events.csv"
    assert main(["export", "--data", str(risky), "--format", "csv", "--out", str(out),
                 "--raw-csv"]) == 0
    rows = _rows(out.read_text(encoding="utf-8"))
    assert rows["p-berlin"]["summary"] == "=HYPERLINK(\"http://x\",\"y\")"
    assert rows["p-vienna"]["organizer"] == "+SLP"
    assert events_csv(geo.load_events(risky), raw=True) == out.read_text(encoding="utf-8")
    assert main(["export", "--data", str(risky), "--format", "gpkg", "--out",
                 str(tmp_path / "e.gpkg"), "--raw-csv"]) == 2


def test_a_nul_character_is_written_as_u_fffd_in_every_format(tmp_path: Path) -> None:
    folder = tiny(tmp_path / "data")
    set_cell(folder / "protests.csv", 2, "summary", "before\x00after")
    events = geo.load_events(folder)
    assert events.loc[events["id"] == "p-berlin", "summary"].item() == "before\x00after"
    want = "before\ufffdafter"
    found = {}
    for fmt, name in (("gpkg", "e.gpkg"), ("parquet", "e.parquet"), ("geojson", "e.geojson"),
                      ("csv", "e.csv")):
        path = write_events(events, tmp_path / name, fmt)
        if fmt == "gpkg":
            table = pd.DataFrame(gpd.read_file(path))
        elif fmt == "parquet":
            table = pd.DataFrame(gpd.read_parquet(path))
        elif fmt == "geojson":
            table = pd.DataFrame([f["properties"] for f in
                                  json.loads(path.read_text(encoding="utf-8"))["features"]])
        else:
            table = pd.read_csv(path, dtype=str)
        found[fmt] = table.loc[table["id"] == "p-berlin", "summary"].item()
    assert found == dict.fromkeys(found, want)


def test_disk_full_during_gpkg_export_is_a_clear_error_and_keeps_the_old_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    import pyogrio

    data, out = tiny(tmp_path / "data"), tmp_path / "events.gpkg"
    out.write_bytes(b"old")

    def full(frame: object, path: object, **kwargs: object) -> None:
        Path(str(path)).write_bytes(b"half")
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr(pyogrio, "write_dataframe", full)
    assert main(["export", "--data", str(data), "--format", "gpkg", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert f"cannot write {out}: No space left on device; free some space there" in err
    assert "Traceback" not in err
    assert out.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir() if p.name != "data"] == ["events.gpkg"]


@pytest.mark.parametrize("where", ["file", "under-file"])
def test_export_out_under_a_file_is_a_clear_error(tmp_path: Path, where: str,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    data, blocker = tiny(tmp_path / "data"), tmp_path / "blocker"
    blocker.write_text("a file")
    out = blocker / "events.csv" if where == "file" else blocker / "sub" / "events.csv"
    assert main(["export", "--data", str(data), "--format", "csv", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "cannot create the folder" in err and "Traceback" not in err
