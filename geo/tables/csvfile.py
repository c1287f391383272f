"""Read one CSV table: every row with its line number, or exactly what is wrong and where.

:func:`read_csv_table` has two readers with one result. pyarrow's multi-threaded parser reads a
well-formed file (the common case; a million rows in about a second); each row's line number is
worked out from the line breaks inside its values, and cross-checked against the file's line
breaks. When pyarrow refuses the file (a ragged row, bytes that are not UTF-8, a whitespace-only
line) or the cross-check fails, Python's :mod:`csv` reads it again, line by line, to say exactly
what is wrong and where. Both hand their raw fields to the same cleaning step (strip whitespace,
drop blank rows, name the columns), so they give the same table.
"""

from __future__ import annotations

import csv
import re
import stat
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Final

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv

from geo.errors import Problem
from geo.tables.arrowtext import edge_may_be_space, value_breaks
from geo.tables.columns import LINE
from geo.tables.limits import MAX_COLUMNS

CHUNK: Final = 1 << 20
"""Bytes read at a time when scanning a file for line breaks (small enough to stay in cache)."""
BLOCK_SIZE: Final = 1 << 26
"""pyarrow's parsing block (bytes); one row must fit in it. Above glibc's largest threshold
for giving memory its own mapping (32 MB), so that the parser's buffers go back to the system
when freed: with blocks of 16 MB, reading 700 MB kept some 1.5 GB more than the table."""
BATCH_ROWS: Final = 1 << 16
"""Rows the exact reader collects before turning them into Arrow arrays."""
HEADER_BYTES: Final = 1 << 22
"""Bytes of the header line read to count its columns (a header of 200 columns is far less)."""
SURROGATE: Final = re.compile("[\udc80-\udcff]")
"""What a byte that is not UTF-8 becomes when decoded with ``surrogateescape``."""


@dataclass(frozen=True)
class CsvTable:
    """One CSV file as read.

    Attributes
    ----------
    frame
        The rows (stripped strings, ``_line``, every contract column), or None when the file
        could not be read at all.
    problems
        What is wrong with the file as a CSV file (not yet with its values).
    reader
        ``"pyarrow"`` (fast path), ``"csv"`` (exact, line by line) or ``""`` (not read).
    """

    frame: pd.DataFrame | None
    problems: list[Problem]
    reader: str

    @property
    def complete(self) -> bool:
        """Whether ``frame`` holds every row of the file."""
        return self.frame is not None and not self.problems



def read_csv_table(path: Path, columns: Mapping[str, bool]) -> CsvTable:
    r"""Read one CSV table as stripped strings, remembering the line each row starts on.

    A UTF-8 byte-order mark, whitespace around values and header names, blank lines and rows
    of empty values are accepted (blank rows are dropped). Extra columns are kept; optional
    contract columns that are missing are added, blank.

    Parameters
    ----------
    path
        The CSV file; its name is what problems are reported against.
    columns
        Contract columns mapped to whether they are required.

    Returns
    -------
    CsvTable
        ``frame`` is None when the file is missing, empty, not UTF-8, not parseable, or lacks a
        required column; ``problems`` say why.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
    >>> _ = p.write_text("id, name \n a ,b\n", encoding="utf-8")
    >>> t = read_csv_table(p, {"id": True, "name": False})
    >>> t.frame[["id", "name", "_line"]].values.tolist(), t.reader
    ([['a', 'b', 2]], 'pyarrow')
    """
    name = path.name
    if not path.is_file():
        return CsvTable(None, [not_a_file(path, f"create it with the header row "
                                          f"{','.join(columns)}")], "")
    try:
        return _read_table(path, columns)
    except OSError as exc:  # a file that cannot be read (permissions, a bad disk)
        return CsvTable(None, [Problem(name, 0, "", f"cannot read {path}: "
                                       f"{exc.strerror or exc}; make it readable",
                                       rule="unreadable-file")], "")


