"""The interface in the reader's language, in headless Chromium: the browser's language
chooses, the switch changes it, ``build --lang`` sets the default; dates and numbers follow the
language (Intl); the data's own text stays as written."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import VIEWPORTS, MapPage, axe_violations
from playwright.sync_api import expect

from geo.build import build

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def kk_build(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("kk")
    build(ROOT / "data", out, lang="kk")
    return out / "map.html"


@pytest.fixture(params=list(VIEWPORTS))
def russian_page(request, chromium_browser):
    page = MapPage(chromium_browser, request.param, locale="ru-RU")
    yield page
    page.close()


def _panel(page) -> None:
    if page.get_attribute(".pm-toggle", "aria-expanded") == "false" and \
            page.locator(".pm-toggle").is_visible():
        page.click(".pm-toggle")


def test_browser_language_chooses_russian(russian_page, kk_build):
    page = russian_page.goto(kk_build)
    assert page.evaluate("document.documentElement.lang") == "ru"
    assert page.text_content("#pm-count") == "Показаны все: 9 протестов."
    assert page.input_value("#pm-lang") == "ru"
    assert "протестов" in page.text_content("#pm-description")
    assert page.text_content(".pm-skip") == "Перейти к списку протестов"
    assert page.get_attribute(".leaflet-control-zoom-in", "aria-label") == "Приблизить"
    _panel(page)
    assert page.text_content("#pm-filters-title") == "Фильтры"
    assert "Посольство" in page.text_content("#pm-filters")
    dates = page.locator("#pm-list .pm-item-date").all_text_contents()
    assert dates[0].strip() == "16 дек. 2011 г."
    page.click("#pm-list button[data-event='0']")
    popup = page.locator(".pm-popup")
    expect(popup).to_be_visible()
    assert "16 декабря 2011 г." in popup.text_content()
    title = page.evaluate("protestMap.s[protestMap.d.venue[0]]")
    assert page.text_content(".pm-popup h2") == title  # the data's text, as written
    assert popup.locator(".pm-copy").text_content() == "Копировать ссылку"
    assert axe_violations(page) == []
    assert russian_page.records.problems() == []


def test_switch_and_default(map_pages, chromium_browser, kk_build):
    mp = MapPage(chromium_browser, "desktop", locale="fr-FR")  # a language the map lacks
    try:
        page = mp.goto(kk_build)
        assert page.evaluate("document.documentElement.lang") == "kk"  # build --lang kk
        assert page.text_content("#pm-count") == "Барлығы көрсетілген: 9 наразылық."
        page.select_option("#pm-lang", "de")
        page.wait_for_function("document.documentElement.getAttribute('data-pm-state') === "
                               "'ready' && document.documentElement.lang === 'de'")
        assert page.evaluate("location.search") == "?lang=de"
        assert page.text_content("#pm-count") == "Alle 9 Proteste gezeigt."
        assert page.text_content(".pm-legend summary") == "Legende"
        assert mp.records.problems() == []
    finally:
        mp.close()
    page = map_pages["desktop"].goto(kk_build)  # Chromium's own language: English
    assert page.text_content("#pm-count") == "All 9 protests shown."
