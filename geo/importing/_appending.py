"""Append rows to a data table's text, keeping every existing byte; check the merged tables.

Shared by both importers (:mod:`geo.importing.drafts`, :mod:`geo.importing.formats`): the new
rows are CSV records added after the file's last line, columns the table lacks are added to its
header (:func:`geo.tables.cells.replace_cells`), and the merged tables are validated in a
temporary folder beside the data (:func:`check_merged`) before anything is replaced.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from geo._atomic import private_folder
from geo.errors import DataError, Problem
from geo.places.gazetteer import Gazetteer
from geo.tables import load_dataset
from geo.tables.cells import encode_field, replace_cells

CHECK_PREFIX = ".protest-map-import-"
"""Name prefix of the temporary folder the merged tables are checked in."""


def header_of(text: str) -> list[str]:
    for record in csv.reader(io.StringIO(text)):
        if any(f.strip() for f in record):
            return [f.strip() for f in record]
    return []


def with_columns(text: str, header: list[str], missing: list[str],
                  updates: dict[int, dict[str, str]]) -> tuple[str, list[str]]:
    """The table's text with columns added and cells updated, ending in a line break."""
    if not text.strip():
        return ",".join(encode_field(h) for h in [*header, *missing]) + "\n", [*header, *missing]
    if missing or updates:
        first_data = first_data_line(text)
        todo = {k: dict(v) for k, v in updates.items()}
        if missing:
            if first_data is None:
                lines = text.splitlines(keepends=True)
                ending = "\r\n" if lines[0].endswith("\r\n") else "\n"
                lines[0] = lines[0].rstrip("\r\n") + "," + ",".join(missing) + ending
                text = "".join(lines)
            else:
                todo.setdefault(first_data, {}).update(
                    {c: todo.get(first_data, {}).get(c, "") for c in missing})
        if todo:
            text = replace_cells(text, todo)
        header = [*header, *[c for c in missing if c not in header]]
        header = header_of(text)
    if not text.endswith(("\n", "\r")):
        text += "\r\n" if "\r\n" in text else "\n"
    return text, header


def first_data_line(text: str) -> int | None:
    reader = csv.reader(io.StringIO(text))
    seen_header = False
    start = 1
    for record in reader:
        if any(f.strip() for f in record):
            if seen_header:
                return start
            seen_header = True
        start = reader.line_num + 1
    return None


def next_line(text: str) -> int:
    """The line a record appended to ``text`` (which ends in a line break) starts on."""
    return text.count("\n") + 1 if "\n" in text else text.count("\r") + 1


def encode_rows(frame: pd.DataFrame, header: list[str]) -> tuple[str, list[int]]:
    r"""CSV records of ``frame``'s rows in ``header`` order, and each record's line offset.

    Vectorised with Arrow: a value is quoted (``"`` doubled) only when it holds a comma, a
    quote, a line break or spaces at either end, as :func:`geo.tables.cells.encode_field` does.

    Examples
    --------
    >>> text, starts = encode_rows(pd.DataFrame({"a": ["x", 'x"y'], "b": ["1,2", "y\nz"]}),
    ...                            ["a", "b", "c"])
    >>> text, starts
    ('x,"1,2",\n"x""y","y\nz",\n', [0, 1])
    """
    n = len(frame)
    if n == 0:
        return "", []
    cells = []
    breaks = np.zeros(n, dtype=np.int64)
    for name in header:
        if name not in frame.columns:
            cells.append(pa.array([""] * n, pa.string()))
            continue
        values = frame[name]
        if values.dtype != object:
            values = values.astype(object).fillna("")
        arr = pa.array(values.to_numpy(dtype=object), pa.string())
        if not pc.any(pc.not_equal(arr, "")).as_py():
            cells.append(arr)
            continue
        quote = pc.or_(pc.match_substring_regex(arr, '[,"\r\n]'),
                       pc.not_equal(arr, pc.utf8_trim_whitespace(arr)))
        quoted = pc.binary_join_element_wise("\"", pc.replace_substring(arr, '"', '""'), "\"",
                                             "")
        cells.append(pc.if_else(quote, quoted, arr))
        breaks += pc.count_substring(arr, "\n").to_numpy(zero_copy_only=False)
    lines = pc.binary_join_element_wise(*cells, ",")
    text = "\n".join(lines.to_pylist()) + "\n"
    starts = np.concatenate([[0], np.cumsum(breaks + 1)[:-1]]).tolist()
    return text, starts


def link_or_copy(src: str, dst: str) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def _left_out(data_dir: Path, files: dict[str, bytes]) -> Callable[[str, list[str]], list[str]]:
    """What the check copy leaves out: check folders, the new tables, links to folders."""
    def ignore(folder: str, names: list[str]) -> list[str]:
        return [n for n in names if n.startswith(CHECK_PREFIX)
                or (Path(folder) == data_dir and n in files)
                or (os.path.islink(os.path.join(folder, n))
                    and os.path.isdir(os.path.join(folder, n)))]
    return ignore


def check_merged(data_dir: Path, files: dict[str, bytes],
                 gazetteer: Gazetteer | None = None) -> list[Problem]:
    """The problems :func:`geo.tables.load_dataset` finds in the data folder with ``files``.

    The new tables (file name → bytes) are written to a temporary folder (inside the data
    folder when it exists, beside hard links to, or copies of, everything else in it) and
    loaded from there; nothing in the data folder changes. Links to folders are not followed
    (``data/loop -> .`` or a link to a folder elsewhere is left out of the copy); a link to a
    file is read as the loader reads it. The check folder is locked while in use, and one that
    a killed import left is removed by the next (:func:`geo._atomic.private_folder`).
    """
    if not data_dir.is_dir():
        with tempfile.TemporaryDirectory(prefix=CHECK_PREFIX) as tmp:
            return _check_in(Path(tmp), files, gazetteer)
    with private_folder(data_dir, CHECK_PREFIX) as folder:
        shutil.copytree(data_dir, folder, dirs_exist_ok=True, copy_function=link_or_copy,
                        ignore=_left_out(data_dir, files))
        return _check_in(folder, files, gazetteer)


def _check_in(folder: Path, files: dict[str, bytes], gazetteer: Gazetteer | None
              ) -> list[Problem]:
    for name, content in files.items():
        (folder / name).write_bytes(content)
    try:
        load_dataset(folder, gazetteer)
    except DataError as exc:
        return list(exc.problems)
    return []
