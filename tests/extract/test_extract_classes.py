"""The classes of failure the held-out articles showed, each as small sentences (issue 16).

Coordination of cities and venues, mission and shop words, places that are not protest sites,
addresses inside the venue phrase, headings and live-blog labels as places, and the evidence
every drafted row carries. Each sentence is new: none is copied from a test article.
"""

from __future__ import annotations

import datetime as dt
import json
import re

import pandas as pd
import pytest

from geo.extract import extract_records
from geo.extract.evaluate import ARTICLES, HELDOUT, load_cases
from geo.extract.places import place_names
from geo.extract.venues import find_venues
from geo.places.gazetteer import default_gazetteer

D = dt.date(2022, 3, 14)  # a Monday


def where(drafts: pd.DataFrame) -> list[tuple[str, ...]]:
    cols = ["city", "country", "venue_kind", "represents", "status"]
    return [tuple(r) for r in drafts[cols].itertuples(index=False)]


# --- coordination ------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "Exiles protested on Saturday outside the Eritrean embassies in Rome and in Madrid.",
    "Exiles protested on Saturday outside the Eritrean embassies in Rome, in Madrid.",
    "In Rome and in Madrid, exiles protested outside the Eritrean embassies on Saturday.",
])
def test_a_repeated_preposition_continues_the_list_of_cities(text: str) -> None:
    assert where(extract_records(text, date=D)) == [
        ("Rome", "IT", "embassy", "ER", "held"), ("Madrid", "ES", "embassy", "ER", "held")]


def test_and_in_after_a_comma_starts_a_clause_of_its_own() -> None:
    text = ("Students picketed the Peruvian embassy in Oslo, and in Bergen members rallied at "
            "the Honorary Consulate of Peru.")
    assert where(extract_records(text, date=D)) == [
        ("Oslo", "NO", "embassy", "PE", "held"),
        ("Bergen", "NO", "honorary_consulate", "PE", "held")]


# --- mission and shop words ---------------------------------------------------------------------

@pytest.mark.parametrize(("phrase", "kind", "represents"), [
    ("the Nigerian mission", "embassy", "NG"),
    ("the diplomatic representation of Venezuela", "embassy", "VE"),
    ("the Venezuelan diplomatic mission", "embassy", "VE"),
    ("the Turkish general consulate", "consulate", "TR"),
    ("the Consulate General of the Republic of Belarus", "consulate", "BY"),
    ("the Syrian permanent mission", "other", "SY"),
    ("the Ghana High Commission", "embassy", "GH"),
])
def test_mission_words(phrase: str, kind: str, represents: str) -> None:
    text = f"Dozens of people protested outside {phrase} in Vienna on Saturday."
    assert where(extract_records(text, date=D)) == [("Vienna", "AT", kind, represents, "held")]


@pytest.mark.parametrize("text", [
    "A fact-finding mission visited the town.",
    "They called for proportional representation.",
])
def test_bare_mission_words_without_a_country_are_no_venue(text: str) -> None:
    assert find_venues(text, 0, len(text), place_names(default_gazetteer())) == []


@pytest.mark.parametrize(("phrase", "represents"), [
    ("the Primark store on Mary Street", "Primark"),
    ("H&M's flagship on Regent Street", "H&M"),
    ("the Uniqlo outlet", "Uniqlo"),
    ("the Bank of Ireland branch on Grand Parade", "Bank of Ireland"),
    ("Sainsbury's stores", "Sainsbury's"),
    ("Shell's petrol station", "Shell"),
])
def test_shop_words_and_brands(phrase: str, represents: str) -> None:
    text = f"Campaigners leafleted outside {phrase} in Cork on Saturday."
    assert where(extract_records(text, date=D)) == [
        ("Cork", "IE", "company_shop", represents, "held")]


def test_the_company_s_regional_office_is_a_site() -> None:
    text = "In Sheffield, the branch held a rally outside the company's regional office."
    assert where(extract_records(text, date=D)) == [("Sheffield", "GB", "other", "", "held")]


# --- places that are not protest sites ----------------------------------------------------------

@pytest.mark.parametrize("text", [
    "Hundreds demonstrated in Beirut on Sunday, as the foreign ministry in Damascus condemned "
    "the protests.",
    "Hundreds demonstrated in Beirut on Sunday. The government in Damascus dismissed them.",
    "Hundreds demonstrated in Beirut on Sunday. Officials in Damascus did not respond.",
    "Hundreds demonstrated in Beirut on Sunday against the shelling of hospitals in Idlib.",
    "Hundreds demonstrated in Beirut on Sunday, after the blast in Tartus.",
    "Hundreds, among them students from Aleppo, demonstrated in Beirut on Sunday.",
    "Hundreds demonstrated in Beirut on Sunday, among them a former detainee held near Homs.",
])
def test_the_government_and_the_cause_are_not_protest_sites(text: str) -> None:
    assert where(extract_records(text, date=D)) == [("Beirut", "LB", "", "", "held")]


