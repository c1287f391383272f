"""One exception family for protest-map, and the problems found in data files.

Every error a user can cause is a :class:`ProtestMapError`; each subclass also inherits the built-in
exception it resembles, so callers may catch either. Messages name the file, line and column, the
value, what was expected and how to fix it.

A check may find a problem on a million rows: :class:`Problems` holds them without formatting a
message per row until one is asked for (a console shows a few, a report writes all).
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from itertools import accumulate
from typing import TYPE_CHECKING, Final, overload

import numpy as np

if TYPE_CHECKING:
    from pandas.api.extensions import ExtensionArray

LISTED: Final = 20
"""Problems a :class:`DataError`'s text lists; all of them stay in ``.problems``."""


class ProtestMapError(Exception):
    """Base class of every error protest-map raises on purpose."""


@dataclass(frozen=True, order=True, slots=True)
class Problem:
    """One problem found in a data file.

    Parameters
    ----------
    file
        File name as shown to the user, e.g. ``protests.csv``.
    line
        1-based physical line in the file (the header is line 1); 0 when the whole file is meant.
    column
        Column name, or ``""`` when the problem is not about one column.
    message
        What is wrong and how to fix it (as the console shows it).
    value
        The offending value as written in the file (``""`` when blank or not one value).
    hint
        How to fix it (the end of ``message`` after its first ``"; "``, when the rule gives none).
    rule
        Short name of the rule that found it (``"bad-date"``); problems are grouped by it.
    severity
        ``"error"`` (the data must be fixed) or ``"warning"`` (an approximation or a doubt).
    """

    file: str
    line: int
    column: str
    message: str
    value: str = ""
    hint: str = ""
    rule: str = ""
    severity: str = "error"

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        col = f" {self.column}:" if self.column else ""
        return f"{where}:{col} {self.message}"


Message = str | Callable[[int], str]
"""A problem's text, or a function of the row's position in its table that returns it."""


class Batch:
    """Problems one rule found in one column of one file, formatted only when asked for.

    Parameters
    ----------
    file, column, rule, severity
        As in :class:`Problem`, shared by the batch.
    lines
        The line of each offending row.
    rows
        Each row's position in its table (what ``message`` and ``hint`` are called with).
    values
        Each row's offending value (a NumPy or pandas array), or None. Kept as given, Arrow
        strings included, until a problem is read; then made a NumPy array once (a million
        Python strings cost 60 MB, and reading an Arrow string one at a time 15 µs).
    message
        The text, or a function of the row's position that returns it.
    hint
        How to fix it (text or function); None: the end of the message after ``"; "``.
    """

    __slots__ = ("column", "file", "hint", "lines", "message", "rows", "rule", "severity",
                 "values")

    def __init__(self, file: str, column: str, lines: np.ndarray, rows: np.ndarray,
                 message: Message, *, values: np.ndarray | ExtensionArray | None = None,
                 hint: Message | None = None, rule: str = "", severity: str = "error") -> None:
        self.file, self.column, self.rule, self.severity = file, column, rule, severity
        self.lines, self.rows, self.values = lines, rows, values
        self.message, self.hint = message, hint

    def __len__(self) -> int:
        return len(self.lines)

    def problem(self, k: int) -> Problem:
        """Format the ``k``-th problem of the batch."""
        row = int(self.rows[k])
        text = self.message(row) if callable(self.message) else self.message
        if self.hint is None:
            hint = text.partition("; ")[2]
        else:
            hint = self.hint(row) if callable(self.hint) else self.hint
        self.read_values()
        value = "" if self.values is None else _text(self.values[k])
        return Problem(self.file, int(self.lines[k]), self.column, text, value, hint, self.rule,
                       self.severity)

    def read_values(self) -> None:
        """Make :attr:`values` a NumPy array, if it is not one yet (before problems are read)."""
        if self.values is not None and not isinstance(self.values, np.ndarray):
            self.values = np.asarray(self.values, dtype=object)

    def subset(self, keep: np.ndarray | slice) -> Batch:
        """The batch restricted to the problems where ``keep`` holds (or in the slice ``keep``).

        Made without :meth:`__init__`'s keyword arguments: sorting problems may cut a batch into
        a hundred thousand runs.
        """
        out = object.__new__(Batch)
        out.file, out.column, out.rule, out.severity = (self.file, self.column, self.rule,
                                                        self.severity)
        out.lines, out.rows = self.lines[keep], self.rows[keep]
        out.values = None if self.values is None else self.values[keep]
        out.message, out.hint = self.message, self.hint
        return out


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    return str(value)


Part = Batch | list[Problem]


