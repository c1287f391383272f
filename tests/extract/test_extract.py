"""Report text → draft records: the seed report, the test articles, and each way reports say it."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pandas as pd
import pytest
from conftest import ROOT, SEED

from geo.cli import main
from geo.extract import DRAFT_COLUMNS, extract_file, extract_records
from geo.extract.dates import find_date_cues, resolve
from geo.extract.evaluate import HELDOUT, evaluate, load_cases, report, score, total
from geo.schema import PROTEST_COLUMNS

ARTICLES = ROOT / "tests" / "extract" / "articles"
D = dt.date


def rows(drafts: pd.DataFrame, *cols: str) -> list[tuple[str, ...]]:
    return [tuple(r) for r in drafts[list(cols)].itertuples(index=False)]


def where(drafts: pd.DataFrame) -> list[tuple[str, ...]]:
    return rows(drafts, "city", "country", "venue_kind", "represents", "status")


# --- the seed report -------------------------------------------------------------------------

@pytest.fixture(scope="module")
def seed_drafts() -> pd.DataFrame:
    if not SEED.exists():
        pytest.skip("the seed report is not beside the repository")
    return extract_records(SEED.read_text(encoding="utf-8"), date=D(2011, 12, 16))


def test_seed_yields_its_nine_protests_exactly(seed_drafts: pd.DataFrame) -> None:
    held = seed_drafts[seed_drafts["status"] == "held"]
    assert sorted(rows(held, "city", "country", "venue_kind", "represents", "date")) == sorted([
        ("Stockholm", "SE", "company_shop", "Telia", "2011-12-16"),
        ("Gothenburg", "SE", "company_shop", "Telia", "2011-12-16"),
        ("Luleå", "SE", "company_shop", "Telia", "2011-12-16"),
        ("Brussels", "BE", "embassy", "KZ", "2011-12-16"),
        ("London", "GB", "embassy", "KZ", "2011-12-16"),
        ("Berlin", "DE", "embassy", "KZ", "2011-12-16"),
        ("Mansfield", "GB", "company_shop", "Marks & Spencer", "2011-12-17"),
        ("Graz", "AT", "consulate", "KZ", "2011-12-16"),
        ("Vienna", "AT", "honorary_consulate", "KZ", "2011-12-16"),
    ])


def test_seed_announced_protest_is_planned_and_context_places_are_not_protests(
        seed_drafts: pd.DataFrame) -> None:
    planned = seed_drafts[seed_drafts["status"] == "planned"]
    assert rows(planned, "city", "country", "date", "venue_kind") == [
        ("Berlin", "DE", "2011-12-19", "")]
    cities = set(seed_drafts["city"])
    assert not cities & {"Zhanaozen", "Mangistau", "Rostock", "Cairo", "Aktau"}
    assert (seed_drafts["venue_name"].str.contains("Tahrir") == False).all()  # noqa: E712


def test_seed_rows_quote_their_evidence_with_offsets(seed_drafts: pd.DataFrame) -> None:
    text = SEED.read_text(encoding="utf-8")
    mansfield = seed_drafts[seed_drafts["city"] == "Mansfield"].iloc[0]
    assert "the previous day" in mansfield["evidence"]  # the sentence that dates it
    assert "day after" in mansfield["date_note"]
    for value in seed_drafts["evidence"]:
        for start, end, quoted in re.findall(r'\[(\d+):(\d+)\] ("(?:[^"\\]|\\.)*")', value):
            assert " ".join(text[int(start):int(end)].split()) == json.loads(quoted)


def test_seed_organizers(seed_drafts: pd.DataFrame) -> None:
    by_city = dict(rows(seed_drafts[seed_drafts["status"] == "held"], "city", "organizer"))
    assert by_city["Brussels"] == "LSP/PSL"
    assert by_city["Stockholm"].startswith("Rättvisepartiet Socialisterna")
    assert by_city["Berlin"].startswith("SAV")
    assert by_city["Mansfield"] == ""  # the London section's organizer is London's


# --- the test articles -------------------------------------------------------------------------

def test_articles_score_at_least_0_9_precision_and_recall() -> None:
    cases, _ = load_cases(ARTICLES)
    results = evaluate(cases)
    s = total(results)
    assert len([c for c in cases if c.name[:2].isdigit()]) >= 8
    assert s.precision >= 0.9, report(results, [], verbose=True)
    assert s.recall >= 0.9, report(results, [], verbose=True)


def test_heldout_articles_score_at_least_0_9_over_all_of_them() -> None:
    cases, _ = load_cases(HELDOUT, group="held-out")
    styles = {c.name.split("-")[1] for c in cases}
    assert len(cases) >= 20 and len(styles) >= 6, styles
    results = evaluate(cases)
    s = total(results)
    assert s.precision >= 0.9, report(results, [], verbose=True)
    assert s.recall >= 0.9, report(results, [], verbose=True)


def test_score_counts_a_wrong_field_as_a_miss_and_an_extra() -> None:
    want = [{"city": "Paris", "country": "FR", "date": "2012-02-04", "status": "held",
             "venue_kind": "embassy", "represents": "SY", "organizer": "X (Y)"}]
    got = pd.DataFrame([{**want[0], "represents": "SY", "organizer": "X"},
                        {**want[0], "city": "Lyon"}])
    s = score(want, got)
    assert (s.expected, s.drafted, s.correct) == (1, 2, 1)
    assert s.details_right == {"organizer": 1, "participants": 0}
    wrong = score(want, got.assign(venue_kind="consulate"))
    assert (wrong.correct, wrong.precision, wrong.recall) == (0, 0.0, 0.0)


def test_eval_command_prints_the_table(capsys: pytest.CaptureFixture[str]) -> None:
    from geo.extract.evaluate import main as eval_main

    assert eval_main(["--articles", str(ARTICLES)]) == 0
    out = capsys.readouterr().out
    number = r"\s+\d+\s+\d+\s+\d+\s+[01]\.\d\d\s+[01]\.\d\d$"
    for label in ("in-sample total", "held-out total", "all articles"):
        assert re.search(rf"^{label}{number}", out, re.M), label
    assert out.index("01-wire-syria") < out.index("-- held-out") < out.index("h01-wire-eritrea")
    assert eval_main(["--articles", str(ARTICLES), "--heldout", ""]) == 0
    assert "held-out" not in capsys.readouterr().out


# --- the ways reports say it -------------------------------------------------------------------

def test_section_heading_gives_the_city_and_the_article_the_mission_country() -> None:
    text = ("Vigils at Kazakh embassies\n\nBerlin vigil\n\nMembers picketed the embassy gates "
            "and handed over a letter.\n")
    assert where(extract_records(text, date=D(2011, 12, 16))) == [
        ("Berlin", "DE", "embassy", "KZ", "held")]


def test_several_cities_in_one_sentence_give_one_row_each() -> None:
    text = "Activists protested outside Syrian embassies in Paris, Berlin and Madrid on Saturday."
    drafts = extract_records(text, date=D(2012, 2, 5))
    assert where(drafts) == [(c, k, "embassy", "SY", "held")
                             for c, k in (("Paris", "FR"), ("Berlin", "DE"), ("Madrid", "ES"))]
    assert set(drafts["date"]) == {"2012-02-04"}


@pytest.mark.parametrize(("sentence", "kind", "represents"), [
    ("A protest was held in Leeds. They stood outside Marks & Spencer all day.", "company_shop",
     "Marks & Spencer"),
    ("Students picketed a Zara shop in Leeds.", "company_shop", "Zara"),
    ("Campaigners rallied outside Shell's headquarters in Leeds.", "other", "Shell"),
    ("People protested outside the Nigerian High Commission in Leeds.", "embassy", "NG"),
    ("People protested at the Consulate General of Algeria in Leeds.", "consulate", "DZ"),
    ("People protested at the Honorary Consulate of Cambodia in Leeds.", "honorary_consulate",
     "KH"),
    ("People protested outside Kazakhstan's embassy in Leeds.", "embassy", "KZ"),
    ("A vigil was held in George Square in Leeds.", "public_space", ""),
    ("In Leeds, people rallied outside the town hall.", "public_space", ""),
])
def test_venue_kinds_and_what_they_represent(sentence: str, kind: str, represents: str) -> None:
    assert where(extract_records(sentence)) == [("Leeds", "GB", kind, represents, "held")]


@pytest.mark.parametrize("text", [
    "The strike began in Zhanaozen in May.",
    "A doctor who had travelled to Homs spoke to us.",
    "The government in Damascus said in a statement that the reports were false.",
    "Our planned picket in Gdansk was called off because of the storm.",
    "There is no Turkish consulate in Bergen.",
    "We shouted 'Bring Tahrir Square to Kazakhstan' and “Free Zhanaozen”.",
])
def test_context_places_are_not_protests(text: str) -> None:
    assert extract_records("Protest report\n\n" + text).empty


def test_planned_protests_are_planned_and_dated_ahead() -> None:
    text = ("We protested outside the Turkish embassy in Oslo on Saturday. Next Saturday we will "
            "be back outside the embassy, and on 1 March we will march in Bergen.")
    drafts = extract_records(text, date=D(2017, 2, 13))
    assert rows(drafts, "city", "status", "date", "venue_kind") == [
        ("Oslo", "held", "2017-02-11", "embassy"),
        ("Oslo", "planned", "2017-02-18", "embassy"),
        ("Bergen", "planned", "2017-03-01", ""),
    ]


def test_a_past_plan_is_held() -> None:
    drafts = extract_records("The demo in Leeds was planned as part of a day of action.")
    assert rows(drafts, "city", "status") == [("Leeds", "held")]


@pytest.mark.parametrize(("text", "country"), [
    ("Workers picketed in London, Ontario.", "CA"),
    ("Canada\n\nIn London, workers picketed the plant.", "CA"),
    ("Protests across Spain\n\nIn Córdoba and Mérida, teachers marched.", "ES"),
    ("A protest was held in Newcastle, in the North East of England.", "GB"),
    ("A protest was held in Newcastle.", "AU"),
    ("Workers picketed in London.", "GB"),
])
def test_ambiguous_city_names_take_the_article_country(text: str, country: str) -> None:
    assert set(extract_records(text)["country"]) == {country}


def test_ambiguous_city_without_context_is_chosen_by_population_with_less_confidence() -> None:
    sure = extract_records("Workers picketed outside the factory in Graz today.",
                           date=D(2020, 1, 1))
    unsure = extract_records("Workers picketed outside the factory in Kingston today.",
                             date=D(2020, 1, 1))
    assert unsure.loc[0, "country"] == "JM"
    assert float(unsure.loc[0, "confidence"]) < float(sure.loc[0, "confidence"])


def test_dateline_gives_the_city_and_a_full_dateline_date_the_anchor() -> None:
    text = "BERLIN, March 4 (Wire) - Hundreds protested outside the Russian embassy on Saturday."
    assert rows(extract_records(text), "city", "country", "date", "represents") == [
        ("Berlin", "DE", "", "RU")]  # no year: no anchor
    assert rows(extract_records(text, date=D(2012, 3, 4)), "date") == [("2012-03-03",)]
    full = text.replace("March 4", "March 4, 2012")
    assert rows(extract_records(full), "date") == [("2012-03-03",)]


def test_multi_day_dates_follow_the_text() -> None:
    text = ("Monday 24 May\nIn Warsaw, students held a vigil outside the Belarusian embassy. The "
            "next day, they picketed the Belarusian consulate in Białystok.\n\nYesterday a march "
            "went through Vilnius.")
    drafts = extract_records(text, date=D(2021, 5, 28))
    assert rows(drafts, "city", "date") == [("Warsaw", "2021-05-24"), ("Białystok", "2021-05-25"),
                                            ("Vilnius", "2021-05-27")]


def test_without_a_date_relative_words_leave_the_date_blank_with_a_note() -> None:
    drafts = extract_records("Activists protested in Leeds yesterday.")
    assert drafts.loc[0, "date"] == ""
    assert "--date" in drafts.loc[0, "date_note"]
    explicit = extract_records("Activists protested in Leeds on 16 December 2011.")
    assert (explicit.loc[0, "date"], explicit.loc[0, "date_note"]) == ("2011-12-16", "")


def test_draft_columns_and_blank_fields_for_the_editor() -> None:
    drafts = extract_records("Activists protested outside the Syrian embassy in Paris today.",
                             date=D(2012, 2, 4), source_url="https://example.org/r")
    assert tuple(drafts.columns) == DRAFT_COLUMNS == (*PROTEST_COLUMNS, "venue_name",
                                                      "venue_kind", "represents", "status",
                                                      "evidence", "confidence")
    row = drafts.iloc[0]
    assert (row["id"], row["venue_id"], row["summary"]) == ("", "", "")
    assert row["venue_name"] == "Embassy of Syria, Paris"
    assert row["source_url"] == "https://example.org/r"
    assert 0 < float(row["confidence"]) <= 0.95
    assert row["evidence"] == ('[0:62] "Activists protested outside the Syrian embassy in Paris '
                               'today."')


@pytest.mark.parametrize(("first_line", "title"), [
    ("Syrians rally in Paris", "Syrians rally in Paris"),
    ("PRESS RELEASE", ""),
    ("=HYPERLINK(\"http://x\") rally", ""),
])
def test_source_title_is_the_first_line_when_it_is_a_title(first_line: str, title: str) -> None:
    drafts = extract_records(f"{first_line}\n\nPeople protested in Paris today.")
    assert drafts.loc[0, "source_title"] == title


def test_no_protest_no_rows_but_the_columns() -> None:
    drafts = extract_records("The weather in Paris was fine.")
    assert drafts.empty and tuple(drafts.columns) == DRAFT_COLUMNS


@pytest.mark.parametrize(("phrase", "anchor", "planned", "want"), [
    ("on Saturday", D(2012, 2, 5), False, D(2012, 2, 4)),
    ("on Saturday", D(2012, 2, 4), False, D(2012, 2, 4)),
    ("last Saturday", D(2012, 2, 4), False, D(2012, 1, 28)),
    ("on Saturday", D(2012, 2, 5), True, D(2012, 2, 11)),
    ("on 3 January", D(2012, 12, 30), True, D(2013, 1, 3)),
    ("on 30 December", D(2013, 1, 2), False, D(2012, 12, 30)),
    ("on December 16, 2011", None, False, D(2011, 12, 16)),
    ("at the start of next week", D(2011, 12, 16), True, D(2011, 12, 19)),
    ("yesterday", None, False, None),
])
def test_date_words(phrase: str, anchor: dt.date | None, planned: bool,
                    want: dt.date | None) -> None:
    cue = find_date_cues(phrase, 0, len(phrase))[0]
    assert resolve(cue, anchor=anchor, current=anchor, planned=planned) == want


# --- the file and the command ------------------------------------------------------------------

def test_extract_file_writes_the_same_bytes_every_time(tmp_path: Path) -> None:
    article = ARTICLES / "03-roundup-iran.txt"
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    extract_file(article, out=first, date="2014-11-09")
    extract_file(article, out=second, date="2014-11-09")
    assert first.read_bytes() == second.read_bytes()
    written = pd.read_csv(first, dtype=str, keep_default_na=False)
    assert tuple(written.columns) == DRAFT_COLUMNS and len(written) == 7


def test_extract_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "drafts.csv"
    assert main(["extract", str(ARTICLES / "08-blog-oslo.txt"), "--date", "2017-02-13",
                 "--out", str(out), "--source-url", "https://example.org/blog"]) == 0
    assert "wrote 3 draft rows (1 planned)" in capsys.readouterr().out
    assert main(["extract", str(ARTICLES / "08-blog-oslo.txt"), "--date", "2017-02-13"]) == 0
    assert capsys.readouterr().out.encode() == out.read_bytes().replace(
        b"https://example.org/blog", b"")


@pytest.mark.parametrize(("args", "message"), [
    (["--date", "2017-02-30"], "--date '2017-02-30' is not a date"),
    (["--out", "data/protests.csv"], "must not replace a data table"),
    (["--source-url", "javascript:alert(1)"], "is not an http(s) link"),
])
def test_extract_command_refuses_bad_arguments(args: list[str], message: str,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", str(ARTICLES / "08-blog-oslo.txt"), *args]) == 2
    assert message in capsys.readouterr().err


def test_extract_command_names_a_missing_or_non_utf8_article(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", str(tmp_path / "none.txt")]) == 2
    assert "none.txt: no such file" in capsys.readouterr().err
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Protest in Luleå".encode("latin-1"))
    assert main(["extract", str(latin)]) == 2
    assert "is not UTF-8" in capsys.readouterr().err
