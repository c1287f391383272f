"""Reading and validating the tables: every rule of the data contract, each problem with its
file, line and column, all of them collected."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest
from conftest import DATA
from datakit import PROTESTS, add_row, load, only, problems, set_cell, tiny

from geo.errors import DataError
from geo.schema import PROTEST_COLUMNS, VENUE_COLUMNS
from geo.tables import LINE, load_dataset, read_csv_table

HEADER = PROTESTS.splitlines()[0]  # the first eleven columns: the optional ones may be left out


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return tiny(tmp_path / "data")


# --- the default dataset and a valid folder --------------------------------------------------

def test_default_dataset_is_valid_and_remembers_lines() -> None:
    ds = load_dataset(DATA)
    assert len(ds.protests) == 9 and len(ds.venues) == 9
    assert ds.protests[LINE].tolist() == list(range(2, 11))
    assert ds.venues["lat"].dtype == float and ds.venues["lat"].notna().all()
    assert ds.context["id"].tolist() == ["zhanaozen-2011"]


def test_optional_tables_may_be_missing(data: Path) -> None:
    (data / "photos.csv").unlink()
    ds = load(data)
    assert ds.photos.empty and list(ds.photos.columns) == [
        "protest_id", "src", "caption", "credit", "alt", LINE]
    assert ds.context.empty


def test_a_header_only_table_has_no_rows(data: Path) -> None:
    (data / "protests.csv").write_text(HEADER + "\n", encoding="utf-8")
    (data / "photos.csv").unlink()
    assert load(data).protests.empty


def test_extra_columns_are_kept_and_optional_ones_added(data: Path) -> None:
    text = "id,name,kind,city,country,lat,lon,opening_hours\n" \
           "v-berlin,Embassy,embassy,Berlin,DE,52.585,13.392,9-17\n"
    (data / "venues.csv").write_text(text, encoding="utf-8")
    (data / "protests.csv").write_text(HEADER + "\n", encoding="utf-8")
    (data / "photos.csv").unlink()
    venues = load(data).venues
    assert venues.loc[0, "opening_hours"] == "9-17"
    assert venues.loc[0, "represents"] == "" and venues.loc[0, "precision"] == ""


# --- files that cannot be read ---------------------------------------------------------------

def test_missing_file_names_it_and_the_header_to_write(data: Path) -> None:
    (data / "venues.csv").unlink()
    found = problems(data)
    assert found == [f"venues.csv: file not found at {data / 'venues.csv'}; create it with the "
                     f"header row {','.join(VENUE_COLUMNS)}"]


def test_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="nowhere: no such folder"):
        load_dataset(tmp_path / "nowhere")


def test_missing_required_column_names_line_and_column(data: Path) -> None:
    text = (data / "protests.csv").read_text(encoding="utf-8")
    (data / "protests.csv").write_text(text.replace("id,date,", "id,"), encoding="utf-8")
    found = problems(data)
    assert only(found, "protests.csv:1: date: required column 'date' is missing from the header")
    # the table is unreadable, so references to it are not checked
    assert not [p for p in found if "unknown protest_id" in p]


@pytest.mark.parametrize("content", [b"", b"  \n\n", b"\xef\xbb\xbf", b",,,\n"])
def test_empty_file(data: Path, content: bytes) -> None:
    (data / "protests.csv").write_bytes(content)
    found = problems(data)
    assert only(found, "protests.csv:1: the file is empty; line 1 must be the header row id,date,")


def test_duplicate_and_unnamed_header_columns(data: Path) -> None:
    text = (data / "photos.csv").read_text(encoding="utf-8").splitlines()
    text[0] = "protest_id,src,caption,caption,,_line"
    text[1] += ",,"
    (data / "photos.csv").write_text("\n".join(text) + "\n", encoding="utf-8")
    found = problems(data)
    assert only(found, "photos.csv:1: caption: column 'caption' appears twice in the header")
    assert only(found, "photos.csv:1: column 5 of the header has no name")
    assert only(found, "photos.csv:1: _line: the column name '_line' is reserved")


def test_ragged_rows_are_located_and_the_rest_still_checked(data: Path) -> None:
    path = data / "protests.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.insert(2, "p-extra,2011-12-16,Graz,AT,,SLP,A protest, with a comma,,,,")  # 12 fields
    lines.append("p-short,2011-12-16,Graz")
    lines.append("p-late,2011-13-01,Graz,AT,,SLP,Late.,,,,")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    found = problems(data)
    assert only(found, "protests.csv:3: date_note: row has 12 fields but the header has 11: 1 "
                       "more after the last column 'date_note'")
    assert only(found, "protests.csv:5: country: row has 3 fields but the header has 11: the "
                       "values from column 'country' on are missing")
    assert only(found, "protests.csv:6: date: '2011-13-01' is not a date (expected YYYY-MM-DD)")
    assert len(found) == 3  # no "unknown protest_id" for photos: protests.csv lost rows


def test_unclosed_quote_says_where_it_opened(data: Path) -> None:
    path = data / "protests.csv"
    path.write_text(path.read_text(encoding="utf-8")
                    + 'p-graz,2011-12-16,Graz,AT,,SLP,"Protest at the consulate.,,,,\n'
                    + "p-linz,2011-12-16,Linz,AT,,SLP,Another.,,,,\n", encoding="utf-8")
    found = problems(data)
    assert only(found, "protests.csv:4: participants: row has 7 fields but the header has 11")
    assert "the row runs from line 4 to 5: a quote opened there may never be closed" in found[0]


def test_bytes_that_are_not_utf8_are_named(data: Path) -> None:
    path = data / "venues.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("cp1252"))  # ß: the lone byte 0xDF
    found = problems(data)
    message = only(found, "venues.csv:2: address: byte 0xDF is not UTF-8")
    assert "the value would be 'Nordendstraße 14'" in message
    assert "save it as UTF-8" in message
    assert len(found) == 1  # venues.csv is unreadable: its values and references go unchecked


def test_byte_order_mark_whitespace_and_blank_lines_are_accepted(data: Path) -> None:
    path = data / "protests.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[0] = " , ".join(HEADER.split(","))
    lines[1] = lines[1].replace("p-berlin,2011-12-16,", "  p-berlin , 2011-12-16\t,")
    path.write_bytes(b"\xef\xbb\xbf" + ("\r\n".join(lines[:2] + ["", ",,,,,,,,,,"] + lines[2:])
                                       + "\r\n").encode("utf-8"))
    table = read_csv_table(path, PROTEST_COLUMNS)
    assert table.problems == [] and table.reader == "pyarrow"
    assert table.frame["id"].tolist() == ["p-berlin", "p-vienna"]
    assert table.frame["date"].tolist() == ["2011-12-16", "2011-12-16"]
    assert table.frame[LINE].tolist() == [2, 5]
    assert problems(data) == []


def test_both_readers_give_the_same_table(data: Path) -> None:
    """Quoted line breaks (\\n, \\r\\n), CR-only endings: pyarrow's and csv's line numbers agree."""
    body = ('p-a,2011-12-16,Berlin,DE,v-berlin,,"Line one\nline two\r\nline three",,,,\n'
            'p-b,2011-12-16,Vienna,AT,v-vienna,,"Single line",,,,\n'
            'p-c,2011-12-16,Vienna,AT,v-vienna,,"Two\rlines",,,,\n')
    fast = data / "fast.csv"
    fast.write_text(HEADER + "\n" + body, encoding="utf-8", newline="")
    exact = data / "exact.csv"
    exact.write_text(HEADER + "\n" + body + "   \n", encoding="utf-8", newline="")  # pyarrow
    # refuses a whitespace-only line, so this one is read line by line
    a, b = read_csv_table(fast, PROTEST_COLUMNS), read_csv_table(exact, PROTEST_COLUMNS)
    assert (a.reader, b.reader) == ("pyarrow", "csv")
    assert a.frame[LINE].tolist() == [2, 5, 6]
    pd.testing.assert_frame_equal(a.frame, b.frame)
    mac = data / "mac.csv"  # old Mac line ends: CR alone
    mac.write_bytes((HEADER + "\r" + body.replace("\r\n", "\r").replace("\n", "\r"))
                    .encode("utf-8"))
    c = read_csv_table(mac, PROTEST_COLUMNS)
    assert (c.reader, c.frame[LINE].tolist()) == ("pyarrow", [2, 5, 6])


def test_line_numbers_count_line_breaks_inside_values(data: Path) -> None:
    path = data / "protests.csv"
    set_cell(path, 2, "summary", "First paragraph.\n\nSecond paragraph.")
    with path.open("a", encoding="utf-8") as fh:
        fh.write("p-graz,2011-12-16,Graz,AT,,SLP,Bad date.,,,,\n".replace("2011-12-16", "16.12."))
    found = problems(data)
    assert only(found, "protests.csv:6: date: '16.12.' is not a date (expected YYYY-MM-DD)")


# --- values --------------------------------------------------------------------------------

def test_every_problem_is_collected_in_file_and_line_order(data: Path) -> None:
    set_cell(data / "protests.csv", 3, "date", "2011-13-01")
    set_cell(data / "protests.csv", 2, "country", "Germany")
    set_cell(data / "venues.csv", 2, "kind", "embassy_or_so")
    set_cell(data / "photos.csv", 2, "caption", "")
    with pytest.raises(DataError) as err:
        load_dataset(data)
    text = str(err.value).splitlines()
    assert text[0] == "4 problems in the data:"
    assert [t.split(": ")[0] for t in text[1:]] == [
        "photos.csv:2", "protests.csv:2", "protests.csv:3", "venues.csv:2"]
    assert "protests.csv:3: date: '2011-13-01' is not a date (expected YYYY-MM-DD)" in text[3]


def test_a_problem_on_many_rows_is_listed_for_every_row(data: Path) -> None:
    path = data / "protests.csv"
    lines = [add_row(path, id=f"p-{i}", date="16/12/2011", city="Berlin", country="DE",
                     venue_id="v-berlin", summary="A protest.") for i in range(25)]
    found = [p for p in problems(data) if " date: " in p]
    assert [int(p.split(":")[1]) for p in found] == lines
    assert found[-1] == (f"protests.csv:{lines[-1]}: date: '16/12/2011' is not a date (expected "
                         "YYYY-MM-DD); write the day it happened, e.g. 2011-12-16")


def test_required_value_blank(data: Path) -> None:
    set_cell(data / "protests.csv", 2, "summary", "   ")
    assert only(problems(data), "protests.csv:2: summary: summary is required but blank")


@pytest.mark.parametrize("value", ["2011-13-01", "2011-02-30", "16/12/2011", "2011-12-16T10:00"])
def test_dates_must_be_real_and_iso(data: Path, value: str) -> None:
    set_cell(data / "protests.csv", 3, "date", value)
    assert only(problems(data),
                f"protests.csv:3: date: {value!r} is not a date (expected YYYY-MM-DD)")


def test_duplicate_ids_name_the_first_use(data: Path) -> None:
    set_cell(data / "protests.csv", 3, "id", "p-berlin")
    assert only(problems(data), "protests.csv:3: id: duplicate id 'p-berlin' (first used on "
                                "line 2)")


def test_ids_are_slugs(data: Path) -> None:
    set_cell(data / "venues.csv", 3, "id", "Vienna Consulate")
    set_cell(data / "protests.csv", 3, "venue_id", "Vienna Consulate")
    assert only(problems(data), "venues.csv:3: id: 'Vienna Consulate' is not a valid id; use "
                                "letters, digits, '-', '_' and '.' only (e.g. 'vienna-consulate')")


def test_unknown_venue_id(data: Path) -> None:
    set_cell(data / "protests.csv", 3, "venue_id", "v-wien")
    assert only(problems(data), "protests.csv:3: venue_id: unknown venue_id 'v-wien': no row of "
                                "venues.csv has this id")


def test_unknown_photo_protest_id(data: Path) -> None:
    set_cell(data / "photos.csv", 2, "protest_id", "p-bern")
    assert only(problems(data), "photos.csv:2: protest_id: unknown protest_id 'p-bern': no row "
                                "of protests.csv has this id")


def test_unknown_venue_kind_suggests_the_word(data: Path) -> None:
    set_cell(data / "venues.csv", 2, "kind", "Embassy")
    assert only(problems(data), "venues.csv:2: kind: 'Embassy' is not a known kind; use one of "
                                "embassy, consulate, honorary_consulate, company_shop, "
                                "public_space, other; did you mean 'embassy'?")


def test_unknown_precision_word(data: Path) -> None:
    set_cell(data / "venues.csv", 3, "precision", "exact")
    assert only(problems(data), "venues.csv:3: precision: 'exact' is not a known precision; use "
                                "one of venue, street, city, region, country")


@pytest.mark.parametrize(("value", "hint"), [("Germany", "did you mean 'DE'?"),
                                             ("de", "did you mean 'DE'?"),
                                             ("DEU", "(two capital letters, e.g. DE")])
def test_country_must_be_iso_alpha2(data: Path, value: str, hint: str) -> None:
    set_cell(data / "protests.csv", 2, "country", value)
    message = only(problems(data), f"protests.csv:2: country: {value!r} is not an ISO 3166-1 "
                                   "alpha-2 country code")
    assert hint in message


def test_mission_represents_a_country_code(data: Path) -> None:
    set_cell(data / "venues.csv", 2, "represents", "Kazakhstan")
    assert only(problems(data), "venues.csv:2: represents: 'Kazakhstan' is not an ISO 3166-1 "
                                "alpha-2 country code; for an embassy, represents is the code of "
                                "the country it represents; write 'KZ'")


@pytest.mark.parametrize(("column", "value", "message"), [
    ("lat", "north", "'north' is not a number (decimal degrees such as 52.52)"),
    ("lat", "52,585", "'52,585' uses a decimal comma; write '52.585'"),
    ("lat", "nan", "'nan' is not a number"),
    ("lon", "213.392", "213.392 is out of range (must be between -180 and 180); are lat and "
                       "lon swapped?"),
    ("lon", "", "only one of lat and lon is given"),
])
def test_coordinates_are_numbers_in_range(data: Path, column: str, value: str,
                                          message: str) -> None:
    set_cell(data / "venues.csv", 2, column, value)
    found = only(problems(data), f"venues.csv:2: {'lat' if not value else column}: {message}")
    assert found


def test_swapped_lat_lon_fall_outside_the_country(data: Path) -> None:
    set_cell(data / "venues.csv", 2, "lat", "13.392")
    set_cell(data / "venues.csv", 2, "lon", "52.585")
    assert only(problems(data), "venues.csv:2: lat: point (13.392, 52.585) lies outside its "
                                "country 'DE'; lat and lon look swapped: exchange them")


def test_point_in_another_country(data: Path) -> None:
    set_cell(data / "venues.csv", 3, "lat", "50.0755")  # Prague, not Austria
    set_cell(data / "venues.csv", 3, "lon", "14.4378")
    assert only(problems(data), "venues.csv:3: lat: point (50.0755, 14.4378) lies outside its "
                                "country 'AT'; check the coordinates and the country")


def test_point_near_the_border_is_accepted(data: Path) -> None:
    set_cell(data / "venues.csv", 2, "lat", "47.66")  # Lindau, on the simplified outline's edge
    set_cell(data / "venues.csv", 2, "lon", "9.68")
    assert problems(data) == []


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,<b>x</b>",
                                 "file:///etc/passwd", "www.example.org", "https://"])
def test_source_url_must_be_http(data: Path, url: str) -> None:
    set_cell(data / "protests.csv", 2, "source_url", url)
    assert only(problems(data), f"protests.csv:2: source_url: {url!r} is not an http(s) link")


@pytest.mark.parametrize(("src", "message"), [
    ("javascript:alert(1)", "is neither an http(s) link nor a path relative to the data folder"),
    ("/etc/passwd", "is neither an http(s) link nor a path relative to the data folder"),
    ("C:\\photos\\a.jpg", "is neither an http(s) link nor a path relative to the data folder"),
    ("../secret.jpg", "points outside the data folder"),
    ("photos/missing.jpg", "no such file in"),
])
def test_photo_src_is_a_link_or_a_file_in_the_folder(data: Path, src: str, message: str) -> None:
    set_cell(data / "photos.csv", 2, "src", src)
    assert message in only(problems(data), f"photos.csv:2: src: {src!r}")


def test_photo_files_inside_the_folder_and_links_pass(data: Path) -> None:
    (data / "photos").mkdir()
    (data / "photos" / "berlin.jpg").write_bytes(b"\xff\xd8\xff")
    set_cell(data / "photos.csv", 2, "src", "photos/berlin.jpg")
    add_row(data / "photos.csv", protest_id="p-vienna", src="https://example.org/a.jpg",
            caption="A picture")
    assert problems(data) == []
    os.symlink("/etc/hostname", data / "photos" / "escape.jpg")
    set_cell(data / "photos.csv", 2, "src", "photos/escape.jpg")
    assert only(problems(data), "photos.csv:2: src: 'photos/escape.jpg': no such file in")


def test_protest_country_must_match_its_venue(data: Path) -> None:
    set_cell(data / "protests.csv", 2, "country", "AT")
    assert only(problems(data), "protests.csv:2: country: 'AT' differs from the country 'DE' of "
                                "venue 'v-berlin' (venues.csv line 2); correct one of them")


def test_city_unknown_to_the_gazetteer_without_coordinates(data: Path) -> None:
    add_row(data / "protests.csv", id="p-atlantis", date="2011-12-16", city="Xanadu",
            country="DE", summary="Nowhere.")
    assert only(problems(data), "protests.csv:4: city: 'Xanadu' (DE) is not in the offline "
                                "gazetteer (GeoNames places of 500 people or more, US post "
                                "office towns)")
    add_row(data / "protests.csv", id="p-leipsig", date="2011-12-16", city="Leipsig",
            country="DE", summary="A typing slip.")
    assert any(p.startswith("protests.csv:5: city: 'Leipsig' (DE) is not in the offline")
               and "did you mean Leipzig" in p for p in problems(data))


def test_context_rules(data: Path) -> None:
    (data / "context.csv").write_text(
        "id,name,date,city,country,lat,lon,precision,summary,source_url,source\n"
        "zhanaozen,Zhanaozen,2011-12-16,Zhanaozen,KZ,43.34,52.86,city,The strike.,,manual\n"
        "aktau,Aktau,16 Dec,Aktau,KZ,,51.2,town,Port.,javascript:x,\n", encoding="utf-8")
    found = problems(data)
    assert only(found, "context.csv:3: date: '16 Dec' is not a date")
    assert only(found, "context.csv:3: lat: lat is required but blank")
    assert only(found, "context.csv:3: precision: 'town' is not a known precision")
    assert only(found, "context.csv:3: source_url: 'javascript:x' is not an http(s) link")


# --- warnings --------------------------------------------------------------------------------

def test_approximations_are_warnings(data: Path) -> None:
    set_cell(data / "venues.csv", 3, "lat", "")
    set_cell(data / "venues.csv", 3, "lon", "")
    set_cell(data / "venues.csv", 2, "precision", "")
    set_cell(data / "venues.csv", 2, "source", "")
    add_row(data / "protests.csv", id="p-graz", date="2011-12-16", city="Graz", country="AT",
            summary="At the <b>consulate</b>.")
    warnings = [str(w) for w in load(data).warnings]
    assert only(warnings, "venues.csv:3: lat: 'v-vienna' has no coordinates; it is placed at "
                          "the centre of Vienna (city precision)")
    assert only(warnings, "venues.csv:2: precision: precision is blank; the point is taken as "
                          "exact (venue)")
    assert only(warnings, "venues.csv:2: source: source is blank; say where lat/lon came from")
    assert only(warnings, "protests.csv:4: venue_id: 'p-graz' has no venue_id; it is placed at "
                          "the centre of Graz (city precision)")
    assert only(warnings, "protests.csv:4: summary: looks like HTML ('<b>')")


def test_default_dataset_warns_about_approximate_venues() -> None:
    warnings = [str(w) for w in load_dataset(DATA).warnings]
    assert only(warnings, "venues.csv:3: precision: 'Telia shop, Gothenburg' is placed "
                          "approximately (city precision)")