def test_a_workplace_is_a_protest_site_only_with_a_protest_word_or_an_action() -> None:
    text = ("Metalworkers' strike\n\nStrikers at the Volkswagen plant in Wolfsburg stayed out. "
            "Workers at the Porsche factory in Leipzig voted on the offer. Solidarity rallies "
            "were held today in Hanover and in Brunswick. Members struck at the Bosch depot in "
            "Stuttgart.")
    assert where(extract_records(text, date=D)) == [
        ("Hanover", "DE", "", "", "held"), ("Brunswick", "DE", "", "", "held"),
        ("Stuttgart", "DE", "other", "Bosch", "held")]


# --- addresses ----------------------------------------------------------------------------------

@pytest.mark.parametrize("address", [
    "on Portland Place", "on Hyde Park Gardens", "at 49 Portland Place", "off Regent Street",
])
def test_an_address_between_the_venue_and_its_city_keeps_the_venue(address: str) -> None:
    text = (f"Campaigners return to the embassy\n\nAbout 150 people gathered outside the Chinese "
            f"embassy {address} in London on Sunday.")
    assert where(extract_records(text, date=D)) == [("London", "GB", "embassy", "CN", "held")]


def test_a_street_named_after_a_city_is_not_that_city() -> None:
    text = "Back to Portland Place\n\nWe rallied outside the embassy of China in London today."
    assert where(extract_records(text, date=D)) == [("London", "GB", "embassy", "CN", "held")]


# --- headings, labels, ambiguous names ----------------------------------------------------------

def test_a_city_given_only_as_a_heading_places_the_paragraph_below() -> None:
    text = ("Branch reports\n\nLeeds\n\nTwenty members held a picket outside the DHL depot on "
            "Thursday.\n\nCardiff\n\nMembers joined a rally at the Senedd on Friday, alongside "
            "nurses from the hospital strike in Swansea.\n")
    assert where(extract_records(text, date=D)) == [
        ("Leeds", "GB", "other", "DHL", "held"), ("Cardiff", "GB", "public_space", "", "held")]


def test_a_live_blog_time_and_a_city_label_open_a_paragraph() -> None:
    text = ("Live: the diaspora protests\n\n12:00 Melbourne: about 80 people held placards "
            "outside the Sri Lankan consulate this morning.\n\n11:30 Paris: the ministry said "
            "nothing.\n")
    assert where(extract_records(text, date=D)) == [
        ("Melbourne", "AU", "consulate", "LK", "held")]


@pytest.mark.parametrize(("text", "country"), [
    ("Protesters marched to the consulates in Toronto. A vigil was held outside the Sri Lankan "
     "High Commission in London.", "GB"),
    ("LONDON, Dec 5 (Wire) - People marched to the consulates in Toronto and in Vancouver, and "
     "a vigil was held outside the Sri Lankan High Commission in London.", "GB"),
    ("Pickets stood in Mississauga and Oshawa, and a rally was held in London.", "CA"),
])
def test_a_far_larger_namesake_wins_unless_the_article_outweighs_it(text: str,
                                                                   country: str) -> None:
    drafts = extract_records(text, date=D)
    assert drafts.loc[drafts["city"] == "London", "country"].tolist() == [country]


# --- evidence -----------------------------------------------------------------------------------

_SPAN = re.compile(r'\[(\d+):(\d+)\] ("(?:[^"\\]|\\.)*")')


def test_every_drafted_row_quotes_its_sentences_with_offsets() -> None:
    """On every test article: each row's evidence spans are the report's own text."""
    cases = load_cases(ARTICLES)[0] + load_cases(HELDOUT, group="held-out")[0]
    rows = 0
    for case in cases:
        for evidence, city in extract_records(case.text, date=case.date)[
                ["evidence", "city"]].itertuples(index=False):
            spans = _SPAN.findall(evidence)
            assert spans and " | ".join(f"[{s}:{e}] {q}" for s, e, q in spans) == evidence
            for s, e, quoted in spans:
                original = re.sub(r"\s+", " ", case.text[int(s):int(e)]).strip()
                assert json.loads(quoted) == original, (case.name, s, e)
            quoted_text = " ".join(json.loads(q) for _, _, q in spans)
            assert city.casefold() in quoted_text.casefold() or case.name.startswith(
                "seed"), (case.name, city, evidence)
            rows += 1
    assert rows >= 140
