"""``protest-map import``: reviewed drafts into the data folder, and the editor's whole workflow."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import pytest
from conftest import ROOT, SEED

from geo.cli import main
from geo.errors import DataError, UsageError
from geo.extract import DRAFT_COLUMNS, extract_file
from geo.importing import import_drafts
from geo.tables import load_dataset

ARTICLES = ROOT / "tests" / "extract" / "articles"


def write_drafts(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(DRAFT_COLUMNS))
        writer.writeheader()
        for row in rows:
            writer.writerow({c: row.get(c, "") for c in DRAFT_COLUMNS})
    return path


def draft(**values: str) -> dict[str, str]:
    base = {"date": "2012-02-04", "city": "Paris", "country": "FR", "status": "held",
            "summary": "People protested at the embassy.", "venue_name": "Embassy of Syria, Paris",
            "venue_kind": "embassy", "represents": "SY", "evidence": '[0:5] "x"',
            "confidence": "0.9"}
    return {**base, **values}


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def test_new_rows_are_added_with_ids_and_new_venues_without_coordinates(
        data_copy: Path, tmp_path: Path) -> None:
    before = snapshot(data_copy)
    drafts = write_drafts(tmp_path / "drafts.csv", [
        draft(),
        draft(city="Berlin", country="DE", date="2011-12-20", venue_name="the embassy",
              represents="KZ", organizer="SAV"),
        draft(city="Glasgow", country="GB", venue_name="George Square, Glasgow",
              venue_kind="public_space", represents=""),
        draft(city="Leeds", country="GB", venue_name="", venue_kind="", represents=""),
    ])
    result = import_drafts(drafts, data_copy)
    assert result.protests == ["2012-02-04-paris-embassy", "2011-12-20-berlin-embassy",
                               "2012-02-04-glasgow-george-square", "2012-02-04-leeds"]
    assert result.venues == ["sy-embassy-paris", "george-square-glasgow"]  # Berlin's exists
    assert "next: protest-map geocode" in str(result)
    ds = load_dataset(data_copy)
    added = ds.protests.set_index("id").loc[result.protests]
    assert added["venue_id"].tolist() == ["sy-embassy-paris", "kz-embassy-berlin",
                                          "george-square-glasgow", ""]
    assert added.loc["2011-12-20-berlin-embassy", "organizer"] == "SAV"
    new = ds.venues.set_index("id").loc[result.venues]
    assert new[["kind", "represents", "city", "country"]].values.tolist() == [
        ["embassy", "SY", "Paris", "FR"], ["public_space", "", "Glasgow", "GB"]]
    assert new["lat"].isna().all() and new["lon"].isna().all()
    for name in ("protests.csv", "venues.csv"):  # existing bytes untouched, rows appended
        assert (data_copy / name).read_bytes().startswith(before[name])
    assert "evidence" not in (data_copy / "protests.csv").read_text(encoding="utf-8")
    assert [p.name for p in data_copy.iterdir() if p.name.startswith(".")] == []


def test_duplicates_of_the_data_and_of_earlier_drafts_are_reported_and_skipped(
        data_copy: Path, tmp_path: Path) -> None:
    before = snapshot(data_copy)
    drafts = write_drafts(tmp_path / "drafts.csv", [
        draft(city="Berlin", country="DE", date="2011-12-16", venue_name="Embassy, Berlin",
              represents="KZ"),
        draft(city="Vienna", country="AT", date="2011-12-16", venue_kind="consulate",
              venue_name="Consulate, Vienna", represents="KZ"),  # the honorary consulate
    ])
    result = import_drafts(drafts, data_copy)
    assert result.protests == [] and snapshot(data_copy) == before
    assert result.skipped == [
        "drafts.csv:2: same date, city and venue as protest '2011-12-16-berlin-embassy' "
        "(protests.csv line 8); not imported again",
        "drafts.csv:3: same date, city and venue as protest '2011-12-16-vienna-consulate' "
        "(protests.csv line 10); not imported again"]
    twice = write_drafts(tmp_path / "twice.csv", [draft(), draft(summary="Again.")])
    result = import_drafts(twice, data_copy)
    assert result.protests == ["2012-02-04-paris-embassy"]
    assert result.skipped == ["twice.csv:3: same date, city and venue as twice.csv line 2; not "
                              "imported again"]


def test_planned_rows_are_skipped_with_a_message(data_copy: Path, tmp_path: Path) -> None:
    drafts = write_drafts(tmp_path / "drafts.csv", [
        draft(status="planned", summary="", date="2012-02-11"), draft(city="Lyon")])
    result = import_drafts(drafts, data_copy)
    assert result.protests == ["2012-02-04-lyon-embassy"]
    assert result.skipped == ["drafts.csv:2: planned protest (Paris, 2012-02-11); import it once "
                              "it has taken place, with status held and its date"]


def test_ids_that_are_taken_get_a_number(data_copy: Path, tmp_path: Path) -> None:
    drafts = write_drafts(tmp_path / "drafts.csv", [
        draft(city="Berlin", country="DE", date="2011-12-16", venue_name="Telia shop, Berlin",
              venue_kind="company_shop", represents="KZ Telecom"),
        draft(city="Berlin", country="DE", date="2011-12-16", venue_kind="consulate",
              venue_name="Consulate of Kazakhstan, Berlin", represents="KZ"),
    ])
    result = import_drafts(drafts, data_copy)
    assert result.protests == ["2011-12-16-berlin-kz-telecom", "2011-12-16-berlin-consulate"]
    given = write_drafts(tmp_path / "given.csv", [
        draft(city="Berlin", country="DE", date="2011-12-17", venue_kind="consulate",
              venue_name="Consulate of Kazakhstan, Berlin", represents="KZ")])
    assert import_drafts(given, data_copy).protests == ["2011-12-17-berlin-consulate"]
    # the consulate added by the first import is found again, not added twice
    venues = pd.read_csv(data_copy / "venues.csv", dtype=str)
    assert (venues["id"] == "kz-consulate-berlin").sum() == 1


def test_bad_draft_rows_are_reported_by_draft_line_and_nothing_is_written(
        data_copy: Path, tmp_path: Path) -> None:
    before = snapshot(data_copy)
    drafts = write_drafts(tmp_path / "drafts.csv", [
        draft(),
        draft(city="Lyon", date="2012-02-31"),
        draft(city="Nice", country="fr", summary=""),
        draft(city="Lille", venue_kind="shop"),
        draft(city="Metz", status="maybe"),
        draft(city="Nantes", source_url="javascript:alert(1)"),
        draft(city="Brest", venue_name=""),
    ])
    with pytest.raises(DataError) as err:
        import_drafts(drafts, data_copy)
    text = str(err.value)
    for expected in ("drafts.csv:3: date: '2012-02-31' is not a date",
                     "drafts.csv:4: country: 'fr' is not an ISO 3166-1 alpha-2 country code",
                     "drafts.csv:4: summary: summary is blank; write what happened in your own "
                     "words",
                     "drafts.csv:5: venue_kind: (new venue) 'shop' is not a known kind",
                     "drafts.csv:6: status: 'maybe' is not a status",
                     "drafts.csv:7: source_url: 'javascript:alert(1)' is not an http(s) link",
                     "drafts.csv:8: venue_name: venue_kind is set but the venue has no name"):
        assert expected in text, text
    assert "drafts.csv:2:" not in text
    assert snapshot(data_copy) == before


def test_import_command_exit_status_and_messages(data_copy: Path, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    bad = write_drafts(tmp_path / "bad.csv", [draft(summary="")])
    assert main(["import", str(bad), "--data", str(data_copy)]) == 2
    assert "bad.csv:2: summary:" in capsys.readouterr().err
    good = write_drafts(tmp_path / "good.csv", [draft()])
    assert main(["import", str(good), "--data", str(data_copy)]) == 0
    assert "good.csv: added 1 protest to" in capsys.readouterr().out
    assert main(["import", str(good), "--data", str(tmp_path / "missing")]) == 2
    assert "no such folder" in capsys.readouterr().err
    (tmp_path / "nostatus.csv").write_text("date,city,country,summary\n", encoding="utf-8")
    assert main(["import", str(tmp_path / "nostatus.csv"), "--data", str(data_copy)]) == 2
    assert "required column 'status' is missing" in capsys.readouterr().err


def test_import_into_an_empty_folder_creates_both_tables(tmp_path: Path) -> None:
    folder = tmp_path / "new"
    folder.mkdir()
    drafts = write_drafts(tmp_path / "drafts.csv", [draft(), draft(city="Leeds", country="GB",
                                                                   venue_name="", venue_kind="",
                                                                   represents="")])
    result = import_drafts(drafts, folder)
    assert len(result.protests) == 2 and result.venues == ["sy-embassy-paris"]
    ds = load_dataset(folder)
    assert len(ds.protests) == 2 and len(ds.venues) == 1
    with pytest.raises(UsageError):
        import_drafts(drafts, tmp_path / "absent")


def test_line_endings_and_photos_of_the_data_folder_are_respected(data_copy: Path,
                                                                  tmp_path: Path) -> None:
    (data_copy / "photos").mkdir()
    (data_copy / "photos" / "berlin.jpg").write_bytes(b"\xff\xd8\xff")
    photos = (data_copy / "photos.csv").read_text(encoding="utf-8")
    (data_copy / "photos.csv").write_text(
        photos + "2011-12-16-berlin-embassy,photos/berlin.jpg,At the gate,,\n", encoding="utf-8")
    crlf = (data_copy / "protests.csv").read_bytes().replace(b"\n", b"\r\n")
    (data_copy / "protests.csv").write_bytes(crlf)
    drafts = write_drafts(tmp_path / "drafts.csv", [draft(summary='Says "hi", twice.\nTwo lines.')])
    import_drafts(drafts, data_copy)
    written = (data_copy / "protests.csv").read_bytes()
    assert written.startswith(crlf) and written.endswith(b"\r\n")
    assert b'"Says ""hi"", twice.\nTwo lines."' in written
    assert len(load_dataset(data_copy).protests) == 10


def test_a_problem_after_a_multi_line_value_is_reported_on_its_draft_line(
        data_copy: Path, tmp_path: Path) -> None:
    drafts = write_drafts(tmp_path / "drafts.csv", [
        draft(summary="One\nand two\nand three."), draft(city="Lyon", country="XX")])
    with pytest.raises(DataError) as err:
        import_drafts(drafts, data_copy)
    assert {(p.file, p.line) for p in err.value.problems} == {("drafts.csv", 5)}
    assert "drafts.csv:5: country: 'XX' is not an ISO 3166-1" in str(err.value)


@pytest.mark.parametrize("name", ["01-wire-syria", "05-bulletin-garment"])
def test_editor_workflow_extract_edit_import_geocode_build(name: str, data_copy: Path,
                                                           tmp_path: Path) -> None:
    """extract → edit (write summaries, drop planned rows) → import → geocode → build."""
    article = ARTICLES / f"{name}.txt"
    date = pd.read_json(ARTICLES / f"{name}.json", typ="series")["date"]
    drafts = tmp_path / "drafts.csv"
    assert main(["extract", str(article), "--date", str(date), "--out", str(drafts),
                 "--source-url", "https://example.org/report"]) == 0
    edited = pd.read_csv(drafts, dtype=str, keep_default_na=False)
    edited["summary"] = [f"Protest {i}, in our own words." for i in range(len(edited))]
    edited.to_csv(drafts, index=False)
    assert main(["import", str(drafts), "--data", str(data_copy)]) == 0
    assert main(["geocode", "--data", str(data_copy)]) == 0
    out = tmp_path / "build"
    assert main(["build", "--data", str(data_copy), "--out", str(out)]) == 0
    events = pd.read_json(io.StringIO((out / "events.geojson").read_text(encoding="utf-8")))
    assert len(events["features"]) == 9 + len(edited)
    venues = load_dataset(data_copy).venues
    assert venues["lat"].notna().all()  # geocode placed the new venues


def test_seed_drafts_are_all_already_in_the_default_data(data_copy: Path, tmp_path: Path) -> None:
    if not SEED.exists():
        pytest.skip("the seed report is not beside the repository")
    drafts = tmp_path / "seed.csv"
    extract_file(SEED, out=drafts, date="2011-12-16")
    result = import_drafts(drafts, data_copy)
    assert result.protests == []
    assert sum("same date, city and venue" in s for s in result.skipped) == 9
    assert sum("planned protest (Berlin, 2011-12-19)" in s for s in result.skipped) == 1
