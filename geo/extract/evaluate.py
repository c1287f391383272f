"""``python -m geo.extract.evaluate``: how well ``extract`` drafts the protests of known reports.

Two sets of test articles are scored apart: the *in-sample* set ``tests/extract/articles`` (the
rules were developed against it) and the *held-out* set ``tests/extract/heldout`` (written and
scored before the rules were changed for it; its first run is kept in ``FIRST_RUN.md`` there).
A held-out article is never used to write a rule for one sentence: a failure it shows is fixed
as a general rule, with a small test of its own. Each article ``NAME.txt`` has a sidecar
``NAME.json``::

    {"style": "what the article tests", "date": "2012-02-05",
     "protests": [{"city": "London", "country": "GB", "date": "2012-02-04", "status": "held",
                   "venue_kind": "embassy", "represents": "SY",
                   "organizer": "...", "participants": "..."}, ...]}

A sidecar with ``"seed": "FILE"`` instead of a text beside it reads ``FILE`` from the seeds
folder (``../shared/seeds`` beside the repository) at run time; it is skipped when absent, so
the project never holds the seed's text.

A drafted row is *correct* when an expected row has the same city, country, date, status,
venue kind and represents (each expected row matches at most one drafted row). Precision is
correct / drafted, recall correct / expected, per article, per set and over all articles.
Organizer and participants, where the sidecar gives them, are scored separately on the correct
rows.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from geo.errors import UsageError
from geo.extract import extract_records
from geo.places.names import normalize

ROOT = Path(__file__).resolve().parents[2]
ARTICLES = ROOT / "tests" / "extract" / "articles"
HELDOUT = ROOT / "tests" / "extract" / "heldout"
SEEDS = ROOT.parent / "shared" / "seeds"
KEY = ("city", "country", "date", "status", "venue_kind", "represents")
"""Fields a drafted row must get right to count as correct."""
DETAILS = ("organizer", "participants")
"""Fields scored separately, on correct rows, where the sidecar states them."""


@dataclass(frozen=True)
class Case:
    """One report with the protests it should yield.

    Parameters
    ----------
    name
        The sidecar's stem.
    text
        The report.
    date
        Its publication date, or None.
    expected
        The expected rows (dicts with :data:`KEY` and optionally :data:`DETAILS`).
    group
        ``"in-sample"`` or ``"held-out"``.
    """

    name: str
    text: str
    date: dt.date | None
    expected: list[dict[str, str]]
    group: str = "in-sample"


@dataclass
class Score:
    """Counts for one article, or summed over several.

    Attributes
    ----------
    expected, drafted, correct
        Row counts.
    details_right, details_given
        Per detail field: right on correct rows, and how many correct rows state it.
    missing, extra
        Expected rows not drafted, drafted rows not expected (as short descriptions).
    """

    expected: int = 0
    drafted: int = 0
    correct: int = 0
    details_right: dict[str, int] | None = None
    details_given: dict[str, int] | None = None
    missing: list[str] | None = None
    extra: list[str] | None = None

    @property
    def precision(self) -> float:
        """Correct / drafted (1.0 when nothing was drafted)."""
        return self.correct / self.drafted if self.drafted else 1.0

    @property
    def recall(self) -> float:
        """Correct / expected (1.0 when nothing was expected)."""
        return self.correct / self.expected if self.expected else 1.0

    def __add__(self, other: Score) -> Score:
        right = {f: (self.details_right or {}).get(f, 0) + (other.details_right or {}).get(f, 0)
                 for f in DETAILS}
        given = {f: (self.details_given or {}).get(f, 0) + (other.details_given or {}).get(f, 0)
                 for f in DETAILS}
        return Score(self.expected + other.expected, self.drafted + other.drafted,
                     self.correct + other.correct, right, given,
                     (self.missing or []) + (other.missing or []),
                     (self.extra or []) + (other.extra or []))


def load_cases(articles: Path = ARTICLES, seeds: Path = SEEDS,
               group: str = "in-sample") -> tuple[list[Case], list[str]]:
    """The test cases of a folder (all of one ``group``), and those skipped (seed not present)."""
    cases, skipped = [], []
    sidecars = sorted(articles.glob("*.json"))
    if not sidecars:
        raise UsageError(f"{articles}: no NAME.json test cases there; give the folder of the "
                         "test articles (--articles)")
    for sidecar in sidecars:
        spec = json.loads(sidecar.read_text(encoding="utf-8"))
        source = seeds / spec["seed"] if "seed" in spec else sidecar.with_suffix(".txt")
        if not source.is_file():
            skipped.append(sidecar.stem)
            continue
        date = dt.date.fromisoformat(spec["date"]) if spec.get("date") else None
        text = source.read_text(encoding="utf-8")
        cases.append(Case(sidecar.stem, text, date, spec["protests"], group))
    return cases, skipped


def score(expected: list[dict[str, str]], drafted: pd.DataFrame) -> Score:
    """Compare drafted rows with expected ones (pure).

    Parameters
    ----------
    expected
        Expected rows.
    drafted
        Rows from :func:`geo.extract.extract_records`.
    """
    rows = drafted.to_dict("records")
    free = list(range(len(rows)))
    right = dict.fromkeys(DETAILS, 0)
    given = dict.fromkeys(DETAILS, 0)
    missing = []
    for want in expected:
        hit = next((i for i in free if _key(rows[i]) == _key(want)), None)
        if hit is None:
            missing.append(_describe(want))
            continue
        free.remove(hit)
        for f in DETAILS:
            if want.get(f):
                given[f] += 1
                right[f] += _detail(rows[hit].get(f, "")) == _detail(want[f])
    extra = [_describe(rows[i]) for i in free]
    return Score(len(expected), len(rows), len(expected) - len(missing), right, given, missing,
                 extra)


def _key(row: dict[str, str]) -> tuple[str, ...]:
    return tuple(normalize(str(row.get(f, "") or "")) for f in KEY)


def _detail(value: str) -> str:
    return normalize(re.sub(r"\s*\([^)]*\)", "", str(value or "")))


def _describe(row: dict[str, str]) -> str:
    return " ".join(str(row.get(f, "") or "-") for f in KEY)


class Result(NamedTuple):
    """One article's score, and the set it belongs to."""

    name: str
    group: str
    score: Score


