"""Importing drafts into a protests.csv that leaves out optional columns (end_date, lat ...)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from geo.errors import DataError
from geo.extract import DRAFT_COLUMNS
from geo.importing import import_drafts
from geo.tables import load_dataset


def _drafts(path: Path, **values: str) -> Path:
    row = {"date": "2011-12-20", "city": "Berlin", "country": "DE", "status": "held",
           "summary": "A vigil.", **values}
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(DRAFT_COLUMNS))
        writer.writeheader()
        writer.writerow({c: row.get(c, "") for c in DRAFT_COLUMNS})
    return path


def test_rows_follow_the_files_own_header(data_copy: Path, tmp_path: Path) -> None:
    header = (data_copy / "protests.csv").read_text(encoding="utf-8").splitlines()[0]
    assert "end_date" not in header  # the default data leaves the optional columns out
    import_drafts(_drafts(tmp_path / "d.csv"), data_copy)
    lines = (data_copy / "protests.csv").read_text(encoding="utf-8").splitlines()
    assert lines[0] == header and lines[-1].count(",") == header.count(",")
    assert len(load_dataset(data_copy).protests) == 10


def test_a_value_the_file_has_no_column_for_is_not_lost(data_copy: Path, tmp_path: Path) -> None:
    before = (data_copy / "protests.csv").read_bytes()
    with pytest.raises(DataError) as err:
        import_drafts(_drafts(tmp_path / "d.csv", end_date="2011-12-24"), data_copy)
    assert [str(p) for p in err.value.problems] == [
        "d.csv:2: end_date: protests.csv has no end_date column, so this value would be lost; "
        "add end_date to its header (and a blank field to its rows), or clear the value"]
    assert (data_copy / "protests.csv").read_bytes() == before


def test_a_new_protests_file_has_every_column(tmp_path: Path) -> None:
    data = tmp_path / "new"
    data.mkdir()
    import_drafts(_drafts(tmp_path / "d.csv", end_date="2011-12-24", lat="52.52", lon="13.41",
                          precision="city", location="Berlin-Mitte"), data)
    protests = load_dataset(data).protests
    assert protests.loc[0, ["end_date", "precision", "location"]].tolist() == [
        "2011-12-24", "city", "Berlin-Mitte"]
