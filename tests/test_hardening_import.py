"""Hardening of ``import``: its check copy follows no link out of the data folder, and the
check folder a killed import left is removed by the next one."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from conftest import ROOT

import geo.importing._appending as appending
from geo.cli import main
from geo.importing._appending import CHECK_PREFIX

SAMPLE = ROOT / "tests" / "importing" / "data" / "acled_sample.csv"


@pytest.fixture
def seen(monkeypatch: pytest.MonkeyPatch) -> list[set[str]]:
    """Every file (relative path) the check copy held when it was loaded."""
    found: list[set[str]] = []
    real = appending.load_dataset

    def spy(folder: Path, *args: object, **kwargs: object) -> object:
        found.append({str(p.relative_to(folder)) for p in Path(folder).rglob("*")})
        return real(folder, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(appending, "load_dataset", spy)
    return found


def test_import_with_a_link_to_the_data_folder_itself(data_copy: Path, seen: list[set[str]],
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    (data_copy / "loop").symlink_to(".")
    assert main(["import", str(SAMPLE), "--format", "acled", "--data", str(data_copy)]) == 0
    assert seen and not any(name.startswith("loop") for name in seen[0])
    assert (data_copy / "loop").is_symlink()
    assert not [p for p in data_copy.iterdir() if p.name.startswith(CHECK_PREFIX)]


def test_import_does_not_copy_a_folder_linked_from_elsewhere(
        data_copy: Path, tmp_path: Path, seen: list[set[str]],
        capsys: pytest.CaptureFixture[str]) -> None:
    outside = tmp_path / "private"
    outside.mkdir()
    (outside / "secret.txt").write_text("not data")
    (data_copy / "elsewhere").symlink_to(outside)
    assert main(["import", str(SAMPLE), "--format", "acled", "--data", str(data_copy)]) == 0
    assert seen and not any("secret" in name or "elsewhere" in name for name in seen[0])
    assert (outside / "secret.txt").read_text() == "not data"


def test_an_import_removes_the_check_folder_a_killed_import_left(
        data_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    stale = data_copy / f"{CHECK_PREFIX}k1ll3d"
    stale.mkdir()
    (stale / "protests.csv").write_text("half")
    fresh = data_copy / f"{CHECK_PREFIX}running"
    fresh.mkdir()
    then = time.time() - 3600
    os.utime(stale, (then, then))
    assert main(["import", str(SAMPLE), "--format", "acled", "--data", str(data_copy)]) == 0
    assert not stale.exists()
    assert fresh.exists()  # too recent: maybe another import at work


def test_disk_full_during_import_is_a_clear_error_and_changes_nothing(
        data_copy: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    import errno

    import geo._atomic

    before = {p.name: p.read_bytes() for p in data_copy.iterdir() if p.is_file()}

    def full(path: Path, content: object) -> None:
        path.write_bytes(b"half")
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr(geo._atomic, "write_content", full)
    assert main(["import", str(SAMPLE), "--format", "acled", "--data", str(data_copy)]) == 2
    err = capsys.readouterr().err
    assert "No space left on device; free some space there and run again" in err
    assert "Traceback" not in err
    assert {p.name: p.read_bytes() for p in data_copy.iterdir() if p.is_file()} == before
    assert not [p for p in data_copy.iterdir() if p.name.startswith(".")]
