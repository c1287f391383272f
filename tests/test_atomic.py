from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from geo.atomic import write_many


def test_write_many_streams_pieces_and_replaces_all(tmp_path: Path) -> None:
    a, b = tmp_path / "a.txt", tmp_path / "b.json"
    write_many({a: "Luleå\n", b: iter(["[", "1,", "2", "]"])})
    assert a.read_text(encoding="utf-8") == "Luleå\n"
    assert b.read_text() == "[1,2]"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "b.json"]


def test_write_many_failing_midway_leaves_old_files_and_no_temporaries(tmp_path: Path) -> None:
    a, b = tmp_path / "a.txt", tmp_path / "b.json"
    a.write_text("old a")
    b.write_text("old b")

    def broken() -> Iterator[str]:
        yield "half of a file"
        raise RuntimeError("disk on fire")

    with pytest.raises(RuntimeError):
        write_many({a: "new a", b: broken()})
    assert a.read_text() == "old a"
    assert b.read_text() == "old b"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "b.json"]
