from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from geo.atomic import write_many
from geo.errors import DataError, Problem


def test_write_many_streams_pieces_and_replaces_all(tmp_path: Path) -> None:
    a, b = tmp_path / "a.txt", tmp_path / "b.json"
    write_many({a: "Luleå\n", b: iter(["[", "1,", "2", "]"])})
    assert a.read_text(encoding="utf-8") == "Luleå\n"
    assert b.read_text() == "[1,2]"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "b.json"]


@pytest.mark.parametrize("in_child", [False, True])
def test_a_file_failing_midway_leaves_old_files_and_no_temporaries(tmp_path: Path,
                                                                    in_child: bool) -> None:
    a, b = tmp_path / "a.txt", tmp_path / "b.json"
    a.write_text("old a")
    b.write_text("old b")

    def broken() -> Iterator[str]:
        yield "half of a file"
        raise DataError([Problem("protests.csv", 3, "date", "not a date")])

    # A callable is made in a forked child (all but the last); its exception comes back here.
    files = {b: broken, a: lambda: "new a"} if in_child else {a: "new a", b: broken()}
    with pytest.raises(DataError, match="protests.csv:3: date: not a date"):
        write_many(files)
    assert (a.read_text(), b.read_text()) == ("old a", "old b")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "b.json"]


def test_callables_but_the_last_are_made_in_a_child_process(tmp_path: Path) -> None:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    write_many({a: lambda: f"{os.getpid()}", b: lambda: iter([f"{os.getpid()}"])})
    assert int(a.read_text()) != os.getpid()  # made in a forked child
    assert int(b.read_text()) == os.getpid()  # the last one: made here


def test_a_failure_here_stops_the_child(tmp_path: Path) -> None:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"

    def slow() -> str:
        time.sleep(30)
        return "too late"

    def broken() -> str:
        raise RuntimeError("disk on fire")

    started = time.monotonic()
    with pytest.raises(RuntimeError, match="disk on fire"):
        write_many({a: slow, b: broken})
    assert time.monotonic() - started < 20  # the child was killed, not waited for
    assert list(tmp_path.iterdir()) == []


def test_a_child_killed_by_a_signal_is_reported(tmp_path: Path) -> None:
    def killed() -> str:
        os.kill(os.getpid(), signal.SIGKILL)
        return "never"

    with pytest.raises(RuntimeError, match="killed by signal 9"):
        write_many({tmp_path / "a.txt": killed, tmp_path / "b.txt": lambda: "b"})
    assert list(tmp_path.iterdir()) == []