class Problems(Sequence[Problem]):
    """A sequence of problems, some of them not formatted until read.

    Behaves like a list of :class:`Problem` (``len``, indexing, iteration, ``+`` with lists);
    a :class:`Batch` of a million rows costs a few arrays until its problems are read.

    Parameters
    ----------
    problems
        Problems, other :class:`Problems`, or batches, in order.

    Examples
    --------
    >>> import numpy as np
    >>> found = Problems([Batch("t.csv", "date", np.array([2, 5]), np.array([0, 3]),
    ...                         lambda i: f"row {i} is wrong; fix it", rule="bad")])
    >>> len(found), str(found[1]), found[1].hint
    (2, 't.csv:5: date: row 3 is wrong; fix it', 'fix it')
    """

    __slots__ = ("_held", "_sort_pending", "_starts")
    _held: list[Part]
    _starts: list[int]
    _sort_pending: bool

    def __init__(self, problems: Iterable[Problem | Batch] | Problems = ()) -> None:
        if isinstance(problems, Problems):  # a copy, still to be sorted if that one is
            self._held, self._starts = list(problems._held), list(problems._starts)
            self._sort_pending = problems._sort_pending
            return
        parts: list[Part] = []
        for p in problems:
            if isinstance(p, Batch):
                if len(p):
                    parts.append(p)
            elif parts and isinstance(parts[-1], list):
                parts[-1].append(p)
            else:
                parts.append([p])
        self._set(parts)

    def _set(self, parts: list[Part]) -> None:
        sizes = [len(p) for p in parts]
        self._held = [p for p, n in zip(parts, sizes, strict=True) if n]
        self._starts = list(accumulate((n for n in sizes if n), initial=0))
        self._sort_pending = False

    @property
    def _parts(self) -> list[Part]:
        """The parts in order: sorted first if :meth:`sorted` left that for later."""
        if self._sort_pending:
            done = _sort(self._held)  # type: ignore[arg-type]  # only batches are left pending
            self._held, self._starts, self._sort_pending = done._held, done._starts, False
        return self._held

    @classmethod
    def _of(cls, parts: list[Part]) -> Problems:
        out = cls()
        out._set(parts)
        return out

    def __len__(self) -> int:
        return int(self._starts[-1])

    @overload
    def __getitem__(self, index: int) -> Problem: ...

    @overload
    def __getitem__(self, index: slice) -> Problems: ...

    def __getitem__(self, index: int | slice) -> Problem | Problems:
        if isinstance(index, slice):
            return Problems([self[i] for i in range(*index.indices(len(self)))])
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError("problem index out of range")
        parts = self._parts  # sorted, if pending, before the starts are read
        k = bisect.bisect_right(self._starts, index) - 1
        part, at = parts[k], index - self._starts[k]
        return part.problem(at) if isinstance(part, Batch) else part[at]

    def __iter__(self) -> Iterator[Problem]:
        for part in self._parts:
            if isinstance(part, Batch):
                yield from (part.problem(k) for k in range(len(part)))
            else:
                yield from part

    def __add__(self, other: Iterable[Problem]) -> Problems:
        return Problems._of([*self._parts, *Problems._parts_of(other)])

    def __radd__(self, other: Iterable[Problem]) -> Problems:
        return Problems._of([*Problems._parts_of(other), *self._parts])

    def __iadd__(self, other: Iterable[Problem]) -> Problems:
        self._set([*self._parts, *Problems._parts_of(other)])
        return self

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, str):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"<Problems: {len(self):,}>"

    @staticmethod
    def _parts_of(other: Iterable[Problem]) -> list[Part]:
        return list(other._parts) if isinstance(other, Problems) else Problems(other)._parts

    def batches(self, *, ordered: bool = True) -> Iterator[Batch]:
        """The problems as batches (a problem given as such is a batch of one).

        ``ordered`` False: as they are held, without sorting them first if :meth:`sorted` left
        that for later (:func:`_sort` orders them by file, line and column, stable).
        """
        for part in self._parts if ordered else self._held:
            if isinstance(part, Batch):
                yield part
            else:
                for p in part:
                    yield Batch(p.file, p.column, np.array([p.line]), np.zeros(1, dtype=np.int64),
                                p.message, values=np.array([p.value], dtype=object),
                                hint=p.hint, rule=p.rule, severity=p.severity)

    def lines(self, file: str) -> np.ndarray:
        """The distinct lines of ``file`` with a problem (0, the whole file, included), sorted."""
        found = [b.lines for b in self.batches() if b.file == file]
        return np.unique(np.concatenate(found)) if found else np.zeros(0, dtype=np.int64)

    def without(self, drop: Mapping[str, np.ndarray]) -> Problems:
        """The problems except those on the given lines of the given files."""
        parts: list[Part] = []
        for b in self.batches():
            gone = drop.get(b.file)
            if gone is None or not len(gone):
                parts.append(b)
            else:
                parts.append(b.subset(~np.isin(b.lines, gone)))
        return Problems._of(parts)

    def as_severity(self, severity: str) -> Problems:
        """The same problems, each of the given severity."""
        parts: list[Part] = []
        for part in self._parts:
            if isinstance(part, Batch):
                parts.append(Batch(part.file, part.column, part.lines, part.rows, part.message,
                                   values=part.values, hint=part.hint, rule=part.rule,
                                   severity=severity))
            else:
                parts.append([replace(p, severity=severity) for p in part])
        return Problems._of(parts)

    def sorted(self) -> Problems:
        """The problems in file, line and column order (as ``sorted``, but vectorised).

        Problems on the same line and column keep their order, except in small collections,
        which are sorted by message too. A large collection is sorted when it is first read:
        sorting cuts its batches into runs (at a million venues, 220,000 batches: 1.2 s and
        0.1 GB), which a build that reports only a count never needs.
        """
        if len(self) <= 10_000:
            return Problems(sorted(self))
        out = Problems._of(list(self.batches()))
        out._sort_pending = True
        return out