def not_a_file(path: Path, fix: str) -> Problem:
    """Why ``path`` is no file that can be read, and ``fix`` (what to make there).

    Examples
    --------
    >>> not_a_file(Path("."), "create it").message
    'is a folder, not a file: . (remove or rename the folder); create it'
    """
    name = path.name or str(path)
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return Problem(name, 0, "", f"file not found at {path}; {fix}", rule="missing-file")
    except NotADirectoryError:
        return Problem(name, 0, "", f"cannot read {path}: a part of that path is a file, not a "
                       f"folder; {fix}", rule="unreadable-file")
    except OSError as exc:
        return Problem(name, 0, "", f"cannot read {path}: {exc.strerror or exc}; {fix}",
                       rule="unreadable-file")
    what = ("a folder, not a file" if stat.S_ISDIR(mode) else
            "not a regular file (a pipe, socket or device)")
    return Problem(name, 0, "", f"is {what}: {path} (remove or rename the "
                   f"{'folder' if stat.S_ISDIR(mode) else 'file'}); {fix}",
                   rule="unreadable-file")


def _read_table(path: Path, columns: Mapping[str, bool]) -> CsvTable:
    name = path.name
    scan = _scan(path)
    empty = Problem(name, 1, "", "the file is empty; line 1 must be the header row "
                    f"{','.join(columns)}", rule="empty-file")
    if not scan.content:
        return CsvTable(None, [empty], "")
    wide = _too_wide(path, columns)
    if wide is not None:
        return CsvTable(None, [wide], "")
    width = _header_width(path)
    fast = _read_fast(path, width, scan) if width else None
    problems: list[Problem] = []
    if fast is not None:
        raw, lines, reader = fast[0], fast[1], "pyarrow"
    else:
        raw, lines, problems = _read_exact(path)
        reader = "csv"
    if raw is None:
        return CsvTable(None, problems or [empty], reader)
    raw, lines = _clean(raw, lines)
    if raw.num_rows == 0:
        return CsvTable(None, [empty], reader)
    frame, header_problems = _frame(name, raw, lines, columns)
    return CsvTable(frame, problems + header_problems, reader)


@dataclass(frozen=True)
class _Scan:
    content: bool  # any character other than whitespace (and the byte-order mark)
    breaks: int  # line breaks: \r\n, \r or \n
    has_cr: bool
    ends_with_break: bool


def _scan(path: Path) -> _Scan:
    lf = cr = crlf = 0
    content = False
    last = b""
    with path.open("rb") as fh:
        first = True
        while chunk := fh.read(CHUNK):
            if first and chunk.startswith(b"\xef\xbb\xbf"):
                chunk = chunk[3:]
            first = False
            lf += int(np.count_nonzero(np.frombuffer(chunk, dtype=np.uint8) == 10))
            if b"\r" in chunk:
                cr += chunk.count(b"\r")
                crlf += chunk.count(b"\r\n")
            crlf += last == b"\r" and chunk[:1] == b"\n"
            content = content or re.search(rb"\S", chunk) is not None
            last = chunk[-1:] or last
    return _Scan(content, lf + cr - crlf, cr > 0, last in (b"\n", b"\r"))


