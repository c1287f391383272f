"""Hardening of inputs: a data folder or table that cannot be read is a clear error (exit 2),
never a traceback, and nothing is written."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest
from datakit import tiny

import geo.tables.csvfile
from geo.cli import main


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    status = main(list(argv))
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return status, err


def test_a_data_path_that_is_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    data.write_text("not a folder")
    status, err = _run(capsys, "validate", "--data", str(data))
    assert status == 2 and f"{data}: is a file, not a folder; give the folder" in err


def test_a_data_path_under_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "file").write_text("x")
    data = tmp_path / "file" / "data"
    status, err = _run(capsys, "build", "--data", str(data), "--out", str(tmp_path / "out"))
    assert status == 2 and "no such folder: a part of that path is a file" in err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("name", ["protests.csv", "photos.csv"])
def test_a_table_that_is_a_folder(tmp_path: Path, name: str,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    data = tiny(tmp_path / "data")
    (data / name).unlink()
    (data / name).mkdir()
    status, err = _run(capsys, "build", "--data", str(data), "--out", str(tmp_path / "out"))
    assert status == 2
    assert f"{name}: is a folder, not a file: {data / name} (remove or rename the folder)" in err
    assert not (tmp_path / "out").exists()


def test_a_table_that_is_a_pipe_is_not_read(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    data = tiny(tmp_path / "data")
    os.mkfifo(data / "context.csv")  # reading it would wait for a writer for ever
    status, err = _run(capsys, "validate", "--data", str(data))
    assert status == 2 and "context.csv: is not a regular file (a pipe, socket or device)" in err


def test_a_table_that_cannot_be_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    data = tiny(tmp_path / "data")

    def denied(path: Path) -> None:  # as chmod 000 would, for a user other than root
        raise PermissionError(errno.EACCES, "Permission denied", str(path))

    monkeypatch.setattr(geo.tables.csvfile, "_scan", denied)
    status, err = _run(capsys, "validate", "--data", str(data))
    assert status == 2
    assert f"cannot read {data / 'protests.csv'}: Permission denied; make it readable" in err
