"""The project restates the seed report in its own words: no run of six words is copied.

The check covers the data, the code, the tests' articles, the docs and the notebook. The report's
title may be cited as such (``source_title``), so its words do not count.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from conftest import DATA, ROOT, SEED

RUN = 6  # words in a row that would count as copying


def runs(text: str) -> set[tuple[str, ...]]:
    w = re.findall(r"[a-z0-9']+", text.lower())
    return {tuple(w[i:i + RUN]) for i in range(len(w) - RUN + 1)}


def seed_runs() -> set[tuple[str, ...]]:
    if not SEED.exists():
        pytest.skip("the seed report is not beside the repository")
    title, body = SEED.read_text(encoding="utf-8").split("\n", 1)
    return runs(body) - runs(title)


def copied(paths: list[Path], seed: set[tuple[str, ...]]) -> list[tuple[str, str]]:
    """Each (file, words) of ``paths`` that repeats six words of the report in a row."""
    return [(path.name, " ".join(r)) for path in sorted(paths)
            for r in sorted(runs(path.read_text(encoding="utf-8")) & seed)]


def project_texts(data: Path) -> list[Path]:
    return [*data.glob("*.csv"), *(ROOT / "geo").rglob("*.py"), *(ROOT / "tests").rglob("*.py"),
            *(ROOT / "tests" / "extract" / "articles").iterdir(), *(ROOT / "docs").glob("*.md"),
            *(ROOT / "notebooks").glob("*.ipynb"), ROOT / "README.md"]


def test_nothing_in_the_project_copies_the_report() -> None:
    assert copied(project_texts(DATA), seed_runs()) == []


def test_a_sentence_of_the_report_pasted_into_the_data_is_caught(tmp_path: Path) -> None:
    seed = seed_runs()
    body = SEED.read_text(encoding="utf-8").split("\n", 1)[1]
    sentence = next(s for s in re.split(r"(?<=\.)\s+", body) if len(runs(s) & seed) > 8)
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    protests = pd.read_csv(data / "protests.csv", dtype=str, keep_default_na=False)
    protests.loc[3, "summary"] = f"{protests.loc[3, 'summary']} {sentence}"
    protests.to_csv(data / "protests.csv", index=False)
    found = copied(project_texts(data), seed)
    assert found and {name for name, _ in found} == {"protests.csv"}
    assert all(words in " ".join(re.findall(r"[a-z0-9']+", sentence.lower()))
               for _, words in found)
