"""The default dataset restates the seed report in its own words: no sentence is copied."""

from __future__ import annotations

import csv
import re

import pytest
from conftest import DATA, SEED

RUN = 6  # words in a row that would count as copying


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", text.lower())


def runs(text: str) -> set[tuple[str, ...]]:
    w = words(text)
    return {tuple(w[i : i + RUN]) for i in range(len(w) - RUN + 1)}


def test_no_sentence_of_the_report_is_copied_into_data() -> None:
    if not SEED.exists():
        pytest.skip("the seed report is not beside the repository")
    seed = runs(SEED.read_text(encoding="utf-8"))
    copied = []
    for path in sorted(DATA.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                row.pop("source_title", None)  # a citation of the report's title, on purpose
                for column, value in row.items():
                    copied += [(path.name, column, " ".join(r)) for r in runs(value) & seed]
    assert copied == []


def test_the_check_would_catch_a_copied_sentence() -> None:
    if not SEED.exists():
        pytest.skip("the seed report is not beside the repository")
    text = SEED.read_text(encoding="utf-8")
    sentence = next(s for s in re.split(r"(?<=\.)\s+", text) if len(words(s)) > 12)
    assert runs(sentence) & runs(text)