def _sort(batches: list[Batch]) -> Problems:
    """Sort batches' problems by (file, line, column), stable; runs of one batch stay a batch."""
    for batch in batches:  # to be read soon: the runs cut below share one array of values
        batch.read_values()
    files = {f: i for i, f in enumerate(sorted({b.file for b in batches}))}
    columns = {c: i for i, c in enumerate(sorted({b.column for b in batches}))}
    sizes = [len(b) for b in batches]
    which = np.repeat(np.arange(len(batches)), sizes)
    at = np.concatenate([np.arange(n) for n in sizes])
    file_key = np.repeat([files[b.file] for b in batches], sizes)
    column_key = np.repeat([columns[b.column] for b in batches], sizes)
    order = np.lexsort((column_key, np.concatenate([b.lines for b in batches]), file_key))
    which, at = which[order], at[order]
    starts = np.r_[0, np.flatnonzero((np.diff(which) != 0) | (np.diff(at) != 1)) + 1]
    stops = np.r_[starts[1:], len(order)]
    return Problems._of([batches[b].subset(slice(a, a + n)) for b, a, n in
                         zip(which[starts].tolist(), at[starts].tolist(),
                             (stops - starts).tolist(), strict=True)])


class DataError(ProtestMapError, ValueError):
    """The data tables are malformed; carries every problem found, not just the first.

    Parameters
    ----------
    problems
        The problems, reported in file and line order; a text for a single problem.
    warnings
        Warnings found on the way (approximations), for a complete report.
    rows
        Rows read per file (for "N problems in M rows of F (of R rows)").

    Attributes
    ----------
    problems, warnings : Problems
    rows : dict
    """

    def __init__(self, problems: Iterable[Problem] | str, *,
                 warnings: Iterable[Problem] = (), rows: Mapping[str, int] | None = None
                 ) -> None:
        if isinstance(problems, str):
            problems = [Problem("", 0, "", problems)]
        self.problems = Problems(problems)
        self.warnings = Problems(warnings)
        self.rows: dict[str, int] = dict(rows or {})
        super().__init__(self._text())

    def _text(self) -> str:
        n = len(self.problems)
        head = f"{n:,} problem{'s' if n != 1 else ''} in the data:" if n > 1 else ""
        lines = [str(self.problems[i]).lstrip(": ") for i in range(min(n, LISTED))]
        if n > LISTED:
            lines.append(f"... and {n - LISTED:,} more (all of them: geo.tables.report."
                         "write_report(error.problems, path))")
        return "\n".join([head, *lines]) if head else "\n".join(lines)


class UsageError(ProtestMapError, ValueError):
    """A command was called with arguments that cannot work (exit status 2)."""


class OutputError(UsageError, OSError):
    """An output cannot be written (a folder in its way, no permission, a full disk): exit 2.

    Also an :class:`OSError` with the ``errno`` and ``strerror`` of its cause, so that a caller
    for whom a write is optional (a cache) can still catch it as one.

    Parameters
    ----------
    message
        What failed, on which path, and the fix.
    errno, strerror
        Of the :class:`OSError` that caused it (None when none did).
    """

    def __init__(self, message: str, errno: int | None = None,
                 strerror: str | None = None) -> None:
        super().__init__(message)
        self.errno = errno
        self.strerror = strerror

    def __str__(self) -> str:
        return str(self.args[0])


class PlaceNotFound(ProtestMapError, LookupError):
    """The offline gazetteer knows no place of that name (in that country)."""


class GeocoderError(ProtestMapError, RuntimeError):
    """A geocoding provider failed for good (after its retries)."""
