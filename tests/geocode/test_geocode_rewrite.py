"""venues.csv is rewritten atomically, with only the four geocoding cells of new rows changed."""

from __future__ import annotations

from pathlib import Path

import pytest

from geo.errors import DataError, UsageError
from geo.geocode import geocode_venues
from geo.places.gazetteer import Gazetteer, Place
from geo.schema import VENUE_COLUMNS
from geo.tables import LINE, load_dataset, read_csv_table
from geo.tables.cells import replace_cells, split_records

BOM = "\ufeff"
HEADER = "id,name,kind,represents,address,city,country,lat,lon,precision,source,notes\r\n"
TRICKY = (
    BOM + HEADER
    + 'kz-graz,"Consulate of Kazakhstan, Graz",consulate,KZ,,Graz,AT,,,,,'
      '"says ""honorary""; line\r\nbreak"\r\n'
    + "\r\n"
    + 'kz-vienna,Vienna,honorary_consulate,KZ,"Wipplingerstraße 35, 1010 Wien",Vienna,AT,'
      '48.2137,16.3662,street,"estimate, slp.at",x\r\n'
    + 'telia-lulea,"Telia shop, Luleå",company_shop,Telia,,Luleå,SE,"","",venue,old source,'
      '"  padded  "\r\n'
    + 'kz-nowhere,"Embassy, Nowhere",embassy,KZ,,Nowheresville,SE,,,,,\n'
    + 'ms,"M&S",company_shop,Marks & Spencer,"West Gate, Mansfield",Mansfield,GB,053.1450,'
      '-1.2,street,manual,no final newline'
)
EXPECTED = (
    BOM + HEADER
    + 'kz-graz,"Consulate of Kazakhstan, Graz",consulate,KZ,,Graz,AT,47.06733,15.44197,city,'
      'geonames:2778067,"says ""honorary""; line\r\nbreak"\r\n'
    + "\r\n"
    + 'kz-vienna,Vienna,honorary_consulate,KZ,"Wipplingerstraße 35, 1010 Wien",Vienna,AT,'
      '48.2137,16.3662,street,"estimate, slp.at",x\r\n'
    + 'telia-lulea,"Telia shop, Luleå",company_shop,Telia,,Luleå,SE,65.58415,22.15465,city,'
      'geonames:604490,"  padded  "\r\n'
    + 'kz-nowhere,"Embassy, Nowhere",embassy,KZ,,Nowheresville,SE,,,,,\n'
    + 'ms,"M&S",company_shop,Marks & Spencer,"West Gate, Mansfield",Mansfield,GB,053.1450,'
      '-1.2,street,manual,no final newline'
)


def write(tmp_path: Path, text: str) -> Path:
    data = tmp_path / "data"
    data.mkdir(exist_ok=True)
    (data / "venues.csv").write_bytes(text.encode("utf-8"))
    return data


def test_only_the_four_cells_of_rows_without_coordinates_change(tmp_path: Path) -> None:
    data = write(tmp_path, TRICKY)
    summary = geocode_venues(data, progress=False)
    assert (data / "venues.csv").read_bytes() == EXPECTED.encode("utf-8")
    assert summary.fallbacks() == 2 and summary.failures == 1 and summary.already_placed == 2
    assert "Nowheresville" in summary.warnings[0] and "venues.csv:7" in summary.warnings[0]


def test_records_start_on_the_lines_the_table_reader_reports(tmp_path: Path) -> None:
    data = write(tmp_path, TRICKY)
    table = read_csv_table(data / "venues.csv", VENUE_COLUMNS)
    assert table.frame is not None and table.complete
    records = [r for r in split_records(TRICKY.removeprefix(BOM)) if not r.is_blank()]
    assert [r.line for r in records[1:]] == list(table.frame[LINE]) == [2, 5, 6, 7, 8]


def test_missing_geocoding_columns_are_appended() -> None:
    text = "id,name,kind,city,country\nkz-graz,Graz consulate,consulate,Graz,AT\nx,X,other,Y,AT\n"
    out = replace_cells(text, {2: {"lat": "47.1", "lon": "15.4", "precision": "city",
                                   "source": "geonames:2778067"}})
    assert out == ("id,name,kind,city,country,lat,lon,precision,source\n"
                   "kz-graz,Graz consulate,consulate,Graz,AT,47.1,15.4,city,geonames:2778067\n"
                   "x,X,other,Y,AT,,,,\n")