def _header_width(path: Path) -> int | None:
    """Count the fields of the first non-blank record (None if it cannot be told)."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            for row in csv.reader(fh):
                if any(v.strip() for v in row):
                    return len(row)
    except (UnicodeDecodeError, csv.Error):
        return None
    return None


def _too_wide(path: Path, columns: Mapping[str, bool]) -> Problem | None:
    """A problem if the header has more than :data:`MAX_COLUMNS` fields; only the header is read.

    Counted on the raw text of the first non-blank line (at most :data:`HEADER_BYTES` of it;
    bytes that are not UTF-8 are left to the readers), so that a file of a million columns is
    refused before any row is parsed.
    """
    fields = line = 0
    whole = True
    with path.open("rb") as fh:
        while raw := fh.readline(HEADER_BYTES):
            line += 1
            head, cr, _ = raw.partition(b"\r")  # with \r line ends the file is one "line" here
            if head.strip(b" \t\n\f\v\xef\xbb\xbf"):
                fields = _field_count(head.decode("utf-8", "surrogateescape"))
                whole = bool(cr) or raw.endswith(b"\n")
                break
    if fields <= MAX_COLUMNS:
        return None
    count = f"{fields:,}" if whole else f"over {fields:,}"
    return Problem(path.name, line, "", f"the header has {count} columns, more than the "
                   f"{MAX_COLUMNS} a table may have; keep the columns {','.join(columns)} and "
                   "few others", rule="too-many-columns")


def _field_count(line: str) -> int:
    """Fields of one CSV line, quotes honoured (a quoted comma is no separator)."""
    fields, quoted = 1, False
    for part in line.split('"'):
        if not quoted:
            fields += part.count(",")
        quoted = not quoted
    return fields


def _read_fast(path: Path, width: int, scan: _Scan) -> tuple[pa.Table, np.ndarray] | None:
    """Every record (header included) as strings, with the line each starts on; None if unsure.

    Each column comes back as one array (pyarrow's take is much slower on the parser's many
    chunks), joined column by column so that only one column is held twice at a time.
    """
    names = [f"f{i}" for i in range(width)]
    try:
        table = pcsv.read_csv(
            str(path),
            read_options=pcsv.ReadOptions(column_names=names, block_size=BLOCK_SIZE),
            parse_options=pcsv.ParseOptions(newlines_in_values=True, ignore_empty_lines=False),
            convert_options=pcsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.large_string()), strings_can_be_null=False,
                quoted_strings_can_be_null=False),
        )
    except pa.ArrowException:
        return None
    rows = table.num_rows
    embedded = scan.breaks - (rows if scan.ends_with_break else rows - 1)
    breaks = np.zeros(rows, dtype=np.int64)
    columns = []
    for _ in names:
        column, table = table.column(0), table.remove_column(0)
        if embedded:
            breaks += np.concatenate([value_breaks(c, scan.has_cr) for c in column.chunks])
        columns.append(column.combine_chunks())
    if breaks.sum() != embedded:
        return None  # pyarrow and the file disagree on where rows start: read it line by line
    starts = 1 + np.arange(rows, dtype=np.int64) + np.concatenate(([0], np.cumsum(breaks)[:-1]))
    return pa.table(columns, names=names), starts


def _read_exact(path: Path) -> tuple[pa.Table | None, np.ndarray, list[Problem]]:
    """Read line by line with :mod:`csv`; report ragged rows, bad bytes and parse errors."""
    name = path.name
    problems: dict[str, list[Problem]] = {"ragged": [], "bytes": []}
    batches: list[pa.RecordBatch] = []
    rows: list[list[str]] = []
    lines: list[int] = []
    header: list[str] | None = None
    fatal = False

    def report(kind: str, line: int, column: str, message: str, value: str = "") -> None:
        rule = "ragged-row" if kind == "ragged" else "not-utf8"
        problems[kind].append(Problem(name, line, column, message, value,
                                      message.rpartition("; ")[2], rule))

    def flush() -> None:
        if rows and not fatal:
            columns = [pa.array(c, pa.large_string()) for c in zip(*rows, strict=True)]
            batches.append(pa.record_batch(columns, names=[f"f{i}" for i in range(len(columns))]))
        rows.clear()

    names: list[str] = []  # the header's, stripped
    last = 0
    with path.open(encoding="utf-8-sig", errors="surrogateescape", newline="") as fh:
        reader = csv.reader(fh)
        try:
            for row in reader:
                start, last = last + 1, reader.line_num
                if not any(v.strip() for v in row):
                    continue
                for i, value in enumerate(row):
                    bad = SURROGATE.search(value)
                    if bad:
                        fatal = True
                        report("bytes", start + _breaks("".join(row[:i]) + value[: bad.start()]),
                               names[i] if i < len(names) else "",
                               _bad_byte_message(value, bad.group(), header is None))
                        break
                if header is None:
                    header, names = row, [h.strip() for h in row]
                elif len(row) != len(header):
                    report("ragged", start, *_ragged(row, names, start, last))
                    continue
                rows.append(row)
                lines.append(start)
                if len(rows) >= BATCH_ROWS:
                    flush()
        except csv.Error as exc:
            fatal = True
            problems["ragged"].append(Problem(
                name, last + 1, "", f"cannot read this line as CSV ({exc}); check its quotes: "
                "a value that starts with a quote must end with one, and a quote inside a "
                'quoted value is written twice ("")', rule="bad-quotes"))
    flush()
    found = problems["ragged"] + problems["bytes"]
    if fatal or not batches:
        return None, np.asarray(lines, dtype=np.int64), found
    table = pa.Table.from_batches(batches)
    return table, np.asarray(lines, dtype=np.int64), found


def _breaks(text: str) -> int:
    return len(re.findall(r"\r\n|\r|\n", text))


def _bad_byte_message(value: str, char: str, in_header: bool) -> str:
    byte = ord(char) - 0xDC00
    guess = value.encode("utf-8", "surrogateescape").decode("cp1252", "replace")
    where = "in the header " if in_header else ""
    return (f"byte 0x{byte:02X} {where}is not UTF-8 (read as Windows-1252 the value would be "
            f"{guess!r}); the file is in another encoding: save it as UTF-8 (in a spreadsheet: "
            "CSV UTF-8)")


def _ragged(row: list[str], header: list[str], start: int, end: int) -> tuple[str, str]:
    """(column, message) for a row whose number of fields differs from the header's."""
    n, expected = len(row), len(header)
    if n < expected:
        column = header[n]
        what = f"the values from column {column!r} on are missing"
    else:
        column = header[-1]
        what = f"{n - expected} more after the last column {column!r}"
    spans = (f"; the row runs from line {start} to {end}: a quote opened there may never be "
             "closed" if end > start else "")
    return column, (f"row has {n} fields but the header has {expected}: {what}{spans}; quote "
                    'values that contain commas ("Berlin, Germany"), and give every row the '
                    "same columns")


