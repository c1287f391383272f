"""One exception family for protest-map.

Every error a user can cause is a :class:`ProtestMapError`; each subclass also inherits the built-in
exception it resembles, so callers may catch either. Messages name the file, line and column, the
value, what was expected and how to fix it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


class ProtestMapError(Exception):
    """Base class of every error protest-map raises on purpose."""


@dataclass(frozen=True, order=True)
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
        What is wrong and how to fix it.
    """

    file: str
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        col = f" {self.column}:" if self.column else ""
        return f"{where}:{col} {self.message}"


class DataError(ProtestMapError, ValueError):
    """The data tables are malformed; carries every problem found, not just the first.

    Parameters
    ----------
    problems
        The problems, reported in file and line order.
    """

    def __init__(self, problems: Iterable[Problem] | str) -> None:
        if isinstance(problems, str):
            problems = [Problem("", 0, "", problems)]
        self.problems: list[Problem] = list(problems)
        super().__init__(self._text())

    def _text(self) -> str:
        n = len(self.problems)
        head = f"{n} problem{'s' if n != 1 else ''} in the data:" if n > 1 else ""
        lines = [str(p).lstrip(": ") for p in self.problems]
        return "\n".join([head, *lines]) if head else "\n".join(lines)


class UsageError(ProtestMapError, ValueError):
    """A command was called with arguments that cannot work (exit status 2)."""


class PlaceNotFound(ProtestMapError, LookupError):
    """The offline gazetteer knows no place of that name (in that country)."""


class GeocoderError(ProtestMapError, RuntimeError):
    """A geocoding provider failed for good (after its retries)."""
