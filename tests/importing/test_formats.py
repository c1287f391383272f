"""``protest-map import --format acled|gdelt|ccc|mm``: sample files written from the codebooks."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pandas as pd
import pytest

import geo
from geo.build import build
from geo.cli import main
from geo.errors import DataError
from geo.importing.formats import import_file
from geo.importing.formats.run import country_point
from geo.tables import load_dataset

DATA = Path(__file__).parent / "data"
SAMPLES = [("acled_sample.csv", "acled"), ("acled_latin1.csv", "acled"),
           ("gdelt_sample.tsv", "gdelt"), ("ccc_sample.csv", "ccc"), ("mm_sample.csv", "mm")]


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def protests(folder: Path) -> pd.DataFrame:
    return pd.read_csv(folder / "protests.csv", dtype=str, keep_default_na=False).set_index("id")


@pytest.mark.parametrize(("name", "fmt"), SAMPLES)
def test_sample_imports_validates_builds_and_a_reimport_adds_nothing(
        name: str, fmt: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "new" / "data"  # does not exist yet: made, with empty tables
    assert main(["import", str(DATA / name), "--format", fmt, "--data", str(data)]) == 0
    out = capsys.readouterr().out
    assert f"{name} (" in out and "imported" in out
    assert {"protests.csv", "venues.csv", "photos.csv"} <= set(snapshot(data))
    ds = load_dataset(data)
    assert len(ds.protests) > 0
    assert ds.protests["id"].str.fullmatch(rf"{fmt}-[a-z0-9-]+").all()
    assert (ds.protests["source"].str.startswith(f"{fmt}:")).all()
    assert (ds.protests["location"] != "").all()
    result = build(data, tmp_path / "build")
    assert result.events == len(ds.protests)
    before = snapshot(data)
    again = import_file(DATA / name, fmt, data)
    assert again.imported == [] and again.present == len(ds.protests)
    assert snapshot(data) == before
    counts = again.outcomes()
    assert sum(counts.values()) == again.total


def test_acled_dates_precision_riots_venues_and_crowd(tmp_path: Path) -> None:
    result = import_file(DATA / "acled_sample.csv", "acled", tmp_path / "d")
    counts = result.outcomes()
    assert counts["imported"] == 5
    assert counts["skipped: not a protest (Riots)"] == 1
    assert counts["skipped: not a protest (Battles)"] == 1
    assert sum(counts.values()) == result.total == 7
    rows = protests(tmp_path / "d")
    assert rows["date"].to_dict() == {
        "acled-ltu1001": "2022-02-24", "acled-ltu1002": "2022-02-25",
        "acled-kaz2001": "2011-12-16", "acled-kaz2002": "2011-12-17",
        "acled-kaz2003": "2011-12-31"}
    assert rows.loc["acled-ltu1001", "venue_id"] == "ru-embassy-vilnius"
    assert rows.loc["acled-ltu1001", "participants"] == "around 300"
    assert rows.loc["acled-ltu1001", "region"] == "Vilniaus"
    assert rows.loc["acled-ltu1001", "organizer"] == ("Protesters (Lithuania); Ukrainian "
                                                      "Community of Lithuania")
    assert rows.loc["acled-ltu1001", "source_title"] == ("ACLED; sources: Example Daily; "
                                                         "Radio Example")
    assert rows.loc["acled-ltu1002", "participants"] == ""  # crowd size=no report
    assert rows["precision"].to_dict()["acled-ltu1002"] == "region"  # geo_precision 2
    assert rows.loc["acled-kaz2002", "precision"] == "region"  # geo_precision 3
    assert "week" in rows.loc["acled-kaz2002", "date_note"]
    assert rows.loc["acled-kaz2003", "summary"].startswith("ACLED records a peaceful protest")
    venues = pd.read_csv(tmp_path / "d" / "venues.csv", dtype=str, keep_default_na=False)
    embassy = venues.set_index("id").loc["ru-embassy-vilnius"]
    assert (embassy["kind"], embassy["represents"], embassy["city"], embassy["country"],
            embassy["lat"]) == ("embassy", "RU", "Vilnius", "LT", "")
    assert "3 venues added" in str(result)


def test_latin1_file_is_read_as_cp1252(tmp_path: Path) -> None:
    raw = (DATA / "acled_latin1.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    result = import_file(DATA / "acled_latin1.csv", "acled", tmp_path / "d")
    assert result.encoding == "cp1252"
    rows = protests(tmp_path / "d")
    assert rows.loc["acled-che3001", "city"] == "Zürich"
    assert "détenus" in rows.loc["acled-che3001", "summary"]
    assert rows.loc["acled-che3001", "venue_id"] == "cn-consulate-zurich"


def test_gdelt_fips_codes_geography_and_cameo(tmp_path: Path) -> None:
    result = import_file(DATA / "gdelt_sample.tsv", "gdelt", tmp_path / "d")
    counts = result.outcomes()
    assert counts["imported"] == 3
    assert counts["skipped: no geography"] == 2
    assert counts["skipped: not a protest (CAMEO root 19)"] == 1
    assert counts["skipped: not a protest (CAMEO 145 riot)"] == 1
    rows = protests(tmp_path / "d")
    assert rows["country"].to_dict() == {"gdelt-1020000001": "LT", "gdelt-1020000002": "US",
                                         "gdelt-1020000006": "AT"}  # FIPS LH, US, AU (not AU!)
    assert rows.loc["gdelt-1020000002", "region"] == "Oregon"
    assert rows.loc["gdelt-1020000001", "source_url"] == "https://example.org/news/vilnius-rally"
    assert "Machine-coded" in rows.loc["gdelt-1020000006", "summary"]
    assert set(rows["precision"]) == {"city"}
    lines = {i.line for i in result.issues if i.reason == "no geography"}
    assert lines == {3, 7}


def test_gdelt_country_and_state_precision(tmp_path: Path) -> None:
    result = import_file(DATA / "gdelt_coarse.tsv", "gdelt", tmp_path / "d")
    assert len(result.imported) == 2
    rows = protests(tmp_path / "d")
    de = rows.loc["gdelt-1020000101"]
    assert (de["city"], de["country"], de["precision"]) == ("Germany", "DE", "country")
    oregon = rows.loc["gdelt-1020000102"]
    assert (oregon["city"], oregon["region"], oregon["precision"]) == ("Oregon", "Oregon",
                                                                       "region")


def test_ccc_sizes_sources_states_and_online(tmp_path: Path) -> None:
    result = import_file(DATA / "ccc_sample.csv", "ccc", tmp_path / "d")
    assert result.outcomes()["skipped: online only"] == 1
    rows = protests(tmp_path / "d").reset_index().set_index("city")
    assert rows.loc["Portland", "participants"] == "200–400"
    assert rows.loc["Chicago", "participants"] == "1000–3000"  # 1000.0 / 3000.0
    assert rows.loc["San Juan", "participants"] == "dozens"  # size_low NA: size_text
    assert rows.loc["Chicago", "source_url"] == "https://example.org/chicago-march"  # source_2
    assert (rows.loc["Portland", "country"], rows.loc["Portland", "region"]) == ("US", "ME")
    assert (rows.loc["San Juan", "country"], rows.loc["San Juan", "region"]) == ("PR", "")
    assert rows.loc["Portland", "venue_id"] == "monument-square-portland"
    assert rows.loc["Chicago", "summary"] == ("March; rally. Claims: for racial justice, "
                                              "against police brutality.")


def test_mass_mobilization_locations_and_historic_states(tmp_path: Path) -> None:
    result = import_file(DATA / "mm_sample.csv", "mm", tmp_path / "d")
    assert result.outcomes()["skipped: not a protest (protest = 0)"] == 1
    rows = protests(tmp_path / "d")
    multi = rows.loc["mm-3691990001"]
    assert (multi["city"], multi["location"]) == ("Kiev", "Kiev, Lviv and Odessa")
    assert "also names Lviv and Odessa" in multi["summary"]
    montreal = rows.loc["mm-201995001"]
    assert (montreal["city"], montreal["region"]) == ("Montreal", "Quebec")
    assert rows.loc["mm-3451996001", "country"] == "RS"
    assert "as Yugoslavia" in rows.loc["mm-3451996001", "summary"]
    assert rows.loc["mm-3151991001", "country"] == "SK"  # Bratislava decides
    assert rows.loc["mm-3691990002", "end_date"] == "1990-10-17"
    assert rows.loc["mm-3691990001", "end_date"] == ""  # one day


def test_mass_mobilization_national_protest_is_placed_at_the_country(tmp_path: Path) -> None:
    result = import_file(DATA / "mm_national.csv", "mm", tmp_path / "d")
    assert result.imported == ["mm-3691991001"]
    row = protests(tmp_path / "d").loc["mm-3691991001"]
    assert (row["city"], row["country"], row["precision"], row["location"]) == (
        "Ukraine", "UA", "country", "nationwide")
    assert (float(row["lat"]), float(row["lon"])) == country_point("UA")
    assert 44 < float(row["lat"]) < 53 and 22 < float(row["lon"]) < 41
    assert "Nationwide" in row["summary"]
    assert row["end_date"] == "1991-03-03"
    events = geo.load_events(tmp_path / "d").set_index("id")
    assert events.loc["mm-3691991001", "precision"] == "country"
    assert events.loc["mm-3691991001", "location_source"] == "protest"


def test_same_protest_from_two_sources_is_kept_once_with_both(tmp_path: Path) -> None:
    data = tmp_path / "d"
    import_file(DATA / "dup_acled.csv", "acled", data)
    result = import_file(DATA / "dup_ccc.csv", "ccc", data)
    assert len(result.merged) == 1 and len(result.imported) == 1
    line, new, old, why = result.merged[0]
    assert (line, old) == (2, "acled-usa9001") and new.startswith("ccc-2022-02-26-boston-ma-")
    assert "same venue" in why
    rows = protests(data)
    assert rows.loc["acled-usa9001", "also_reported_as"] == (
        f"{new} https://example.org/boston-ukraine")
    assert rows.loc["acled-usa9001", "source_url"] == "https://example.org/boston-ukraine"
    assert len(rows) == 3  # the nurses' picket and the rights rally stay distinct
    assert f"duplicate: line 2 {new} = acled-usa9001" in str(result)
    load_dataset(data)
    again = import_file(DATA / "dup_ccc.csv", "ccc", data)
    assert again.present == 2 and not again.imported and not again.merged


def test_duplicates_are_found_in_the_other_direction_too(tmp_path: Path) -> None:
    data = tmp_path / "d"
    first = import_file(DATA / "dup_ccc.csv", "ccc", data)
    result = import_file(DATA / "dup_acled.csv", "acled", data)
    assert [(m[1], m[2]) for m in result.merged] == [("acled-usa9001", first.imported[0])]
    assert result.imported == ["acled-usa9002"]  # same day, same city, another protest


def test_bad_rows_fail_with_exit_2_naming_line_column_and_fix(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "d"
    report = tmp_path / "report.csv"
    status = main(["import", str(DATA / "acled_bad.csv"), "--format", "acled", "--data",
                   str(data), "--report", str(report)])
    assert status == 2
    err = capsys.readouterr().err
    assert "acled_bad.csv:2: event_date: no date; give the day" in err
    assert "acled_bad.csv:3: event_date: not a date ACLED writes" in err
    assert "acled_bad.csv:4: country: not a country name" in err
    assert "acled_bad.csv:5: latitude:" in err
    assert not data.exists()  # nothing written
    with report.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == ["file", "line", "column", "value", "message", "hint", "outcome"]
    assert {(r["line"], r["column"]) for r in rows} >= {("2", "event_date"), ("4", "country")}
    assert next(r for r in rows if r["line"] == "4")["value"] == "Atlantis"


def test_skip_invalid_imports_the_rest_and_lists_what_was_left_out(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "d"
    assert main(["import", str(DATA / "acled_bad.csv"), "--format", "acled", "--data",
                 str(data), "--skip-invalid"]) == 0
    out = capsys.readouterr().out
    assert "5 rows: 1 imported" in out and "invalid, left out: no date" in out
    assert list(protests(data).index) == ["acled-ltu1105"]
    with (data / "problems.csv").open(encoding="utf-8") as fh:
        assert len({r["line"] for r in csv.DictReader(fh)}) == 4


def test_ccc_bad_state_and_date(tmp_path: Path) -> None:
    with pytest.raises(DataError) as err:
        import_file(DATA / "ccc_bad.csv", "ccc", tmp_path / "d")
    text = str(err.value)
    assert "ccc_bad.csv:2: date: not a date" in text
    assert "ccc_bad.csv:3: state: not a US state" in text


def test_into_the_default_dataset_columns_added_and_venue_linked(
        data_copy: Path, tmp_path: Path) -> None:
    before = protests(data_copy)
    source = tmp_path / "berlin.csv"
    source.write_text(
        "event_id_cnty,event_date,event_type,country,location,latitude,longitude,notes\n"
        "DEU5001,2012-01-05,Protests,Germany,Berlin,52.52,13.405,"
        "\"Activists picketed the Kazakh embassy in Berlin over the Zhanaozen trials.\"\n",
        encoding="utf-8")
    result = import_file(source, "acled", data_copy)
    assert result.imported == ["acled-deu5001"] and result.venues_linked == 1
    after = protests(data_copy)
    assert after.loc["acled-deu5001", "venue_id"] == "kz-embassy-berlin"
    assert after.loc[before.index].drop(columns=[c for c in after if c not in before]).equals(
        before)
    assert {"region", "lat", "lon", "precision", "location", "source"} <= set(after.columns)
    load_dataset(data_copy)


def test_drafts_stay_the_default_format(data_copy: Path, tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    drafts = tmp_path / "drafts.csv"
    shutil.copy(DATA / "acled_sample.csv", drafts)
    assert main(["import", str(drafts), "--data", str(data_copy)]) == 2  # not a draft file
    assert main(["import", str(drafts), "--data", str(data_copy), "--skip-invalid"]) == 2
    assert "for --format acled" in capsys.readouterr().err
