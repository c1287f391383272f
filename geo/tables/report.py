r"""Problem reports: every problem in a CSV file, and a short account of them for the console.

A check may find a problem on a million rows. :func:`write_report` writes all of them (with the
warnings) to a CSV file, sorted by file then line; :func:`console_lines` lists the first few
problems of each rule and how many more there are; :func:`summary` counts them exactly, per file;
:func:`left_out_lines` says which rows a ``--skip-invalid`` build left out, and why.

Examples
--------
>>> from geo.errors import Problem
>>> found = [Problem("protests.csv", n, "date", f"'2011-13-0{n}' is not a date", rule="bad-date")
...          for n in range(2, 7)]
>>> print("\n".join(console_lines(found, per_rule=2)))
protests.csv:2: date: '2011-13-02' is not a date
protests.csv:3: date: '2011-13-03' is not a date
  … and 3 more rows like this (bad-date), up to line 6
>>> summary(found, {"protests.csv": 10})
'5 problems in 5 rows of protests.csv (of 10 rows)'
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

import numpy as np

from geo._atomic import atomic_paths, write_content
from geo.errors import DataError, Problem, Problems, UsageError
from geo.tables._dataset import Dataset, load_dataset

COLUMNS: Final = ("file", "line", "column", "value", "message", "hint", "severity", "rule")
"""The columns of a problem report (``problems.csv``)."""

PER_RULE: Final = 3
"""Problems the console lists per rule (and file and column); the rest are counted."""

REPORT_NAME: Final = "problems.csv"
"""The report's name beside a ``--skip-invalid`` build's outputs."""

_ROWS_PER_PIECE: Final = 20_000


def report_csv(problems: Iterable[Problem], warnings: Iterable[Problem] = ()) -> Iterator[str]:
    """The report as CSV text, piece by piece: a header, then every problem by file and line.

    Parameters
    ----------
    problems
        Errors (their ``severity`` is written as it is, ``error`` unless set otherwise).
    warnings
        Warnings, written with severity ``warning``, interleaved by file and line.

    Yields
    ------
    str
        Pieces of CSV text (UTF-8 when written; newline line ends).
    """
    rows = (Problems(problems) + Problems(warnings).as_severity("warning")).sorted()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for n, p in enumerate(rows, 1):
        writer.writerow((p.file, p.line or "", p.column, p.value, p.message, p.hint, p.severity,
                         p.rule))
        if n % _ROWS_PER_PIECE == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def write_report(problems: Iterable[Problem], path: str | Path, *,
                 warnings: Iterable[Problem] = ()) -> Path:
    """Write every problem (and warning) to a CSV file, atomically, sorted by file then line.

    Columns :data:`COLUMNS`: ``file, line, column, value, message, hint, severity, rule``
    (``line`` blank for a problem about a whole file). Written piece by piece, so a report of a
    million problems need not be in memory as text.

    Parameters
    ----------
    problems
        The problems, e.g. ``DataError.problems`` or ``Dataset.problems``.
    path
        The CSV file to write; its folder is created if missing. It is replaced only once the
        whole report is written.
    warnings
        Warnings to list too, with severity ``warning``.

    Returns
    -------
    Path

    Raises
    ------
    UsageError
        When the file cannot be written there (no permission, a file where a folder should be).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "problems.csv"
    >>> _ = write_report([Problem("venues.csv", 3, "kind", "'Embassy' is not a known kind; "
    ...                           "use one of ...", "Embassy", "use one of ...")], out)
    >>> print(out.read_text(), end="")
    file,line,column,value,message,hint,severity,rule
    venues.csv,3,kind,Embassy,'Embassy' is not a known kind; use one of ...,use one of ...,error,
    """
    path = Path(path)
    try:
        with atomic_paths([path]) as tmp:
            write_content(tmp[path], report_csv(problems, warnings))
    except OSError as exc:
        raise UsageError(f"cannot write the problem report {path} ({exc.strerror or exc}); give "
                         "a path in a folder you can write to") from exc
    return path


@dataclass
class _Group:
    count: int = 0
    last: int = 0
    candidates: list[tuple[int, int, int]] = field(default_factory=list)
    """(line, batch, position) of each batch's first few problems: the group's first among them."""


def console_lines(problems: Iterable[Problem], per_rule: int = PER_RULE) -> list[str]:
    """The first ``per_rule`` problems of each rule, then how many more rows it found.

    Problems are grouped by file, column and rule (a problem without a rule is its own group);
    groups come in file order, then by their first line. "First" is in file, line and column
    order; problems still to be sorted (:meth:`geo.errors.Problems.sorted`) are not sorted for
    it: each rule's first few are picked from its batches (a million warnings: 1.2 s less).

    Parameters
    ----------
    problems
        The problems (formatted only as far as shown).
    per_rule
        Problems listed per group.

    Returns
    -------
    list of str
        Lines for the console, without a trailing newline.
    """
    found = Problems(problems)
    batches = list(found.batches(ordered=False))
    if not all(b.rule for b in batches):  # a message names the group: read them in order
        batches = list(found.batches())
    groups: dict[tuple[str, str, str], _Group] = {}
    for order, b in enumerate(batches):
        key = (b.file, b.column, b.rule or b.problem(0).message)
        g = groups.setdefault(key, _Group())
        first = np.argsort(b.lines, kind="stable")[:per_rule]  # stable: as the sort keeps them
        g.candidates += [(int(b.lines[k]), order, int(k)) for k in first]
        g.count += len(b)
        g.last = max(g.last, int(b.lines.max()))
    for g in groups.values():
        g.candidates.sort()
    out: list[str] = []  # groups by file, then their first problem's line, column and place
    for (_, _, rule), g in sorted(groups.items(), key=lambda kv: (
            kv[0][0], kv[1].candidates[0][0], kv[0][1], kv[1].candidates[0][1:])):
        shown = [batches[order].problem(k) for _, order, k in g.candidates[:per_rule]]
        out += [str(p).lstrip(": ") for p in shown]
        if g.count > len(shown):
            out.append(f"  … and {g.count - len(shown):,} more rows like this ({rule}), up to "
                       f"line {g.last:,}")
    return out


def summary(problems: Iterable[Problem], rows: Mapping[str, int]) -> str:
    """Exact counts: how many problems, in how many rows of which file (of how many rows).

    Parameters
    ----------
    problems
        The problems.
    rows
        Rows read per file (a file not in it is named without its total).

    Returns
    -------
    str
        E.g. ``"5,712 problems in 5,700 rows of protests.csv (of 15,000 rows)"``; for several
        files ``"12 problems: 10 in 9 rows of protests.csv (of 20 rows), 2 in venues.csv"``.
    """
    per_file: dict[str, list[np.ndarray]] = {}
    for b in Problems(problems).batches():
        per_file.setdefault(b.file, []).append(b.lines)
    parts = []
    total = 0
    for file in sorted(per_file):
        lines = np.concatenate(per_file[file])
        total += len(lines)
        in_rows = len(np.unique(lines[lines > 0]))
        where = f"{_n(in_rows, 'row')} of {file}" if in_rows else file
        of = f" (of {_n(rows[file], 'row')})" if file in rows and in_rows else ""
        parts.append((len(lines), f"in {where}{of}"))
    if len(parts) == 1:
        return f"{_n(total, 'problem')} {parts[0][1]}"
    return f"{_n(total, 'problem')}: " + ", ".join(f"{n:,} {text}" for n, text in parts)


def _n(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def error_text(error: DataError, full_list: str = "--report FILE", *, written: bool = False,
               per_rule: int = PER_RULE) -> str:
    """What the console shows for invalid data: a few problems per rule, then exact totals.

    Parameters
    ----------
    error
        The error, with its problems and the rows read per file.
    full_list
        Where the full list is (``written``) or how to get it (said when some are not shown).
    written
        Whether ``full_list`` names a report that was written.
    per_rule
        Problems listed per rule.

    Returns
    -------
    str
        Lines; the last reads ``error: N problems in M rows of FILE (of R rows); full list: …``.
    """
    lines = console_lines(error.problems, per_rule)
    hidden = sum(1 for line in lines if line.startswith("  … and "))
    more = f"; full list: {full_list}" if written or hidden else ""
    return "\n".join([*lines, f"error: {summary(error.problems, error.rows)}{more}"])


def left_out_lines(problems: Iterable[Problem], left_out: Mapping[str, int],
                   rows: Mapping[str, int]) -> list[str]:
    """Say, per file, how many rows a ``--skip-invalid`` run left out and why (rows per rule).

    Examples
    --------
    >>> p = [Problem("venues.csv", 3, "kind", "bad", rule="unknown-kind")]
    >>> left_out_lines(p, {"venues.csv": 1, "photos.csv": 0}, {"venues.csv": 9})
    ['left out 1 of 9 rows of venues.csv: 1 unknown-kind (kind)']
    """
    by_rule: dict[str, dict[tuple[str, str], list[np.ndarray]]] = {}
    for b in Problems(problems).batches():
        by_rule.setdefault(b.file, {}).setdefault((b.rule, b.column), []).append(b.lines)
    out = []
    for file, n in left_out.items():
        if not n:
            continue
        counts = sorted(((len(np.unique(np.concatenate(ls))), rule, column)
                         for (rule, column), ls in by_rule.get(file, {}).items()),
                        key=lambda c: (-c[0], c[1], c[2]))
        why = ", ".join(f"{c:,} {rule or 'problem'}" + (f" ({col})" if col else "")
                        for c, rule, col in counts)
        out.append(f"left out {n:,} of {_n(rows.get(file, n), 'row')} of {file}: {why}")
    return out


def validate_folder(data_dir: str | Path, report: str | Path | None = None) -> Dataset:
    """Validate a data folder and, if asked, write the report, valid or not.

    Parameters
    ----------
    data_dir
        The data folder.
    report
        CSV file for every problem and warning (:func:`write_report`); None for none.

    Returns
    -------
    Dataset
        The valid tables.

    Raises
    ------
    DataError
        With every problem, once the report (if any) is written.
    UsageError
        When the report cannot be written.
    """
    try:
        ds = load_dataset(data_dir)
    except DataError as exc:
        if report is not None:
            write_report(exc.problems, report, warnings=exc.warnings)
        raise
    if report is not None:
        write_report(Problems(), report, warnings=ds.warnings)
    return ds
