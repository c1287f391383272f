"""Hardening of outputs: replaced together or not at all, clear errors, no stale temporaries."""

from __future__ import annotations

import errno
import os
import time
from pathlib import Path

import pytest
from datakit import tiny

import geo._atomic
from geo._atomic import atomic_paths, private_folder, remove_stale, write_many
from geo.cli import main
from geo.errors import UsageError


def _old(path: Path, age: float = 3600) -> None:
    """Make ``path`` look ``age`` seconds old."""
    then = time.time() - age
    os.utime(path, (then, then), follow_symlinks=False)


def test_build_with_a_folder_where_map_html_goes_replaces_nothing(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data, out = tiny(tmp_path / "data"), tmp_path / "build"
    out.mkdir()
    (out / "events.geojson").write_text("old geojson")
    (out / "embed.html").write_text("old embed")
    (out / "map.html").mkdir()
    assert main(["build", "--data", str(data), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "map.html: it is a folder where a file goes; remove or rename that folder" in err
    assert "Traceback" not in err
    assert (out / "events.geojson").read_text() == "old geojson"
    assert (out / "embed.html").read_text() == "old embed"
    assert sorted(p.name for p in out.iterdir()) == ["embed.html", "events.geojson", "map.html"]


def test_a_rename_failing_midway_puts_back_what_was_replaced(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    a, b, c = tmp_path / "a.txt", tmp_path / "b.txt", tmp_path / "c.txt"
    a.write_text("old a")
    b.write_text("old b")
    real = os.replace

    def failing(src: str | Path, dst: str | Path) -> None:
        if Path(dst) == c:
            raise OSError(errno.EIO, "Input/output error", str(dst))
        real(src, dst)

    monkeypatch.setattr(geo._atomic.os, "replace", failing)
    with pytest.raises(OSError, match="Input/output error"):
        write_many({a: "new a", b: "new b", c: "new c"})
    assert (a.read_text(), b.read_text()) == ("old a", "old b")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "b.txt"]


def test_a_folder_rename_failing_puts_back_the_old_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    a, parts = tmp_path / "a", tmp_path / "parts"
    for folder in (a, parts):
        folder.mkdir()
        (folder / "old").write_text("old")
    real = Path.rename

    def failing(self: Path, target: str | Path) -> Path:
        if Path(target) == parts and not self.name.endswith(".old"):
            raise OSError(errno.ENOSPC, "No space left on device", str(target))
        return real(self, target)

    monkeypatch.setattr(Path, "rename", failing)
    with pytest.raises(UsageError, match="No space left on device; free some space"), \
            atomic_paths([a, parts], folders=True) as tmp:
        for path in tmp.values():
            (path / "new").write_text("new")
    assert [p.name for p in a.iterdir()] == ["old"]
    assert [p.name for p in parts.iterdir()] == ["old"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a", "parts"]


def test_disk_full_while_building_is_a_clear_error_and_replaces_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    data, out = tiny(tmp_path / "data"), tmp_path / "build"
    assert main(["build", "--data", str(data), "--out", str(out)]) == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    capsys.readouterr()

    def full(path: Path, content: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr("geo.build.write_content", full)
    assert main(["build", "--data", str(data), "--out", str(out), "--title", "new"]) == 2
    err = capsys.readouterr().err
    assert "No space left on device; free some space there and run again" in err
    assert "Traceback" not in err and str(out / "embed.html") in err
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


@pytest.mark.parametrize("where", ["file", "under-file"])
def test_build_out_that_is_a_file_or_under_a_file_is_a_clear_error(
        tmp_path: Path, where: str, capsys: pytest.CaptureFixture[str]) -> None:
    data, blocker = tiny(tmp_path / "data"), tmp_path / "build"
    blocker.write_text("a file")
    out = blocker if where == "file" else blocker / "sub"
    assert main(["build", "--data", str(data), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert f"cannot write {out / 'map.html'}: {blocker} is a file, not a folder" in err
    assert "Traceback" not in err
    assert blocker.read_text() == "a file"


def test_unwritable_output_folder_is_a_clear_error(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    data, out = tiny(tmp_path / "data"), tmp_path / "build"
    out.mkdir()
    monkeypatch.setattr(geo._atomic.os, "access", lambda path, mode: Path(path) != out)
    assert main(["build", "--data", str(data), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert f"the folder {out} is not writable" in err and "Traceback" not in err
    assert list(out.iterdir()) == []


def test_a_later_build_removes_temporaries_a_killed_build_left(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data, out = tiny(tmp_path / "data"), tmp_path / "build"
    out.mkdir()
    stale = [out / ".map.html.k1ll3d.tmp", out / ".events.geojson.abc.tmp",
             out / ".embed.html.x.tmp.old"]
    fresh = out / ".map.html.running.tmp"
    other = out / ".notes.txt.abc.tmp"
    for path in [*stale, fresh, other]:
        path.write_text("half")
    for path in [*stale, other]:
        _old(path)
    assert main(["build", "--data", str(data), "--out", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [".map.html.running.tmp", ".notes.txt.abc.tmp", "embed.html", "events.geojson",
         "map.html"])


def test_a_temporary_locked_by_a_live_run_is_kept(tmp_path: Path) -> None:
    target = tmp_path / "a.txt"
    with atomic_paths([target]) as tmp:
        _old(tmp[target])
        assert remove_stale(tmp_path, ".a.txt.") == []
        assert tmp[target].exists()
        _ = tmp[target].write_text("new")
    assert target.read_text() == "new"
    with private_folder(tmp_path, ".work-") as folder:
        _old(folder)
        assert remove_stale(tmp_path, ".work-") == []
    left = tmp_path / ".work-dead"
    left.mkdir()
    (left / "x.csv").write_text("x")
    _old(left)
    assert remove_stale(tmp_path, ".work-") == [left]
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]
