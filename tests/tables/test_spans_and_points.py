"""protests.csv's optional columns: ``end_date`` (protests that span days) and a protest's own
point (``lat``, ``lon``, ``precision``, ``location``)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from datakit import add_row, load, only, problems, set_cell, tiny

from geo.schema import PROTEST_COLUMNS
from geo.tables.columns import check_date_order
from geo.tables.csvfile import read_csv_table


@pytest.fixture
def data(tmp_path: Path) -> Path:
    folder = tiny(tmp_path / "data")
    path = folder / "protests.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[0] += ",end_date,lat,lon,precision,location"
    lines[1:] = [line + ",,,,," for line in lines[1:]]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def own_point(data: Path, **values: str) -> int:
    """Append a protest without a venue, in Germany; return its line."""
    row = {"id": "p-own", "date": "2011-12-16", "city": "Berlin", "country": "DE",
           "summary": "A march.", **values}
    return add_row(data / "protests.csv", **row)


# --- end_date --------------------------------------------------------------------------------

def test_the_optional_columns_may_be_left_out(tmp_path: Path) -> None:
    folder = tiny(tmp_path / "data")  # the header of 11 columns, without the new ones
    table = read_csv_table(folder / "protests.csv", PROTEST_COLUMNS).frame
    assert table is not None and table["end_date"].tolist() == ["", ""]
    assert problems(folder) == []


def test_an_end_date_on_or_after_the_date_is_valid(data: Path) -> None:
    set_cell(data / "protests.csv", 2, "end_date", "2011-12-20")
    set_cell(data / "protests.csv", 3, "end_date", "2011-12-16")  # the same day: one day
    assert problems(data) == []


@pytest.mark.parametrize("value", ["2011-12-32", "20.12.2011", "2011-12-20T18:00"])
def test_an_end_date_is_a_real_iso_date(data: Path, value: str) -> None:
    set_cell(data / "protests.csv", 2, "end_date", value)
    assert only(problems(data), f"protests.csv:2: end_date: {value!r} is not a date (expected "
                                "YYYY-MM-DD)")


def test_an_end_before_the_start_is_an_error_with_the_fix(data: Path) -> None:
    set_cell(data / "protests.csv", 3, "end_date", "2011-12-15")
    assert only(problems(data), "protests.csv:3: end_date: '2011-12-15' is before the date "
                                "'2011-12-16'; end_date is the last day of a protest that spans "
                                "days: swap the two dates, or leave end_date blank for a one-day "
                                "protest")


def test_date_order_leaves_bad_and_blank_dates_to_the_other_checks() -> None:
    frame = pd.DataFrame({"date": ["2011-12-16", "bad", "2011-12-16", ""],
                          "end_date": ["", "2011-12-01", "2011-13-01", "2011-12-01"],
                          "_line": [2, 3, 4, 5]})
    assert check_date_order("protests.csv", frame, "date", "end_date") == []


# --- a protest's own point -------------------------------------------------------------------

def test_an_unknown_town_with_its_own_point_needs_no_gazetteer(data: Path) -> None:
    line = own_point(data, city="Kleinkleckersdorf", lat="52.1", lon="13.2", precision="city",
                     location="a village near Berlin")
    ds = load(data)
    assert not [w for w in map(str, ds.warnings) if f"protests.csv:{line}:" in w]


def test_an_unknown_town_without_a_point_still_cannot_be_placed(data: Path) -> None:
    line = own_point(data, city="Kleinkleckersdorf")
    assert only(problems(data), f"protests.csv:{line}: city: 'Kleinkleckersdorf' (DE) is not in "
                                "the offline gazetteer")


@pytest.mark.parametrize(("values", "column", "message"), [
    ({"lat": "52,52", "lon": "13.4"}, "lat", "'52,52' uses a decimal comma; write '52.52'"),
    ({"lat": "north", "lon": "13.4"}, "lat", "'north' is not a number"),
    ({"lat": "52.5", "lon": "213.4"}, "lon", "213.4 is out of range (must be between -180 and "
                                             "180); are lat and lon swapped?"),
    ({"lat": "52.5"}, "lat", "only one of lat and lon is given; give both, or leave both blank "
                             "to place the protest at its venue or city"),
    ({"lat": "13.4", "lon": "52.5"}, "lat", "point (13.4, 52.5) lies outside its country 'DE'; "
                                            "lat and lon look swapped: exchange them"),
    ({"lat": "48.2", "lon": "16.37"}, "lat", "point (48.2, 16.37) lies outside its country 'DE'"),
])
def test_own_coordinates_are_checked_as_a_venues(data: Path, values: dict[str, str],
                                                 column: str, message: str) -> None:
    line = own_point(data, precision="city", **values)
    assert only(problems(data), f"protests.csv:{line}: {column}: {message}")


def test_precision_is_required_with_a_point_and_only_then(data: Path) -> None:
    first = own_point(data, lat="52.5", lon="13.4")
    second = own_point(data, id="p-other", precision="city")
    third = own_point(data, id="p-third", lat="52.5", lon="13.4", precision="town")
    found = problems(data)
    assert only(found, f"protests.csv:{first}: precision: precision is blank; with lat/lon, say "
                       "how exact the point is: venue, street, city, region, country")
    assert only(found, f"protests.csv:{second}: precision: precision is given without lat/lon; "
                       "fill in lat/lon or clear precision")
    assert only(found, f"protests.csv:{third}: precision: 'town' is not a known precision")
    assert len(found) == 3


def test_a_venue_wins_over_the_rows_own_point_with_a_warning(data: Path) -> None:
    set_cell(data / "protests.csv", 2, "lat", "52.52")
    set_cell(data / "protests.csv", 2, "lon", "13.40")
    set_cell(data / "protests.csv", 2, "precision", "city")
    warnings = [str(w) for w in load(data).warnings]
    assert only(warnings, "protests.csv:2: lat: 'p-berlin' has a venue_id and its own lat/lon; "
                          "it is placed at venue 'v-berlin' and its lat/lon are ignored: clear "
                          "them, or clear venue_id to use them")


def test_location_is_plain_text(data: Path) -> None:
    line = own_point(data, lat="52.5", lon="13.4", precision="country",
                     location="<b>national</b>")
    warnings = [str(w) for w in load(data).warnings]
    assert only(warnings, f"protests.csv:{line}: location: looks like HTML ('<b>')")
