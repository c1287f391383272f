"""What an import did with each input row: counts by outcome, the short summary, the report."""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from geo._atomic import atomic_open

from .common import INVALID, SKIPPED, Issue

LABELS: Final = {"acled": "ACLED", "gdelt": "GDELT 2.0 events", "ccc": "Crowd Counting Consortium",
                 "mm": "Mass Mobilization"}


REPORT_COLUMNS: Final = ("file", "line", "column", "value", "message", "hint", "outcome")


@dataclass
class FormatReport:
    """What an import of a dataset did (or would have done, when it failed).

    Attributes
    ----------
    path, fmt, data_dir
        The input, its format and the data folder.
    total
        Input rows read.
    imported
        Ids of the protests added.
    merged
        ``(input line, new id, existing id, why)`` of each duplicate merged.
    present
        Input rows already in the data.
    issues
        Rows skipped by rule, invalid rows, and every problem found.
    venues_linked, venues_added
        Imported rows given an existing venue; ids of the venues added.
    encoding
        How the input was decoded.
    """

    path: Path
    fmt: str
    data_dir: Path
    total: int = 0
    imported: list[str] = field(default_factory=list)
    merged: list[tuple[int, str, str, str]] = field(default_factory=list)
    present: int = 0
    issues: list[Issue] = field(default_factory=list)
    venues_linked: int = 0
    venues_added: list[str] = field(default_factory=list)
    encoding: str = "utf-8"

    def outcomes(self) -> Counter[str]:
        """Input rows by outcome; the counts add up to :attr:`total`."""
        counts: Counter[str] = Counter()
        counts["imported"] = len(self.imported)
        counts["merged as duplicate"] = len(self.merged)
        counts["already present"] = self.present
        by_line: dict[int, Issue] = {}
        for issue in self.issues:
            if issue.outcome in (SKIPPED, INVALID):
                by_line.setdefault(issue.line, issue)
        for issue in by_line.values():
            label = "skipped" if issue.outcome == SKIPPED else "invalid, left out"
            counts[f"{label}: {issue.reason}"] += 1
        return counts

    def __str__(self) -> str:
        counts = self.outcomes()
        head = ", ".join(f"{n} {label}" for label, n in counts.items() if n
                         and not label.startswith(("skipped", "invalid")))
        lines = [f"{self.path.name} ({LABELS.get(self.fmt, self.fmt)}, {self.encoding}): "
                 f"{self.total} rows: {head or 'nothing imported'}"]
        lines += [f"  {n} {label}" for label, n in sorted(counts.items())
                  if n and label.startswith(("skipped", "invalid"))]
        v = len(self.venues_added)
        lines.append(f"venues: {self.venues_linked} rows linked to an existing venue, {v} "
                     f"venue{'s' * (v != 1)} added without coordinates"
                     + (f" (next: protest-map geocode --data {self.data_dir})" if v else ""))
        for line, new, old, why in self.merged[:10]:
            lines.append(f"duplicate: line {line} {new} = {old} ({why}); kept as {old}")
        if len(self.merged) > 10:
            lines.append(f"... and {len(self.merged) - 10} more duplicates (see --report)")
        return "\n".join(lines)

    def report_rows(self) -> list[dict[str, str]]:
        """Rows of the ``--report`` CSV: every issue, and each duplicate merged."""
        rows = [{"file": i.file, "line": str(i.line), "column": i.column, "value": i.value,
                 "message": i.message, "hint": i.hint, "outcome": i.outcome}
                for i in sorted(self.issues)]
        rows += [{"file": self.path.name, "line": str(line), "column": "", "value": new,
                  "message": f"the same protest as {old} ({why})",
                  "hint": f"merged: {old} keeps it and lists {new} in also_reported_as",
                  "outcome": "merged"} for line, new, old, why in self.merged]
        return rows


def write_report(path: Path, result: FormatReport) -> None:
    """Write every input row's outcome and problem to ``path`` (CSV, atomically)."""
    with atomic_open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(REPORT_COLUMNS))
        writer.writeheader()
        writer.writerows(result.report_rows())


def summary_counts(result: FormatReport) -> dict[str, int]:
    """Input rows by outcome (a plain dict, for tests and scripts)."""
    return dict(result.outcomes())