def test_new_values_are_quoted_only_when_they_must_be() -> None:
    out = replace_cells("id,source\na,\n", {2: {"source": 'manual, see "notes"'}})
    assert out == 'id,source\na,"manual, see ""notes"""\n'


def test_an_update_for_a_line_without_a_record_is_refused() -> None:
    with pytest.raises(ValueError, match=r"line\(s\) \[3\]"):
        replace_cells("id,lat\na,\n", {3: {"lat": "1"}})


def test_the_file_is_replaced_by_a_rename_and_no_temporary_file_is_left(tmp_path: Path) -> None:
    data = write(tmp_path, TRICKY)
    inode = (data / "venues.csv").stat().st_ino
    geocode_venues(data, progress=False)
    assert (data / "venues.csv").stat().st_ino != inode
    assert sorted(p.name for p in data.iterdir()) == ["venues.csv"]


def test_nothing_to_do_leaves_the_file_alone(data_copy: Path) -> None:
    before = (data_copy / "venues.csv").stat()
    summary = geocode_venues(data_copy, progress=False)
    assert str(summary) == "venues.csv: every venue has coordinates; nothing to do"
    assert (data_copy / "venues.csv").stat().st_ino == before.st_ino


class EditingGazetteer(Gazetteer):
    """Stands in for an editor who saves venues.csv while the geocoder runs."""

    def __init__(self, path: Path) -> None:
        graz = {"name": "Graz", "countrycode": "AT", "latitude": 47.06733,
                "longitude": 15.44197, "population": 303270, "geonameid": 2778067}
        super().__init__(cities={"2778067": graz})
        self.path = path

    def lookup(self, city: str, country: str | None = None) -> Place:
        with self.path.open("a", encoding="utf-8", newline="") as fh:
            fh.write("\r\nnew-row,New venue,other,,,Graz,AT,,,,,")
        return super().lookup(city, country)


def test_a_table_edited_during_the_run_is_not_overwritten(tmp_path: Path) -> None:
    data = write(tmp_path, TRICKY)
    with pytest.raises(UsageError, match="changed while geocoding"):
        geocode_venues(data, progress=False, gazetteer=EditingGazetteer(data / "venues.csv"))
    assert (data / "venues.csv").read_text(encoding="utf-8-sig").endswith("New venue,other,,,"
                                                                           "Graz,AT,,,,,")


def test_a_bad_table_is_reported_by_line_and_column_and_left_alone(tmp_path: Path) -> None:
    text = HEADER + "a,A,embassy,KZ,,Graz,AT,47.1,,,,\r\nb,B,castle,KZ,,Graz,at,,,,,\r\n"
    data = write(tmp_path, text)
    with pytest.raises(DataError) as info:
        geocode_venues(data, progress=False)
    message = str(info.value)
    assert "venues.csv:2: lat: only one of lat and lon" in message
    assert "venues.csv:3: kind: 'castle' is not a known kind" in message
    assert "venues.csv:3: country: 'at' is not an ISO 3166-1" in message
    assert (data / "venues.csv").read_bytes() == text.encode("utf-8")


def test_the_written_table_passes_validation(data_copy: Path) -> None:
    path = data_copy / "venues.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[4] = lines[4].replace("50.79,4.38,city,", ",,,")  # Brussels embassy
    path.write_text("".join(lines), encoding="utf-8", newline="")
    geocode_venues(data_copy, progress=False)
    ds = load_dataset(data_copy)
    row = ds.venues.set_index("id").loc["kz-embassy-brussels"]
    assert (row["lat"], row["lon"], row["precision"], row["source"]) == (
        50.85045, 4.34878, "city", "geonames:2800866")


def test_a_table_without_the_geocoding_columns_gets_them_at_the_end(tmp_path: Path) -> None:
    data = write(tmp_path, 'id,name,kind,city,country,notes\n'
                           'kz-graz,Graz,consulate,Graz,AT,"a, b"\n')
    geocode_venues(data, progress=False)
    assert (data / "venues.csv").read_text(encoding="utf-8") == (
        "id,name,kind,city,country,notes,lat,lon,precision,source\n"
        'kz-graz,Graz,consulate,Graz,AT,"a, b",47.06733,15.44197,city,geonames:2778067\n')
