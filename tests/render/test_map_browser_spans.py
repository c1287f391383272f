"""Protests that span days and protests at their own point, in headless Chromium.

One build: the default data plus a five-day vigil at its own point in Berlin (20–24 December
2011), a national protest in Sweden over the new year (country precision) and one in a town the
gazetteer does not know (30 November – 2 December 2011).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from playwright.sync_api import expect

from geo.build import build

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
VIGIL = "2011-12-20-berlin-vigil"
ROWS = [
    {"id": VIGIL, "date": "2011-12-20", "end_date": "2011-12-24", "city": "Berlin",
     "country": "DE", "summary": "A vigil of five days.", "organizer": "Vigil committee",
     "lat": "52.5219", "lon": "13.4132", "precision": "street",
     "location": "Alexanderplatz, Berlin"},
    {"id": "2011-12-30-sweden-national", "date": "2011-12-30", "end_date": "2012-01-02",
     "city": "Stockholm", "country": "SE", "summary": "Days of action across Sweden.",
     "organizer": "Unions", "lat": "62.0", "lon": "15.0", "precision": "country",
     "location": "national"},
    {"id": "2011-11-30-town", "date": "2011-11-30", "end_date": "2011-12-02",
     "city": "Kleinkleckersdorf", "country": "DE", "summary": "A small town's protest.",
     "organizer": "Town group", "lat": "52.1", "lon": "13.2", "precision": "city",
     "location": "kleinkleckersdorf"},
]
ITEM_TITLES = "[...document.querySelectorAll('#pm-list .pm-item-title')].map(e => e.textContent)"


@pytest.fixture(scope="session")
def spans_build(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("spans")
    data = base / "data"
    shutil.copytree(ROOT / "data", data)
    protests = pd.read_csv(data / "protests.csv", dtype=str, keep_default_na=False)
    protests = pd.concat([protests, pd.DataFrame(ROWS)], ignore_index=True).fillna("")
    protests.to_csv(data / "protests.csv", index=False)
    build(data, base / "out")
    return base / "out" / "map.html"


def _day(page, iso: str) -> int:
    return page.evaluate(f"Math.round(Date.parse('{iso}') / 86400000)")


def _set_range(page, first: int, last: int) -> None:
    page.click(".pm-reset")
    page.fill("#pm-to", str(last))
    page.fill("#pm-from", str(first))


def _open(page, map_page, dates: str):
    if map_page.name == "phone" and page.get_attribute(".pm-toggle", "aria-expanded") != "true":
        page.click(".pm-toggle")
    page.locator("#pm-list button", has_text=dates).click()
    popup = page.locator(".pm-popup")
    expect(popup).to_be_visible()
    return popup


def test_the_date_filter_shows_protests_whose_span_overlaps(map_page, spans_build):
    page = map_page.goto(spans_build)
    if map_page.name == "phone":
        page.click(".pm-toggle")
    assert page.title() == "Protests, 30 November 2011 – 2 January 2012"
    assert page.evaluate("protestMap.firstDay") == _day(page, "2011-11-30")
    assert page.evaluate("protestMap.lastDay") == _day(page, "2012-01-02")
    start = _day(page, "2011-12-20")
    _set_range(page, start + 2, start + 2)  # the vigil's third day only
    expect(page.locator("#pm-count")).to_have_text("1 protest of 12 shown.")
    assert page.locator("#pm-list .pm-item-place").all_text_contents() == [
        "Berlin, Germany · No venue listed"]
    assert page.text_content("#pm-list .pm-item-date") == "20–24 Dec 2011"
    _set_range(page, _day(page, "2011-12-01"), start - 1)  # ends the day before it starts
    expect(page.locator("#pm-count")).to_have_text("10 protests of 12 shown.")
    titles = page.evaluate(ITEM_TITLES)
    assert len(titles) == 10 and "Berlin" not in titles  # the town's, and the nine of 16–17 Dec
    _set_range(page, start + 5, _day(page, "2012-01-01"))  # starts the day after it ends
    expect(page.locator("#pm-count")).to_have_text("1 protest of 12 shown.")
    assert page.evaluate(ITEM_TITLES) == ["Stockholm"]  # over the new year
    assert map_page.records.problems() == []


def test_popups_and_the_list_say_the_span(map_pages, spans_build):
    mp = map_pages["desktop"]
    page = mp.goto(spans_build)
    dates = page.locator("#pm-list .pm-item-date").all_text_contents()
    assert dates[0] == "30 Nov – 2 Dec 2011" and dates[-1] == "30 Dec 2011 – 2 Jan 2012"
    assert "20–24 Dec 2011" in dates and "16 Dec 2011" in dates
    times = page.locator("#pm-list li").nth(0).locator("time")
    assert [times.nth(k).get_attribute("datetime") for k in range(2)] == [
        "2011-11-30", "2011-12-02"]

    popup = _open(page, mp, "20–24 Dec 2011")
    text = popup.text_content()
    assert popup.locator(".pm-popup-date").text_content() == "20–24 December 2011"
    assert "Reported asAlexanderplatz, Berlin" in text  # <dt> then <dd>
    assert "On this street, within about 300 m" in text
    page.keyboard.press("Escape")

    popup = _open(page, mp, "30 Dec 2011 – 2 Jan 2012")
    assert popup.locator(".pm-popup-date").text_content() == "30 December 2011 – 2 January 2012"
    text = popup.text_content()
    assert "Somewhere in Sweden" in text and "Reported asnational" in text
    event = int(popup.get_attribute("data-event"))
    assert page.evaluate(
        f"protestMap.d.precision_style[protestMap.d.precision[{event}]].radius") == 300_000
    page.keyboard.press("Escape")

    popup = _open(page, mp, "30 Nov – 2 Dec 2011")
    assert popup.locator(".pm-popup-date").text_content() == "30 November – 2 December 2011"
    assert "Reported as" not in popup.text_content()  # it would only repeat the town's name
    assert mp.records.problems() == []