def _strip(col: pa.ChunkedArray) -> pa.ChunkedArray:
    """Values without surrounding whitespace (a copy only when some value has it)."""
    maybe = col.filter(np.concatenate([edge_may_be_space(c) for c in col.chunks]))
    first = pc.utf8_is_space(pc.utf8_slice_codeunits(maybe, 0, 1))
    last = pc.utf8_is_space(pc.utf8_slice_codeunits(maybe, -1, 2**31 - 1))
    if pc.any(pc.or_(first, last)).as_py():
        return pc.utf8_trim_whitespace(col)
    return col


def _clean(raw: pa.Table, lines: np.ndarray) -> tuple[pa.Table, np.ndarray]:
    """Strip every value and drop rows whose values are all blank."""
    cols = [_strip(c) for c in raw.columns]
    length = pc.binary_length(cols[0])
    for c in cols[1:]:
        length = pc.add(length, pc.binary_length(c))
    keep = pc.greater(length, 0)
    table = pa.table(cols, names=raw.column_names)
    if pc.all(keep).as_py():
        return table, lines
    return table.filter(keep), lines[np.asarray(keep)]


def _frame(name: str, table: pa.Table, lines: np.ndarray,
           columns: Mapping[str, bool]) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Name the columns after the header row (the first); check the header."""
    header = [table.column(i)[0].as_py() for i in range(table.num_columns)]
    line = int(lines[0])
    problems = []
    seen: set[str] = set()
    for i, h in enumerate(header):
        if not h:
            problems.append(Problem(name, line, "", f"column {i + 1} of the header has no name; "
                                    "name it or delete the column"))
        elif h in seen:
            problems.append(Problem(name, line, h, f"column {h!r} appears twice in the header; "
                                    "name each column once"))
        elif h == LINE:
            problems.append(Problem(name, line, h, f"the column name {LINE!r} is reserved; "
                                    "rename the column"))
        seen.add(h)
    for c, required in columns.items():
        if required and c not in seen:
            problems.append(Problem(name, line, c, f"required column {c!r} is missing from the "
                                    f"header; expected columns: {','.join(columns)}"))
    if problems:
        return None, [replace(p, hint=p.message.partition("; ")[2], rule="bad-header")
                      for p in problems]
    # One contiguous array per column: pyarrow's take (sorting, joining) is much slower on
    # the many batches the exact reader leaves (the fast reader's columns are one chunk each).
    frame = table.slice(1).rename_columns(header).combine_chunks().to_pandas()
    for c in columns:
        if c not in frame:
            frame[c] = pd.Series("", index=frame.index, dtype="str")
    frame[LINE] = lines[1:]
    return frame, []
