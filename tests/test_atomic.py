"""geo._atomic (one way to replace files and folders) and geo._forked (a job in a child)."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from geo._atomic import atomic_paths, write_many
from geo._forked import Forked
from geo.errors import DataError, Problem


def test_write_many_streams_pieces_and_replaces_all(tmp_path: Path) -> None:
    a, b = tmp_path / "a.txt", tmp_path / "b.json"
    write_many({a: "Luleå\n", b: iter(["[", "1,", "2", "]"])})
    assert a.read_text(encoding="utf-8") == "Luleå\n"
    assert b.read_text() == "[1,2]"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "b.json"]


def test_a_file_failing_midway_leaves_old_files_and_no_temporaries(tmp_path: Path) -> None:
    a, b = tmp_path / "a.txt", tmp_path / "b.json"
    a.write_text("old a")
    b.write_text("old b")

    def broken() -> Iterator[str]:
        yield "half of a file"
        raise DataError([Problem("protests.csv", 3, "date", "not a date")])

    with pytest.raises(DataError, match="protests.csv:3: date: not a date"):
        write_many({a: "new a", b: broken()})
    assert (a.read_text(), b.read_text()) == ("old a", "old b")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "b.json"]


def test_a_folder_is_replaced_whole_or_not_at_all(tmp_path: Path) -> None:
    target = tmp_path / "parts"
    target.mkdir()
    (target / "old.parquet").write_text("old")
    with pytest.raises(RuntimeError, match="failed"), \
            atomic_paths([target], folders=True) as tmp:
        (tmp[target] / "new.parquet").write_text("new")
        raise RuntimeError("failed")
    assert [p.name for p in target.iterdir()] == ["old.parquet"]
    with atomic_paths([target], folders=True) as tmp:
        (tmp[target] / "new.parquet").write_text("new")
    assert [p.name for p in target.iterdir()] == ["new.parquet"]
    assert [p.name for p in tmp_path.iterdir()] == ["parts"]


def test_a_forked_job_runs_in_another_process(tmp_path: Path) -> None:
    out = tmp_path / "pid.txt"
    Forked(lambda: out.write_text(str(os.getpid()))).wait()
    assert int(out.read_text()) != os.getpid()


def test_the_childs_exception_is_raised_by_wait() -> None:
    def broken() -> None:
        raise DataError([Problem("protests.csv", 3, "date", "not a date")])

    with pytest.raises(DataError, match="protests.csv:3: date: not a date"):
        Forked(broken).wait()


def test_stop_kills_a_running_child(tmp_path: Path) -> None:
    out = tmp_path / "late.txt"

    def slow() -> None:
        time.sleep(30)
        out.write_text("too late")

    started = time.monotonic()
    Forked(slow).stop()
    assert time.monotonic() - started < 20  # killed, not waited for
    assert not out.exists()


def test_a_child_killed_by_a_signal_is_reported() -> None:
    with pytest.raises(RuntimeError, match="killed by signal 9"):
        Forked(lambda: os.kill(os.getpid(), signal.SIGKILL)).wait()
