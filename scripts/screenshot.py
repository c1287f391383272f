"""Screenshots of the default map for the README, taken offline in headless Chromium.

Builds the default dataset into a temporary folder, opens ``map.html`` with the browser harness
of the tests (network cut: the country outlines stand in for the tiles) at 1280×800 and 360×640,
and writes ``docs/screenshot-desktop.png`` and ``docs/screenshot-phone.png``,
``docs/screenshot-phone-popup.png`` with a popup open on the phone, ``docs/screenshot-dark.png``
(a browser that prefers dark colours) and ``docs/screenshot-russian.png`` (a Russian browser, a
phone with a popup open).

Usage: ``python scripts/screenshot.py [--out DIR]``
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from browser import MapPage, chromium  # noqa: E402

from geo._atomic import atomic_path  # noqa: E402
from geo.build import build  # noqa: E402

POPUP_SETTLED = """() => {
  const popup = document.querySelector('.leaflet-popup');
  if (!popup) return false;
  const r = popup.getBoundingClientRect();
  return r.top >= 0 && r.bottom <= innerHeight && !protestMap.map._panAnim?._inProgress;
}"""


def save(page, target: Path) -> None:
    with atomic_path(target) as path:
        page.screenshot(path=str(path), type="png")
    print(f"wrote {target}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs", help="folder for the PNGs")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp, chromium() as browser:
        build(ROOT / "data", tmp)
        shots = [("desktop", "screenshot-desktop.png", {}, None),
                 ("phone", "screenshot-phone.png", {}, "screenshot-phone-popup.png"),
                 ("desktop", "screenshot-dark.png", {"color_scheme": "dark"}, None),
                 ("phone", None, {"locale": "ru-RU"}, "screenshot-russian.png")]
        for name, at_rest, options, with_popup in shots:
            shot = MapPage(browser, name, **options)
            page = shot.goto(Path(tmp) / "map.html")
            if at_rest:
                save(page, args.out / at_rest)
            if with_popup:
                page.click(".pm-toggle")
                page.click("#pm-list button[data-event='0']")
                page.wait_for_function(POPUP_SETTLED)
                save(page, args.out / with_popup)
            problems = shot.records.problems()
            if problems:
                raise SystemExit("the map had problems:\n" + "\n".join(problems))
            shot.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
