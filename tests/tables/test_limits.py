"""Values and tables the whole pipeline handles: dates in range, cells and headers of sane size."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from datakit import add_row, only, problems, set_cell, tiny

from geo.build import build
from geo.tables import csvfile


@pytest.mark.parametrize("value", ["0000-01-01", "0999-12-31", "3000-01-01", "9999-12-31"])
def test_a_date_outside_the_years_the_map_handles_is_refused(tmp_path: Path, value: str) -> None:
    """validate took 0000-01-01, and build crashed on it (strftime)."""
    data = tiny(tmp_path / "data")
    set_cell(data / "protests.csv", 2, "date", value)
    assert only(problems(data), "protests.csv:2: date:") == (
        f"protests.csv:2: date: {value!r} is outside the years 1000-2999 the map can show; "
        "check the year (e.g. 2011-12-16)")


def test_an_end_date_and_a_context_date_outside_the_years_are_refused(tmp_path: Path) -> None:
    data = tiny(tmp_path / "data")
    line = add_row(data / "protests.csv", id="p-late", date="2011-12-16", city="Berlin",
                   country="DE", venue_id="v-berlin", summary="s")
    text = (data / "protests.csv").read_text("utf-8").splitlines()
    text[0] += ",end_date"
    text[1:] = [row + ("," if i != line - 2 else ",3000-01-01") for i, row in enumerate(text[1:])]
    (data / "protests.csv").write_text("\n".join(text) + "\n", encoding="utf-8")
    (data / "context.csv").write_text(
        "id,name,date,city,country,lat,lon,precision,summary,source_url,source\n"
        "c-1,Somewhere,0000-01-01,Berlin,DE,52.5,13.4,city,What happened,,\n", encoding="utf-8")
    found = problems(data)
    assert only(found, f"protests.csv:{line}: end_date:").endswith(
        "'3000-01-01' is outside the years 1000-2999 the map can show; check the year "
        "(e.g. 2011-12-16)")
    assert only(found, "context.csv:2: date:")


@pytest.mark.parametrize("value", ["1000-01-01", "2999-12-31"])
def test_the_first_and_last_years_build(tmp_path: Path, value: str) -> None:
    data = tiny(tmp_path / "data")
    set_cell(data / "protests.csv", 2, "date", value)
    set_cell(data / "protests.csv", 3, "date", value)
    assert build(data, tmp_path / "out").events == 2


@pytest.mark.parametrize(("column", "line", "table", "limit"), [
    ("city", 2, "protests.csv", 200), ("summary", 3, "protests.csv", 20_000),
    ("organizer", 2, "protests.csv", 1_000), ("name", 2, "venues.csv", 200),
    ("caption", 2, "photos.csv", 1_000)])
def test_a_value_longer_than_its_column_allows_is_refused(
        tmp_path: Path, column: str, line: int, table: str, limit: int) -> None:
    data = tiny(tmp_path / "data")
    set_cell(data / table, line, column, "x" * limit)
    assert not [p for p in problems(data) if "characters long" in p]  # the limit itself is fine
    set_cell(data / table, line, column, "x" * (limit + 1))
    assert only(problems(data), f"{table}:{line}: {column}:") == (
        f"{table}:{line}: {column}: {column} is {limit + 1:,} characters long, more than the "
        f"{limit:,} allowed; shorten it")


def test_a_city_name_of_100000_characters_is_refused(tmp_path: Path) -> None:
    """One such name froze the map page for seconds; it is no city."""
    data = tiny(tmp_path / "data")
    set_cell(data / "protests.csv", 2, "city", "Berlin" * 20_000)
    assert only(problems(data), "protests.csv:2: city:").endswith(
        "city is 120,000 characters long, more than the 200 allowed; shorten it")


def test_an_extra_column_has_the_long_limit(tmp_path: Path) -> None:
    data = tiny(tmp_path / "data")
    text = (data / "photos.csv").read_text("utf-8").splitlines()
    text = [text[0] + ",notes", text[1] + "," + "n" * 20_001]
    (data / "photos.csv").write_text("\n".join(text) + "\n", encoding="utf-8")
    assert only(problems(data), "photos.csv:2: notes:").endswith("more than the 20,000 allowed; "
                                                                "shorten it")


def test_a_table_of_too_many_columns_is_refused_before_its_rows_are_read(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A photos.csv of a million columns took 88 s and 13.6 GB to read."""
    data = tiny(tmp_path / "data")
    extra = "".join(f",x{i}" for i in range(196))
    (data / "photos.csv").write_text("protest_id,src,caption,credit,alt" + extra[:-5] + "\n"
                                     "p-berlin,,A caption,,\n", encoding="utf-8")
    assert problems(data) and "too many" not in " ".join(problems(data))  # 200: only ragged
    (data / "photos.csv").write_text("protest_id,src,caption,credit,alt" + extra + "\n"
                                     "p-berlin,,A caption,,\n", encoding="utf-8")

    for reader in ("_read_fast", "_read_exact"):
        original = getattr(csvfile, reader)

        def read(path: Path, *args: object, original: Any = original) -> object:
            assert path.name != "photos.csv", "the rows were read"
            return original(path, *args)

        monkeypatch.setattr(csvfile, reader, read)
    assert problems(data) == [
        "photos.csv:1: the header has 201 columns, more than the 200 a table may have; keep the "
        "columns protest_id,src,caption,credit,alt and few others"]


def test_a_huge_header_is_counted_without_reading_it_whole(tmp_path: Path) -> None:
    data = tiny(tmp_path / "data")
    header = "protest_id,src,caption,credit,alt" + "".join(f",x{i}" for i in range(1_000_000))
    (data / "photos.csv").write_text(header + "\r" + "p-berlin,,A caption,,\r", encoding="utf-8")
    found = only(problems(data), "photos.csv:1: the header has over ")
    assert "columns, more than the 200 a table may have" in found
