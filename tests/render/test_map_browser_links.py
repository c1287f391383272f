"""Links to one protest, in headless Chromium: map.html#<id> opens it at the zoom its precision
asks for, opening a popup puts its protest in the address (back and forward work), and the
popup's "copy link" button copies that address (or shows it to copy by hand)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser



@pytest.fixture
def links_build(default_map: Path) -> Path:
    return default_map  # both paths (tests/conftest.py)


def _ids(page) -> list[str]:
    page.wait_for_function("protestMap.d.id !== undefined")  # the tail, read after drawing
    return page.evaluate("protestMap.d.id")


def _open_from_list(page, map_page, i: int) -> None:
    if map_page.name == "phone" and page.get_attribute(".pm-toggle", "aria-expanded") != "true":
        page.click(".pm-toggle")
    page.click(f"#pm-list button[data-event='{i}']")
    expect(page.locator(f".pm-popup[data-event='{i}']")).to_be_visible()


def test_address_opens_the_protest_at_its_precision(map_page, links_build):
    page = map_page.goto(links_build)
    ids = _ids(page)
    zooms = page.evaluate("protestMap.d.precision.map(p => protestMap.d.precision_style[p].zoom)")
    for i in (len(ids) - 1, 0):
        page = map_page.goto(links_build, after="#" + quote(ids[i]))
        popup = page.locator(f".pm-popup[data-event='{i}']")
        expect(popup).to_be_visible()
        assert page.evaluate("protestMap.map.getZoom()") >= zooms[i]
        assert page.evaluate("protestMap.popups.event") == i
    page = map_page.goto(links_build, after="#no-such-protest")
    page.wait_for_timeout(300)
    assert page.locator(".pm-popup").count() == 0
    assert map_page.records.problems() == []


def test_popups_write_the_address_and_history_works(map_page, links_build):
    page = map_page.goto(links_build)
    ids = _ids(page)
    _open_from_list(page, map_page, 0)
    assert page.evaluate("location.hash") == "#" + quote(ids[0])
    _open_from_list(page, map_page, 3)
    assert page.evaluate("location.hash") == "#" + quote(ids[3])
    page.go_back()
    expect(page.locator(".pm-popup[data-event='0']")).to_be_visible()
    page.go_back()
    expect(page.locator(".pm-popup")).to_have_count(0)
    assert page.evaluate("location.hash") == ""
    page.go_forward()
    expect(page.locator(".pm-popup[data-event='0']")).to_be_visible()
    page.click(".leaflet-popup-close-button")
    expect(page.locator(".pm-popup")).to_have_count(0)
    assert page.evaluate("location.hash") == ""
    assert map_page.records.problems() == []


def test_copy_link_button(map_page, links_build):
    page = map_page.goto(links_build)
    ids = _ids(page)
    page.evaluate("""() => {
      window.__copied = [];
      navigator.clipboard.writeText = text => {
        window.__copied.push(text);
        return Promise.resolve();
      };
    }""")
    _open_from_list(page, map_page, 2)
    page.click(".pm-popup .pm-copy")
    expect(page.locator(".pm-popup .pm-copied")).to_have_text("Link copied.")
    copied = page.evaluate("window.__copied")
    assert copied == [links_build.resolve().as_uri() + "#" + quote(ids[2])]
    # refused (a frame without clipboard permission): the link is shown, selected
    page.evaluate("() => { navigator.clipboard.writeText = () => Promise.reject(Error('no')); }")
    _open_from_list(page, map_page, 1)
    page.click(".pm-popup .pm-copy")
    field = page.locator(".pm-popup .pm-link-text")
    expect(field).to_be_focused()
    assert field.input_value().endswith("#" + quote(ids[1]))
    assert map_page.records.problems() == []


def test_address_of_a_filtered_out_protest_shows_all_again(map_pages, links_build):
    mp = map_pages["desktop"]
    page = mp.goto(links_build)
    ids = _ids(page)
    last = len(ids) - 1
    page.fill("#pm-to", str(page.evaluate(f"protestMap.d.day[{last}]") - 1))
    page.wait_for_function(f"!protestMap.shown[{last}]")
    page.evaluate(f"protestMap.openProtest({ids[last]!r})")
    expect(page.locator(f".pm-popup[data-event='{last}']")).to_be_visible()
    assert page.evaluate("protestMap.total === protestMap.n")
    assert mp.records.problems() == []
