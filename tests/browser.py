"""The browser harness: Debian's Chromium driven by Playwright (sync API), with the network cut.

Every request other than ``file://`` and map tiles is blocked and recorded; tile requests are
recorded and aborted (there is no network here, and the maps must read without tiles). Console
errors, page errors and dialogs are collected per page load, so a test can assert there were none.

One browser per test session; one page per viewport, reused by every test (``goto`` resets the
records). Used by the ``test_map_browser*`` tests and by ``scripts/screenshot.py``.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
AXE = Path(__file__).resolve().parents[1] / "node_modules" / "axe-core" / "axe.min.js"
"""axe-core from npm (package.json, installed by ``make test``): injected in tests only."""
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORTS = {"desktop": (1280, 800), "phone": (360, 640)}
TILE_URL = re.compile(r"^https://tile\.openstreetmap\.org/\d+/\d+/\d+\.png$")
READY_TIMEOUT_MS = 30_000


@dataclass
class Records:
    """What one page load did that a test may want to check."""

    blocked: list[str] = field(default_factory=list)
    tiles: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def clear(self) -> None:
        """Forget everything (before a new page load)."""
        for values in (self.blocked, self.tiles, self.console_errors, self.page_errors,
                       self.dialogs):
            values.clear()

    def problems(self) -> list[str]:
        """Blocked requests, errors and dialogs, one line each (empty when all is well)."""
        return ([f"blocked request: {u}" for u in self.blocked]
                + [f"console error: {m}" for m in self.console_errors]
                + [f"page error: {m}" for m in self.page_errors]
                + [f"dialog: {m}" for m in self.dialogs])


class MapPage:
    """A Playwright page at one viewport, with the network cut and its events recorded.

    Parameters
    ----------
    browser
        A Playwright ``Browser``.
    name
        Key of :data:`VIEWPORTS`.
    locale
        The browser's language (``navigator.languages``), e.g. ``"ru-RU"``; None: Chromium's.
    color_scheme
        ``"light"`` or ``"dark"`` (``prefers-color-scheme``); None: Chromium's.
    """

    def __init__(self, browser, name: str, *, locale: str | None = None,
                 color_scheme: str | None = None) -> None:
        width, height = VIEWPORTS[name]
        self.name = name
        self.records = Records()
        options = {k: v for k, v in (("locale", locale), ("color_scheme", color_scheme)) if v}
        self.context = browser.new_context(viewport={"width": width, "height": height},
                                           reduced_motion="reduce",
                                           is_mobile=name == "phone", has_touch=name == "phone",
                                           **options)
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda exc: self.records.page_errors.append(str(exc)))
        self.page.on("dialog", self._dialog)

    def _route(self, route) -> None:
        url = route.request.url
        if url.startswith("file://"):
            route.continue_()
        elif TILE_URL.match(url):
            self.records.tiles.append(url)
            route.abort("internetdisconnected")
        else:
            self.records.blocked.append(url)
            route.abort("blockedbyclient")

    def _console(self, msg) -> None:
        if msg.type != "error":
            return
        where = (msg.location or {}).get("url", "")
        if TILE_URL.match(where):
            return  # a tile that could not load: expected offline
        self.records.console_errors.append(msg.text)

    def _dialog(self, dialog) -> None:
        self.records.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def goto(self, path: Path | str, *, wait_ready: bool = True, frame: str | None = None,
             after: str = ""):
        """Open a file (records reset) and wait until the map says it is ready.

        Parameters
        ----------
        path
            An HTML file.
        wait_ready
            Wait for ``<html data-pm-state="ready">`` (in ``frame`` if given).
        frame
            CSS selector of an iframe whose document holds the map.
        after
            Appended to the file's URL: a query (``?lang=ru``) and/or a fragment (``#id``).

        Returns
        -------
        playwright Page or Frame
            Where the map is.
        """
        self.records.clear()
        if after:
            self.page.goto("about:blank")  # a new document, not a move within the last one
        self.page.goto(Path(path).resolve().as_uri() + after)
        target = self.page
        if frame is not None:
            target = self.page.locator(frame).element_handle().content_frame()
        if wait_ready:
            wait_for_map(target)
        return target

    def close(self) -> None:
        """Close the page's browser context."""
        self.context.close()


def wait_for_map(target) -> None:
    """Wait until the page script has drawn the map; fail with its error otherwise."""
    target.wait_for_function(
        "['ready', 'error'].includes(document.documentElement.getAttribute('data-pm-state'))",
        timeout=READY_TIMEOUT_MS)
    state = target.evaluate("document.documentElement.getAttribute('data-pm-state')")
    if state != "ready":
        message = target.evaluate("(document.querySelector('.pm-error') || {}).textContent")
        raise AssertionError(f"the map failed: {message}")


def axe_violations(target) -> list[str]:
    """Run axe-core in a page (or frame) as it is now; one line per rule it finds broken.

    axe-core is injected into the page under test only, never into the built map. Skips when
    node/npm is absent; fails when npm is there but ``npm ci`` has not been run.
    """
    if not AXE.exists():
        if shutil.which("npm") is None:
            pytest.skip("axe-core needs node and npm (apt-get install nodejs npm), then `npm ci`")
        raise AssertionError(f"{AXE} is missing: run `npm ci` (`make test` does it)")
    if not target.evaluate("typeof window.axe !== 'undefined'"):
        target.add_script_tag(path=str(AXE))
    return target.evaluate("""() => axe.run(document, {resultTypes: ['violations']}).then(r =>
      r.violations.map(v => v.id + ' (' + v.impact + '): ' +
        v.nodes.map(n => n.target.join(' ') + ': ' + n.failureSummary).join('; ')))""")


@contextmanager
def chromium() -> Iterator[object]:
    """A headless Chromium (Debian's), closed on exit."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS,
                                     headless=True)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="session")
def chromium_browser() -> Iterator[object]:
    """One headless Chromium for the whole session (skips when Chromium is not installed)."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: `make test` installs it (apt-get install chromium)")
    pytest.importorskip("playwright.sync_api")
    with chromium() as b:
        yield b


@pytest.fixture(scope="session")
def map_pages(chromium_browser) -> Iterator[dict[str, MapPage]]:
    """One reusable :class:`MapPage` per viewport (``desktop`` 1280×800, ``phone`` 360×640)."""
    pages = {name: MapPage(chromium_browser, name) for name in VIEWPORTS}
    yield pages
    for page in pages.values():
        page.close()


@pytest.fixture(params=list(VIEWPORTS))
def map_page(request, map_pages) -> MapPage:
    """The reusable page of each viewport in turn (the test runs once per viewport)."""
    return map_pages[request.param]
