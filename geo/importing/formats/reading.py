"""Read a source file: its encoding, its rows with their line numbers. The only input I/O.

Encodings: UTF-8 (with or without a byte-order mark) first; a file that is not valid UTF-8 is
read as Windows-1252 (a superset of Latin-1 for printable text), and, should it hold bytes that
code page leaves undefined, as Latin-1.
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from geo.errors import DataError, Problem
from geo.tables import read_csv_table
from geo.tables.columns import LINE


def decode(raw: bytes) -> tuple[str, str]:
    r"""The text of a file and the encoding it was read with.

    Examples
    --------
    >>> decode("Zürich".encode("cp1252")), decode(b"\xef\xbb\xbfok")
    (('Zürich', 'cp1252'), ('ok', 'utf-8-sig'))
    """
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return raw.decode("latin-1"), "latin-1"


def read_table(path: Path, columns: Mapping[str, bool]) -> tuple[pd.DataFrame, str]:
    """A CSV source as stripped strings with ``_line``, and its encoding.

    The file is read by :func:`geo.tables.read_csv_table` (exact line numbers, ragged rows
    reported); a file that is not UTF-8 is first copied as UTF-8 to a temporary folder.

    Raises
    ------
    DataError
        The file is missing, empty, malformed, or lacks a required column.
    """
    raw = path.read_bytes() if path.is_file() else None
    if raw is None:
        raise DataError([Problem(path.name, 0, "", f"file not found at {path}")])
    text, encoding = decode(raw)
    if encoding in ("utf-8", "utf-8-sig"):
        read = read_csv_table(path, columns)
    else:
        with tempfile.TemporaryDirectory(prefix="protest-map-import-") as tmp:
            copy = Path(tmp) / path.name
            copy.write_text(text, encoding="utf-8", newline="")
            read = read_csv_table(copy, columns)
    if read.frame is None or read.problems:
        raise DataError(sorted(read.problems))
    return read.frame, encoding


def read_tsv(path: Path, names: tuple[str, ...]) -> tuple[pd.DataFrame, str]:
    """A headerless tab-separated file (GDELT) as strings with ``_line``, and its encoding.

    Blank lines are left out; every other line must have ``len(names)`` fields.

    Raises
    ------
    DataError
        A line has another number of fields (each one is listed).
    """
    if not path.is_file():
        raise DataError([Problem(path.name, 0, "", f"file not found at {path}")])
    text, encoding = decode(path.read_bytes())
    rows, lines, problems = [], [], []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        fields = line.split("\t")
        if len(fields) != len(names):
            problems.append(Problem(path.name, number, "", f"{len(fields)} tab-separated fields, "
                                    f"expected {len(names)} (a GDELT 2.0 events file: no header, "
                                    "61 columns); is this the right --format?"))
            continue
        rows.append([f.strip() for f in fields])
        lines.append(number)
    if problems:
        raise DataError(problems[:20] + ([Problem(path.name, 0, "", f"{len(problems) - 20} more "
                                                  "lines like these")] if len(problems) > 20
                                         else []))
    frame = pd.DataFrame(rows, columns=list(names), dtype=object)
    frame[LINE] = lines
    return frame, encoding
