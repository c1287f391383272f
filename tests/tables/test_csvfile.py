"""The fast CSV reader's shortcuts: whitespace told from the edge bytes, line breaks found in
the values' bytes, files read in many blocks; each must give what the exact reader gives."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from geo.errors import Batch, Problems
from geo.tables import LINE, arrowtext, csvfile, read_csv_table

COLUMNS = {"id": True, "text": False}

EDGES = ["\u00a0nbsp", "nbsp\u00a0", "\u3000ideographic", "em\u2003", "nel\u0085", "\u2029para",
         "café", "é", "\u00a0", "Москва", "北京", "日本\u3000", "x\u00e9 ", "\x1cfs", "gs\x1d",
         "\u200bzero width", "bom\ufeff", "emoji😀", "😀", "\u1680ogham", "tab\t"]
"""Values whose first or last character is, or looks like, whitespace (or is many bytes)."""


def exact(path: Path, monkeypatch: pytest.MonkeyPatch) -> pd.DataFrame:
    """The table as Python's csv reads it, line by line."""
    with monkeypatch.context() as m:
        m.setattr(csvfile, "_read_fast", lambda *args: None)
        table = read_csv_table(path, COLUMNS)
    assert table.reader == "csv" and table.frame is not None
    return table.frame


def write(path: Path, rows: list[tuple[str, str]], end: str = "\n") -> Path:
    body = "".join(f'"{a}","{b}"{end}' for a, b in rows)
    path.write_bytes(("id,text" + end + body).encode("utf-8"))
    return path


def test_every_whitespace_character_leads_with_a_byte_the_reader_looks_for() -> None:
    """``utf8_is_space`` of every code point: its first byte is one the edge test checks."""
    chars = [chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c < 0xE000]
    spaces = pc.utf8_is_space(pa.array(chars)).to_numpy(zero_copy_only=False)
    for char in np.asarray(chars, dtype=object)[spaces]:
        code = char.encode("utf-8")
        assert arrowtext.SPACE_LEAD[code[0]], char
        assert len(code) == {0xC2: 2, 0xE1: 3, 0xE2: 3, 0xE3: 3}.get(code[0], 1), char


@pytest.mark.parametrize("value", EDGES)
def test_whitespace_at_the_edge_of_a_character_of_many_bytes(tmp_path: Path, value: str) -> None:
    """One such value among plain ones is stripped as ``utf8_trim_whitespace`` strips it."""
    rows = [("a", "plain"), ("b", value), ("c", "plain too")]
    table = read_csv_table(write(tmp_path / "t.csv", rows), COLUMNS)
    assert table.reader == "pyarrow" and table.frame is not None
    expected = pc.utf8_trim_whitespace(pa.array([t for _, t in rows])).to_pylist()
    assert table.frame["text"].tolist() == expected


def test_the_edge_test_looks_back_within_short_values(tmp_path: Path) -> None:
    """A value of one or two bytes after one ending in a lead byte's neighbour."""
    rows = [("a", f"x{v}") for v in ("\u00a0", "é", "\u3000", "a")] + [("b", "\u00a0"), ("c", "é")]
    path = write(tmp_path / "t.csv", rows)
    table = read_csv_table(path, COLUMNS)
    assert table.frame is not None
    assert table.frame["text"].tolist() == ["x", "xé", "x", "xa", "", "é"]


@pytest.mark.parametrize("end", ["\n", "\r\n", "\r"])
def test_line_breaks_in_values_next_to_each_other(tmp_path: Path, end: str,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """A value ending in \\r above one starting with \\n: two breaks, not one \\r\\n."""
    rows = [("a", "ends\r"), ("b", "\nstarts"), ("c", "\r\n"), ("d", "\r\r\n\n"), ("e", "x")]
    path = write(tmp_path / "t.csv", rows, end)
    table = read_csv_table(path, COLUMNS)
    assert table.reader == "pyarrow" and table.frame is not None
    assert table.frame[LINE].tolist() == [2, 4, 6, 8, 12]
    pd.testing.assert_frame_equal(table.frame, exact(path, monkeypatch))


def test_a_file_read_in_many_blocks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Blocks and scanning chunks far smaller than the file: the same table as line by line."""
    rng = np.random.default_rng(7)
    pieces = [" ", "\n", "\r\n", "\r", "é", "\u00a0", "word", ",", '""']
    rows = [(f"r{i}", "".join(rng.choice(pieces, rng.integers(0, 6)))) for i in range(400)]
    path = write(tmp_path / "t.csv", rows, "\r\n")
    monkeypatch.setattr(csvfile, "BLOCK_SIZE", 1 << 9)
    monkeypatch.setattr(csvfile, "CHUNK", 7)
    monkeypatch.setattr(arrowtext, "STEP", 5)
    table = read_csv_table(path, COLUMNS)
    assert table.reader == "pyarrow" and table.frame is not None
    pd.testing.assert_frame_equal(table.frame, exact(path, monkeypatch))


def test_sorting_many_problems_keeps_each_batch_in_runs() -> None:
    """Over 10,000 problems are sorted by arrays: stable, and formatted as before."""
    lines = [np.arange(2, 24_002, 2), np.arange(2, 12_002, 3), np.array([5, 7, 9])]
    found = Problems([Batch("t.csv", c, n, n * 10, lambda i, c=c: f"{c} {i}; fix it")
                      for c, n in zip("bab", lines, strict=True)])
    ordered = found.sorted()
    assert list(ordered) == sorted(found, key=lambda p: (p.file, p.line, p.column))
    assert len(list(ordered.batches())) < len(ordered)
