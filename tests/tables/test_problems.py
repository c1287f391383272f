"""Every problem, not just the first few: lazy problems, reports, the console, --skip-invalid."""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path

import numpy as np
import pytest
from datakit import add_row, set_cell, tiny

from geo.cli import main
from geo.errors import Batch, DataError, Problem, Problems
from geo.tables import load_dataset
from geo.tables.report import COLUMNS, console_lines, summary, write_report

BAD = 2345


def many_bad_dates(folder: Path, n: int = BAD) -> list[int]:
    """Append ``n`` protests with an impossible date; return their lines."""
    path = folder / "protests.csv"
    text = path.read_text(encoding="utf-8")
    first = len(text.splitlines()) + 1
    rows = "".join(f"p-{i},2011-13-01,Berlin,DE,v-berlin,,A protest.,,,,\n" for i in range(n))
    path.write_text(text + rows, encoding="utf-8")
    return list(range(first, first + n))


def read_report(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        assert tuple(reader.fieldnames or ()) == COLUMNS
        return list(reader)


def test_problems_are_formatted_only_when_read() -> None:
    calls: list[int] = []

    def text(i: int) -> str:
        calls.append(i)
        return f"row {i} is wrong; fix row {i}"

    found = Problems([Batch("t.csv", "date", np.arange(2, 1_000_002), np.arange(1_000_000), text,
                            values=None, rule="bad")])
    found += [Problem("a.csv", 7, "id", "listed")]
    assert len(found) == 1_000_001 and calls == []
    p = found[999_999]
    assert calls == [999_999]
    assert (p.file, p.line, p.column, p.hint, p.rule, p.severity) == (
        "t.csv", 1_000_001, "date", "fix row 999999", "bad", "error")
    ordered = found.sorted()
    assert ordered[0].file == "a.csv" and ordered[1].line == 2 and len(calls) == 2
    assert [b.rule for b in ordered.batches()] == ["", "bad"]


def test_every_bad_row_is_a_problem_with_value_hint_and_rule(tmp_path: Path) -> None:
    folder = tiny(tmp_path / "data")
    lines = many_bad_dates(folder)
    with pytest.raises(DataError) as err:
        load_dataset(folder)
    found = err.value.problems
    assert len(found) == BAD
    assert [p.line for p in found] == lines
    p = found[-1]
    assert (p.file, p.column, p.value, p.rule, p.severity) == (
        "protests.csv", "date", "2011-13-01", "bad-date", "error")
    assert p.hint == "write the day it happened, e.g. 2011-12-16"
    assert p.message.startswith("'2011-13-01' is not a date")
    assert err.value.rows["protests.csv"] == BAD + 2
    assert len(str(err.value).splitlines()) == 22  # the error's own text stays short


def test_report_lists_every_problem_sorted(tmp_path: Path) -> None:
    folder = tiny(tmp_path / "data")
    lines = many_bad_dates(folder)
    set_cell(folder / "venues.csv", 3, "kind", "Consulate")
    with pytest.raises(DataError) as err:
        load_dataset(folder)
    out = write_report(err.value.problems, tmp_path / "r" / "problems.csv",
                       warnings=err.value.warnings)
    rows = read_report(out)
    errors = [r for r in rows if r["severity"] == "error"]
    assert len(errors) == BAD + 1
    assert [int(r["line"]) for r in errors if r["file"] == "protests.csv"] == lines
    assert [r["file"] for r in rows] == sorted(r["file"] for r in rows)
    kind = next(r for r in errors if r["file"] == "venues.csv")
    assert (kind["line"], kind["column"], kind["value"], kind["rule"]) == (
        "3", "kind", "Consulate", "unknown-kind")
    assert kind["hint"].endswith("did you mean 'consulate'?")
    assert {r["severity"] for r in rows} == {"error", "warning"}


def test_console_lists_a_few_per_rule_and_exact_totals(tmp_path: Path) -> None:
    folder = tiny(tmp_path / "data")
    lines = many_bad_dates(folder)
    set_cell(folder / "protests.csv", 2, "source_url", "javascript:alert(1)")
    with pytest.raises(DataError) as err:
        load_dataset(folder)
    shown = console_lines(err.value.problems)
    assert shown[0].startswith("protests.csv:2: source_url:")  # groups by their first line
    assert shown[1:4] == [f"protests.csv:{n}: date: '2011-13-01' is not a date (expected "
                          "YYYY-MM-DD); write the day it happened, e.g. 2011-12-16"
                          for n in lines[:3]]
    assert shown[4] == f"  … and {BAD - 3:,} more rows like this (bad-date), up to line " \
                       f"{lines[-1]:,}"
    assert len(shown) == 5
    assert summary(err.value.problems, err.value.rows) == (
        f"{BAD + 1:,} problems in {BAD + 1:,} rows of protests.csv (of {BAD + 2:,} rows)")


def test_validate_report_and_capped_console(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    folder = tiny(tmp_path / "data")
    many_bad_dates(folder)
    report = tmp_path / "problems.csv"
    assert main(["validate", "--data", str(folder), "--report", str(report)]) == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 5
    assert err.splitlines()[-1] == (f"error: {BAD:,} problems in {BAD:,} rows of protests.csv "
                                    f"(of {BAD + 2:,} rows); full list: {report}")
    assert sum(r["severity"] == "error" for r in read_report(report)) == BAD


def test_validate_writes_a_report_for_valid_data_too(tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    folder = tiny(tmp_path / "data")
    report = tmp_path / "problems.csv"
    assert main(["validate", "--data", str(folder), "--report", str(report)]) == 0
    rows = read_report(report)
    assert rows and {r["severity"] for r in rows} == {"warning"}
    assert f"wrote {report}" in capsys.readouterr().out


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere")
def test_report_in_a_read_only_folder_is_a_clear_error(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    folder = tiny(tmp_path / "data")
    assert main(["validate", "--data", str(folder), "--report", str(locked / "p.csv")]) == 2
    assert "cannot write the problem report" in capsys.readouterr().err


def test_report_where_a_file_stands_for_the_folder_is_a_clear_error(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tiny(tmp_path / "data")
    many_bad_dates(folder, 5)
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    assert main(["validate", "--data", str(folder), "--report", str(blocker / "p.csv")]) == 2
    err = capsys.readouterr().err
    assert f"error: cannot write the problem report {blocker / 'p.csv'}" in err
    assert "Traceback" not in err


@pytest.fixture
def mixed(tmp_path: Path) -> Path:
    """A bad protest, a bad venue used by two protests, a bad photo; two protests stay good."""
    folder = tiny(tmp_path / "mixed")
    set_cell(folder / "venues.csv", 3, "kind", "Consulate")  # v-vienna
    add_row(folder / "protests.csv", id="p-vienna-2", date="2011-12-17", city="Vienna",
            country="AT", venue_id="v-vienna", summary="Again at the consulate.")
    add_row(folder / "protests.csv", id="p-bad-date", date="2011-13-01", city="Berlin",
            country="DE", venue_id="v-berlin", summary="A protest.")
    add_row(folder / "protests.csv", id="p-berlin-2", date="2011-12-17", city="Berlin",
            country="DE", venue_id="v-berlin", summary="Another protest.")
    add_row(folder / "photos.csv", protest_id="p-berlin-2", src="javascript:alert(1)",
            caption="A photo")
    return folder


def test_load_dataset_skip_invalid_leaves_out_rows_and_says_why(mixed: Path) -> None:
    ds = load_dataset(mixed, skip_invalid=True)
    assert sorted(ds.protests["id"]) == ["p-berlin", "p-berlin-2"]
    assert list(ds.venues["id"]) == ["v-berlin"]
    assert list(ds.photos["protest_id"]) == ["p-berlin"]
    assert ds.left_out == {"protests.csv": 3, "venues.csv": 1, "photos.csv": 1,
                           "context.csv": 0}
    assert sorted((p.file, p.line, p.rule) for p in ds.problems) == [
        ("photos.csv", 3, "bad-photo-src"), ("protests.csv", 3, "venue-left-out"),
        ("protests.csv", 4, "venue-left-out"), ("protests.csv", 5, "bad-date"),
        ("venues.csv", 3, "unknown-kind")]
    assert all(w.line != 3 for w in ds.warnings if w.file == "venues.csv")


def test_build_skip_invalid_maps_the_valid_protests(mixed: Path, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert main(["build", "--data", str(mixed), "--out", str(out), "--skip-invalid"]) == 0
    text = capsys.readouterr().out
    assert "left out 3 of 5 rows of protests.csv: 2 venue-left-out (venue_id), 1 bad-date " \
           "(date)" in text
    assert "left out 1 of 2 rows of venues.csv: 1 unknown-kind (kind)" in text
    assert "left out 1 of 2 rows of photos.csv: 1 bad-photo-src (src)" in text
    events = json.loads((out / "events.geojson").read_text(encoding="utf-8"))
    assert sorted(f["properties"]["id"] for f in events["features"]) == ["p-berlin",
                                                                          "p-berlin-2"]
    rows = [r for r in read_report(out / "problems.csv") if r["severity"] == "error"]
    assert [(r["file"], r["line"], r["rule"]) for r in rows] == [
        ("photos.csv", "3", "bad-photo-src"), ("protests.csv", "3", "venue-left-out"),
        ("protests.csv", "4", "venue-left-out"), ("protests.csv", "5", "bad-date"),
        ("venues.csv", "3", "unknown-kind")]
    assert set(p.name for p in out.iterdir()) == {"map.html", "embed.html", "events.geojson",
                                                  "problems.csv"}


def test_build_without_the_flag_writes_nothing(mixed: Path, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert main(["build", "--data", str(mixed), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "error: 3 problems: 1 in 1 row of photos.csv (of 2 rows)" in err
    assert "--skip-invalid" in err
    assert not out.exists()


def test_skip_invalid_still_stops_on_an_unreadable_file(mixed: Path, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    path = mixed / "venues.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("kind,", "sort,", 1),
                    encoding="utf-8")
    out = tmp_path / "out"
    assert main(["build", "--data", str(mixed), "--out", str(out), "--skip-invalid"]) == 2
    assert "required column 'kind' is missing" in capsys.readouterr().err
    assert not out.exists()


def test_build_skip_invalid_from_build_map_py(mixed: Path, tmp_path: Path) -> None:
    import subprocess
    import sys

    from conftest import ROOT

    out = tmp_path / "out"
    run = subprocess.run([sys.executable, "build_map.py", "--data", str(mixed), "--out",
                          str(out), "--skip-invalid"],
                         capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert run.returncode == 0, run.stderr
    assert (out / "problems.csv").exists()


def test_a_large_sort_is_done_when_read_and_in_the_same_order() -> None:
    rng = np.random.default_rng(7)
    n = 6_000  # three batches: over the 10,000 problems sorted at once
    found = Problems([Batch(file, column, np.sort(rng.integers(2, 3_000, n)), np.arange(n),
                            f"{file} {column}; fix it", rule=column)
                      for file, column in (("b.csv", "x"), ("a.csv", "y"), ("b.csv", "a"))])
    keys = [(p.file, p.line, p.column) for p in found]
    expected = [keys[k] for k in sorted(range(len(keys)), key=lambda k: keys[k])]  # stable

    def order(problems: Problems) -> list[tuple[str, int, str]]:
        return [(p.file, p.line, p.column) for p in problems]

    assert len(found.sorted()) == 3 * n
    assert order(found.sorted()) == expected
    assert [found.sorted()[k] for k in (0, 4_321, -1)] == [
        found.sorted()[k] for k in (0, 4_321, 3 * n - 1)]
    assert (found.sorted()[4_321].file, found.sorted()[4_321].line) == expected[4_321][:2]
    extra = Problem("a.csv", 1, "id", "listed")
    assert order(found.sorted() + [extra]) == [*expected, ("a.csv", 1, "id")]
    assert order([extra] + found.sorted()) == [("a.csv", 1, "id"), *expected]
    gone = np.unique(found.lines("a.csv"))[:100]
    assert order(found.sorted().without({"a.csv": gone})) == [
        k for k in expected if not (k[0] == "a.csv" and k[1] in set(gone.tolist()))]
    assert {p.severity for p in found.sorted().as_severity("warning")} == {"warning"}
    assert found.sorted().lines("b.csv").tolist() == found.lines("b.csv").tolist()
    assert found.sorted() == Problems(sorted(found, key=lambda p: (p.file, p.line, p.column)))


def test_the_console_lists_each_rules_first_problems_in_order_without_sorting_all() -> None:
    rng = np.random.default_rng(3)
    batches = [Batch(file, column, rng.integers(2, 400, n), np.arange(n),
                     lambda i, r=rule: f"{r} {i}; fix it", rule=rule)
               for file, column, rule, n in [("b.csv", "x", "one", 9_000), ("a.csv", "y", "two", 4),
                                              ("b.csv", "x", "one", 3_000),
                                              ("b.csv", "a", "three", 5_000),
                                              ("a.csv", "y", "four", 2)]]
    found = Problems(batches).sorted()
    groups: dict[tuple[str, str, str], list[Problem]] = {}
    counts: dict[tuple[str, str, str], int] = {}
    last: dict[tuple[str, str, str], int] = {}
    for p in list(Problems(batches).sorted()):  # the reference: every problem, sorted, in order
        key = (p.file, p.column, p.rule)
        groups.setdefault(key, [])
        if len(groups[key]) < 3:
            groups[key].append(p)
        counts[key] = counts.get(key, 0) + 1
        last[key] = max(last.get(key, 0), p.line)
    expected = []
    for key, shown in groups.items():
        expected += [str(p).lstrip(": ") for p in shown]
        if counts[key] > 3:
            expected.append(f"  … and {counts[key] - 3:,} more rows like this ({key[2]}), up to "
                            f"line {last[key]:,}")
    assert console_lines(found, per_rule=3) == expected
