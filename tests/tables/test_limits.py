"""Values and tables the whole pipeline handles: dates in range, cells and headers of sane size."""

from __future__ import annotations

from pathlib import Path

import pytest
from datakit import add_row, only, problems, set_cell, tiny

from geo.build import build


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
