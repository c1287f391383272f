"""Problems of imported draft rows name the draft's lines, never the merged temporary file's."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_import import draft, snapshot, write_drafts

from geo.errors import DataError
from geo.importing import import_drafts


def problems_of(drafts: Path, data: Path) -> list[str]:
    before = snapshot(data)
    with pytest.raises(DataError) as caught:
        import_drafts(drafts, data)
    assert snapshot(data) == before
    return [str(p) for p in caught.value.problems]


def test_a_duplicate_id_within_the_drafts_names_the_drafts_line(
        data_copy: Path, tmp_path: Path) -> None:
    drafts = write_drafts(tmp_path / "drafts.csv", [
        draft(id="p-twice"), draft(id="p-twice", city="Lyon")])
    assert problems_of(drafts, data_copy) == [
        "drafts.csv:3: id: duplicate id 'p-twice' (first used on drafts.csv line 2); every row "
        "needs its own id"]


def test_a_duplicate_of_an_id_in_the_data_names_the_data_file(
        data_copy: Path, tmp_path: Path) -> None:
    drafts = write_drafts(tmp_path / "drafts.csv", [draft(id="2011-12-16-stockholm-telia")])
    assert problems_of(drafts, data_copy) == [
        "drafts.csv:2: id: duplicate id '2011-12-16-stockholm-telia' (first used on "
        "protests.csv line 2); every row needs its own id"]


def test_a_new_venue_of_another_country_names_the_drafts_line(
        data_copy: Path, tmp_path: Path) -> None:
    drafts = write_drafts(tmp_path / "drafts.csv", [
        draft(venue_id="sy-embassy-paris"),
        draft(venue_id="sy-embassy-paris", date="2012-02-05", city="Vienna", country="AT")])
    found = problems_of(drafts, data_copy)
    assert [p for p in found if p.startswith("drafts.csv:3: country:")] == [
        "drafts.csv:3: country: 'AT' differs from the country 'FR' of venue 'sy-embassy-paris' "
        "(drafts.csv line 2); correct one of them"], found
