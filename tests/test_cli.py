"""`protest-map validate` and `build` on good and bad data: exit status, messages, no traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import DATA, ROOT
from datakit import set_cell, tiny

from geo.cli import main

BAD_DATE = "protests.csv:3: date: '2011-13-01' is not a date (expected YYYY-MM-DD)"


@pytest.fixture
def bad(tmp_path: Path) -> Path:
    """A data folder with a bad date and a javascript: link."""
    folder = tiny(tmp_path / "bad")
    set_cell(folder / "protests.csv", 3, "date", "2011-13-01")
    set_cell(folder / "photos.csv", 2, "src", "javascript:alert(1)")
    return folder


def test_validate_good_data(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--data", str(DATA)]) == 0
    out, err = capsys.readouterr()
    assert "9 protests, 9 venues" in out and "all valid" in out
    assert "WARNING: venues.csv:2: precision: 'Telia shops, central Stockholm' is placed " \
           "approximately (city precision)" in err


def test_validate_bad_data_lists_every_problem(bad: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--data", str(bad)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.endswith("error: 2 problems: 1 in 1 row of photos.csv (of 1 row), 1 in 1 row of "
                        "protests.csv (of 2 rows)\n")
    assert BAD_DATE in err
    assert "photos.csv:2: src: 'javascript:alert(1)' is neither an http(s) link" in err
    assert "Traceback" not in err


def test_validate_missing_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--data", str(tmp_path / "none")]) == 2
    assert "none: no such folder" in capsys.readouterr().err


def test_validate_missing_file(bad: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (bad / "venues.csv").unlink()
    assert main(["validate", "--data", str(bad)]) == 2
    assert "venues.csv: file not found at" in capsys.readouterr().err


def test_build_on_bad_data_fails_and_leaves_the_previous_outputs(
        bad: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert main(["-q", "build", "--data", str(DATA), "--out", str(out)]) == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    assert set(before) == {"map.html", "embed.html", "events.geojson"}
    capsys.readouterr()
    assert main(["build", "--data", str(bad), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert BAD_DATE in err and "Traceback" not in err
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # no temp files left


def test_python_m_geo_validate_exits_2_without_traceback(bad: Path) -> None:
    run = subprocess.run([sys.executable, "-m", "geo", "validate", "--data", str(bad)],
                         capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert run.returncode == 2
    assert BAD_DATE in run.stderr
    assert "Traceback" not in run.stderr


def test_validate_report_is_written_for_bad_data(bad: Path, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    report = tmp_path / "report" / "problems.csv"
    assert main(["validate", "--data", str(bad), "--report", str(report)]) == 2
    assert capsys.readouterr().err.endswith(f"; full list: {report}\n")
    lines = report.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "file,line,column,value,message,hint,severity,rule"
    assert [line.split(",")[:3] for line in lines[1:] if ",error," in line] == [
        ["photos.csv", "2", "src"], ["protests.csv", "3", "date"]]