def evaluate(cases: Sequence[Case]) -> list[Result]:
    """Extract every case and score it."""
    return [Result(c.name, c.group, score(c.expected, extract_records(c.text, date=c.date)))
            for c in cases]


def total(results: Sequence[Result], group: str | None = None) -> Score:
    """The summed score of a set (``group``), or of all results."""
    out = Score()
    for r in results:
        if group is None or r.group == group:
            out = out + r.score
    return out


def report(results: Sequence[Result], skipped: Sequence[str], verbose: bool = False) -> str:
    """The table ``python -m geo.extract.evaluate`` prints: each set apart, then all together."""
    width = max([len(r.name) for r in results] + [len("in-sample total")])

    def line(name: str, s: Score) -> str:
        return (f"{name:<{width}}  {s.expected:>8}  {s.drafted:>7}  {s.correct:>7}  "
                f"{s.precision:>9.2f}  {s.recall:>6.2f}")

    lines = [f"{'article':<{width}}  expected  drafted  correct  precision  recall"]
    for group in dict.fromkeys(r.group for r in results):
        lines.append(f"-- {group}")
        for r in results:
            if r.group != group:
                continue
            lines.append(line(r.name, r.score))
            if verbose:
                lines += [f"    missing: {m}" for m in r.score.missing or []]
                lines += [f"    extra:   {e}" for e in r.score.extra or []]
        lines.append(line(f"{group} total", total(results, group)))
    everything = total(results)
    lines.append(line("all articles", everything))
    for f in DETAILS:
        given = (everything.details_given or {}).get(f, 0)
        got = (everything.details_right or {}).get(f, 0)
        lines.append(f"{f}: {got}/{given} right on correct rows that state it")
    for name in skipped:
        lines.append(f"skipped {name}: its seed report is not in {SEEDS}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Print precision and recall over the test articles (and the seed, when present)."""
    p = argparse.ArgumentParser(prog="python -m geo.extract.evaluate", description=__doc__.split(
        "\n")[0])
    p.add_argument("--articles", type=Path, default=ARTICLES, metavar="DIR",
                   help=f"in-sample articles and sidecars (default: {ARTICLES})")
    p.add_argument("--heldout", default=str(HELDOUT), metavar="DIR",
                   help=f"held-out articles and sidecars (default: {HELDOUT}); "
                        "--heldout '' scores the in-sample set alone")
    p.add_argument("--seeds", type=Path, default=SEEDS, metavar="DIR",
                   help=f"where seed reports are read from (default: {SEEDS})")
    p.add_argument("-v", "--verbose", action="store_true", help="list missing and extra rows")
    args = p.parse_args(argv)
    try:
        cases, skipped = load_cases(args.articles, args.seeds)
        if args.heldout:
            held, _ = load_cases(Path(args.heldout), args.seeds, group="held-out")
            cases += held
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(report(evaluate(cases), skipped, args.verbose))
    return 0


if __name__ == "__main__":
    sys.exit(main())
