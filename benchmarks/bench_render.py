"""Benchmark: build and open the map of 1k, 10k, 100k and 1M events, against naive folium.

For each size and layout, generates a deterministic synthetic data folder (the generator of
``bench_tables.py``: real GeoNames cities, ~400-character reports, 10 % of venues without a
point, 10 % of protests without a venue, one photo per three protests) in two layouts:

- ``venues``: the protests share 5,000 venues (a campaign at embassies and shops);
- ``points``: every protest that has a venue has its own (distinct points, ~2 km around cities).

Then, per data folder, in fresh processes:

- **protest-map**: ``python build_map.py --data DIR --out DIR`` (validate, join, render, write);
- **naive folium** (``benchmarks/naive_folium.py``, on the ``points`` layout, up to
  ``--baseline-max`` events, extrapolated linearly to the larger sizes, and labelled so): one
  ``folium.Marker`` with a ``folium.Popup`` per event in a ``MarkerCluster``.

Maps of more than ``geo.render.columns.BIG_ABOVE`` events take the large-map path (one canvas,
typed columns; ``docs/scale-million.md``); the environment variable ``PROTEST_MAP_BIG_ABOVE``
moves that threshold for a run (``PROTEST_MAP_BIG_ABOVE=0``: every map on the large-map path).

Each row gives the whole-process build time (protest-map: the median of ``--builds`` builds,
3 by default, with their range), the child's peak RSS, ``map.html`` bytes per event,
and in headless Chromium (``tests/browser.py``: Debian's chromium, network cut, 1280×800):

- *drawn*: from navigation until the first frame after the markers are on the map
  (protest-map: ``<html data-pm-state="ready">``; folium: its first cluster icon): the first
  clusters drawn;
- *reports*: protest-map only, until the report texts are read (the page reads them after
  drawing; a popup asked for before then waits for them): the whole map interactive;
- *popup*: from the pointer going down on a marker until its popup's content is in the page
  (five markers spread over the data, each first shown at the highest zoom; protest-map: once
  the reports are read);
- *filter*: protest-map only, from unticking a kind of place until the clusters are redrawn.

A second table times the steps of the largest protest-map build in one process. No test asserts
a time; this script prints the tables, then the targets of the scale issue (at the largest size)
and of the million-event issue (at 1,000,000 events).

Usage::

    python benchmarks/bench_render.py                       # 1k, 10k, 100k, 1M (~20 minutes)
    python benchmarks/bench_render.py --sizes 1000000 --layouts points --builds 1
    python benchmarks/bench_render.py --sizes 1000,10000    # quick run
    python benchmarks/bench_render.py --keep /tmp/bench     # keep (and reuse) data and pages
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT), str(HERE), str(ROOT / "tests")]

VENUES = 5_000
"""Venues shared by the protests of the ``venues`` layout."""

TARGETS = {"build_ratio": 20.0, "html_ratio": 1 / 5, "peak_mb": 1500.0, "drawn_s": 3.0,
           "popup_ms": 200.0}
"""The scale issue's targets at 100,000 events (ratios against the naive baseline)."""

MILLION = 1_000_000
TARGETS_MILLION = {"build_s": 10.0, "bytes_per_event": 60.0, "peak_mb": 2000.0, "drawn_s": 2.0,
                   "reports_s": 5.0, "filter_s": 0.5, "popup_ms": 200.0}
"""The million-event issue's targets (the large-map path, ``docs/scale-million.md``)."""

DRAWN = ("() => ['ready', 'error'].includes(document.documentElement.dataset.pmState)"
         " && performance.now()")
CLUSTERS_DRAWN = "() => document.querySelector('.marker-cluster') && performance.now()"
DETAILS = "() => performance.getEntriesByName('pm-details').map((m) => m.startTime)[0]"

# Centre an event's marker at the highest zoom (markers apart), then let markercluster show it
# (spiderfied if it shares its point); resolve with the selectors of its icon and its popup.
# Each step waits until markercluster's animations are over (moving the map during one leaves
# its markers off the map).
SETTLE = """const settle = (group, map) => new Promise(function wait(resolve) {
  if (group._inZoomAnimation || map._animatingZoom || (map._panAnim && map._panAnim._inProgress)) {
    setTimeout(() => wait(resolve), 20);
  } else {
    resolve();
  }
});"""
SHOW_PM = """async (i) => {
  """ + SETTLE + """
  const app = window.protestMap, p = app.d.place[i], popup = '.leaflet-popup .pm-popup';
  if (!app.cluster) {  // the large-map path: one canvas, a button over each place drawn
    app.map.closePopup();
    app.map.setView([app.d.place_lat[p], app.d.place_lon[p]], app.map.getMaxZoom(),
                    {animate: false});
    return [`.pm-spot[data-place="${p}"]`,
            `${popup}[data-event="${i}"], ${popup}[data-place="${p}"]`];
  }
  const marker = app.markers[p];
  await settle(app.cluster, app.map);
  app.map.closePopup();
  app.map.setView(marker.getLatLng(), app.map.getMaxZoom(), {animate: false});
  await new Promise((resolve) => app.cluster.zoomToShowLayer(marker, resolve));
  await settle(app.cluster, app.map);
  return [`.pm-marker[data-place="${p}"]`,
          `${popup}[data-event="${i}"], ${popup}[data-place="${p}"]`];
}"""
SHOW_FOLIUM = """async (i) => {
  """ + SETTLE + """
  const group = Object.values(window).find((v) => v instanceof L.MarkerClusterGroup);
  const map = Object.values(window).find((v) => v instanceof L.Map);
  const markers = group.getLayers(), seen = new Map();
  markers.forEach((m) => { const k = String(m.getLatLng()); seen.set(k, (seen.get(k) || 0) + 1); });
  while (seen.get(String(markers[i].getLatLng())) > 1) i++;  // alone at its point: no spiderfy
  const marker = markers[i];
  await settle(group, map);
  map.closePopup();
  map.setView(marker.getLatLng(), map.getMaxZoom(), {animate: false});
  await new Promise((resolve) => group.zoomToShowLayer(marker, resolve));
  await settle(group, map);
  document.querySelectorAll('[data-bench]').forEach((e) => e.removeAttribute('data-bench'));
  marker.getElement().setAttribute('data-bench', '');
  return ['[data-bench]', `.leaflet-popup #${marker.getPopup().getContent().id}`];
}"""
# Record the next pointerdown and when the expected popup's content enters the page.
WATCH_POPUP = """(content) => {
  const t = window.benchPopup = {};
  document.addEventListener('pointerdown', () => { t.down = performance.now(); },
                            {capture: true, once: true});
  const seen = new MutationObserver(() => {
    if (document.querySelector(content)) { t.shown = performance.now(); seen.disconnect(); }
  });
  seen.observe(document.body, {childList: true, subtree: true});
}"""
# Untick the first kind of place; resolve with the ms until the clusters are rebuilt.
FILTER = """() => new Promise((resolve) => {
  const app = window.protestMap, count = document.getElementById('pm-count');
  const before = count.textContent, t0 = performance.now();
  app.filters.kinds[0].click();
  (function poll() {
    if (count.textContent !== before && !app.loading && !app.pending) {
      resolve(performance.now() - t0);
    } else {
      setTimeout(poll, 5);
    }
  })();
})"""
DRAW_TIMEOUT_MS = 180_000
POPUPS = 5


@dataclass
class Row:
    """One table row: a map of ``events`` events built by ``tool``."""

    tool: str
    layout: str
    events: int
    places: int | None = None
    build_s: float | None = None  # the median of build_runs
    build_runs: list[float] = field(default_factory=list)
    peak_mb: float | None = None
    html_bytes: int | None = None
    drawn_s: list[float] = field(default_factory=list)
    details_s: list[float] = field(default_factory=list)
    popup_ms: list[float] = field(default_factory=list)
    filter_s: list[float] = field(default_factory=list)
    extrapolated: bool = False


# ---------- data ----------

def make_data(folder: Path, n: int, layout: str) -> Path:
    """Write (once) the data folder of ``n`` protests in ``layout`` (``venues`` or ``points``).

    In a child process: a child's peak RSS counts its parent's at the time it was started, so
    this process stays small.
    """
    if not (folder / "protests.csv").exists():
        subprocess.run([sys.executable, __file__, "--make-data", str(folder), str(n), layout],
                       check=True, cwd=ROOT)
    return folder


def write_data(folder: Path, n: int, layout: str) -> None:
    """The work of :func:`make_data`."""
    from bench_tables import make_dataset

    make_dataset(folder, n, VENUES if layout == "venues" else n)
    if layout == "points":
        own_venues(folder)


def own_venues(folder: Path) -> None:
    """Give every protest that has a venue a venue of its own (its city and country too)."""
    import pandas as pd

    protests = pd.read_csv(folder / "protests.csv", dtype=str, keep_default_na=False)
    venues = pd.read_csv(folder / "venues.csv", dtype=str, keep_default_na=False)
    has = (protests["venue_id"] != "").to_numpy()
    k = int(has.sum())
    for column, source in (("venue_id", "id"), ("city", "city"), ("country", "country")):
        protests.loc[has, column] = venues[source].to_numpy()[:k]
    protests.to_csv(folder / "protests.csv", index=False, lineterminator="\n")


# ---------- builds, in child processes ----------

def run_child(cmd: list[str], log: Path, env: dict[str, str] | None = None
              ) -> tuple[float, float]:
    """Run ``cmd``; return its wall-clock seconds and peak RSS (MB). Output goes to ``log``.

    The peak is the largest of the process and its own children (the build forks one to write
    ``events.geojson``), as ``wait4`` reports it.
    """
    with log.open("wb") as out:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT,
                                env=None if env is None else {**os.environ, **env})
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        tail = log.read_text(errors="replace")[-2000:]
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{tail}")
    return seconds, usage.ru_maxrss / 1024


def build(row: Row, data: Path, out: Path, env: dict[str, str] | None = None,
          times: int = 1) -> Path:
    """Build ``row``'s map of ``data`` in ``out`` ``times`` times: time (median), memory (the
    largest), bytes; return the page."""
    out.mkdir(parents=True, exist_ok=True)
    if row.tool == "protest-map":
        page = out / "map.html"
        cmd = [sys.executable, str(ROOT / "build_map.py"), "--data", str(data), "--out", str(out)]
    else:
        page = out / "naive.html"
        cmd = [sys.executable, str(HERE / "naive_folium.py"), "--data", str(data), "--out",
               str(page)]
    for _ in range(times):
        seconds, peak = run_child(cmd, out / f"{row.tool}.log", env)
        row.build_runs.append(seconds)
        row.peak_mb = max(peak, row.peak_mb or 0.0)
    row.build_s = statistics.median(row.build_runs)
    row.html_bytes = page.stat().st_size
    return page


def phases(data: Path, out: Path) -> list[tuple[str, float | None, float]]:
    """Run the steps of ``geo.build.build`` one by one: (step, seconds, peak RSS MB after it)."""
    import resource

    t0 = time.perf_counter()
    steps: list[tuple[str, float | None, float]] = []

    def done(step: str) -> None:
        nonlocal t0
        now = time.perf_counter()
        steps.append((step, now - t0, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024))
        t0 = now

    import pyarrow as pa

    from geo._memory import map_large_allocations, release_free_memory, tables_are_large

    pa.set_memory_pool(pa.system_memory_pool())  # as the program (geo.cli) does
    if tables_are_large(data):
        map_large_allocations()
    from geo import render
    from geo._atomic import atomic_paths, write_content
    from geo._forked import Forked
    from geo._gcpause import paused_gc
    from geo.build import default_title
    from geo.export import iter_events_geojson
    from geo.join import context_places, join_events
    from geo.tables import load_dataset
    done("imports")
    with paused_gc():
        ds = load_dataset(data)
        release_free_memory()  # as geo.build does
        done("read + validate (+ gazetteer)")
        events = join_events(ds, release=True)
        context = context_places(ds)
        del ds
        release_free_memory()
        done("join")
        report = out / "child-private-mb.txt"

        def geojson() -> Iterator[bytes]:  # runs in the forked child
            yield from iter_events_geojson(events)
            report.write_text(str(private_mb()))

        targets = [out / "events.geojson", out / "map.html"]
        with atomic_paths(targets) as tmp:
            child = Forked(lambda: write_content(tmp[targets[0]], geojson()))
            write_content(tmp[targets[1]], render.page_html(render.make_map(
                events, context, title=default_title(events), data_dir=data)))
            child.wait()
        done("map.html ∥ events.geojson (forked child), written")
    child = float(report.read_text())
    steps.append(("(the forked child's private memory at its end; the rest it shares)", None,
                  child))
    steps.append(("(build and child together: the build's peak + the child's private memory)",
                  None, steps[-2][2] + child))
    return steps


def private_mb() -> float:
    """This process's private memory (MB): pages no other process shares (Linux)."""
    fields = dict(line.split(":", 1) for line in open("/proc/self/smaps_rollup")
                  if line.startswith("Private_"))
    return sum(int(v.split()[0]) for v in fields.values()) / 1024


def build_steps(data: Path, out: Path) -> list[tuple[str, float | None, float]]:
    """:func:`phases` in a fresh process."""
    out.mkdir(parents=True, exist_ok=True)
    done = subprocess.run([sys.executable, __file__, "--phases", str(data), str(out)],
                          check=True, capture_output=True, text=True, cwd=ROOT)
    return [tuple(step) for step in json.loads(done.stdout.strip().splitlines()[-1])]


# ---------- in Chromium ----------

def open_map(mp, row: Row, page_file: Path) -> None:
    """Open the page; time drawing, popups and (protest-map) a filter change; check for errors."""
    from browser import wait_for_map

    page = mp.goto(page_file, wait_ready=False)
    ours = row.tool == "protest-map"
    drawn = page.wait_for_function(DRAWN if ours else CLUSTERS_DRAWN, timeout=DRAW_TIMEOUT_MS)
    row.drawn_s.append(drawn.json_value() / 1000)
    if ours:
        wait_for_map(page)
        row.places = page.evaluate("protestMap.places")
        row.details_s.append(page.wait_for_function(DETAILS, timeout=DRAW_TIMEOUT_MS)
                             .json_value() / 1000)
    for k in range(POPUPS):
        i = (2 * k + 1) * row.events // (2 * POPUPS)  # spread over the data
        icon, content = page.evaluate(SHOW_PM if ours else SHOW_FOLIUM, i)
        page.evaluate(WATCH_POPUP, content)
        page.click(icon, timeout=10_000)
        page.wait_for_function("() => window.benchPopup.shown")
        t = page.evaluate("window.benchPopup")
        row.popup_ms.append(t["shown"] - t["down"])
    if ours:
        page.evaluate("void protestMap.map.closePopup()")
        row.filter_s.append(page.evaluate(FILTER) / 1000)
    problems = mp.records.problems()
    if problems:
        raise SystemExit(f"{page_file}: " + "; ".join(problems[:5]))


# ---------- the table ----------

def extrapolate(rows: list[Row], n: int) -> Row:
    """The baseline at ``n`` events, on the line through its two largest measured sizes.

    The naive build's cost per event falls a little as maps grow (1.1 ms at 10k, 1.0 ms at 20k,
    0.82 ms when 100k was built), so this line lands near the real thing (83–93 s against
    81.9 s built), where a least-squares line through 1k, 10k and 20k overshoots (≈ 95 s).
    Popup times do not grow with the number of events, so they are not extrapolated. A line
    that falls (two noisy builds) is not followed below the larger map's own value.
    """
    a, b = sorted(rows, key=lambda r: r.events)[-2:]

    def line(x: float, y: float) -> float:
        return max(y, y + (y - x) * (n - b.events) / (b.events - a.events))

    def med(values: list[float]) -> float:
        return statistics.median(values)

    return Row(tool=b.tool, layout=b.layout, events=n, extrapolated=True,
               build_s=line(a.build_s, b.build_s), peak_mb=line(a.peak_mb, b.peak_mb),
               html_bytes=round(line(a.html_bytes, b.html_bytes)),
               drawn_s=[line(med(a.drawn_s), med(b.drawn_s))])


def spread(values: list[float], fmt: str) -> str:
    """Median, and the range when there are several values."""
    if not values:
        return "—"
    mid = fmt.format(statistics.median(values))
    if len(values) == 1:
        return mid
    return f"{mid} ({fmt.format(min(values))}–{fmt.format(max(values))})"


def table_line(r: Row) -> str:
    """The row as a markdown table line; extrapolated values are marked ``≈``."""
    build = spread(r.build_runs, "{:.1f}") if r.build_runs else f"{r.build_s:.1f}"
    cells = [build, f"{r.peak_mb:,.0f}", f"{r.html_bytes / 1e6:.1f}",
             f"{r.html_bytes / r.events:,.0f}", spread(r.drawn_s, "{:.2f}"),
             spread(r.details_s, "{:.2f}"), spread(r.popup_ms, "{:.0f}"),
             spread(r.filter_s, "{:.2f}")]
    if r.extrapolated:
        cells = [c if c == "—" else f"≈ {c}" for c in cells]
    places = "—" if r.places is None else f"{r.places:,}"
    tool = f"{r.tool} ¹" if r.extrapolated else r.tool
    return f"| {r.events:,} | {r.layout} | {places} | {tool} | " + " | ".join(cells) + " |"


def targets(rows: list[Row], n: int) -> list[str]:
    """One line per target of the scale issue, at ``n`` events, for each protest-map layout."""
    base = next((r for r in rows if r.tool == "naive folium" and r.events == n), None)
    out = []
    for r in rows:
        if r.tool != "protest-map" or r.events != n or base is None:
            continue
        checks = [
            ("build", base.build_s / r.build_s, f"{base.build_s / r.build_s:.0f}× faster",
             base.build_s / r.build_s >= TARGETS["build_ratio"], "≥ 20×"),
            ("HTML", r.html_bytes / base.html_bytes,
             f"1/{base.html_bytes / r.html_bytes:.1f} of the bytes",
             r.html_bytes / base.html_bytes <= TARGETS["html_ratio"], "≤ 1/5"),
            ("peak memory", r.peak_mb, f"{r.peak_mb:,.0f} MB",
             r.peak_mb <= TARGETS["peak_mb"], "≤ 1,500 MB"),
            ("drawn", max(r.drawn_s), f"{statistics.median(r.drawn_s):.2f} s "
             f"(slowest {max(r.drawn_s):.2f} s)", max(r.drawn_s) <= TARGETS["drawn_s"], "≤ 3 s"),
            ("popup", max(r.popup_ms), f"{statistics.median(r.popup_ms):.0f} ms "
             f"(slowest {max(r.popup_ms):.0f} ms)", max(r.popup_ms) <= TARGETS["popup_ms"],
             "≤ 200 ms"),
        ]
        for name, _, value, ok, target in checks:
            out.append(f"- {n:,} events, {r.layout}: {name} {value}, target {target}: "
                       f"{'met' if ok else 'NOT met'}")
    return out


def million_targets(rows: list[Row]) -> list[str]:
    """One line per target of the million-event issue, for each protest-map layout built."""
    t, out = TARGETS_MILLION, []
    for r in rows:
        if r.tool != "protest-map" or r.events != MILLION:
            continue
        per_event = r.html_bytes / r.events
        drawn, reports = statistics.median(r.drawn_s), statistics.median(r.details_s)
        filt, popup = statistics.median(r.filter_s), statistics.median(r.popup_ms)
        checks = [
            ("build", f"{r.build_s:.1f} s", r.build_s <= t["build_s"], "≤ 10 s"),
            ("map.html", f"{per_event:.0f} B/event", per_event <= t["bytes_per_event"],
             "≤ 60 B/event"),
            ("peak memory", f"{r.peak_mb:,.0f} MB", r.peak_mb <= t["peak_mb"], "≤ 2,000 MB"),
            ("first clusters drawn", f"{drawn:.2f} s", drawn <= t["drawn_s"], "≤ 2 s"),
            ("interactive (report texts read)", f"{reports:.2f} s", reports <= t["reports_s"],
             "≤ 5 s"),
            ("filter change", f"{filt * 1000:.0f} ms", filt <= t["filter_s"], "≤ 500 ms"),
            ("popup", f"{popup:.0f} ms", popup <= t["popup_ms"], "≤ 200 ms"),
        ]
        out += [f"- {MILLION:,} events, {r.layout}: {name} {value} (median), target {target}: "
                f"{'met' if ok else 'NOT met'}" for name, value, ok, target in checks]
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000,10000,100000,1000000",
                    help="event counts, comma-separated (default: 1000,10000,100000,1000000)")
    ap.add_argument("--layouts", default="venues,points", help="venues, points or both")
    ap.add_argument("--baseline-max", type=int, default=20_000,
                    help="largest naive folium map actually built; larger sizes are extrapolated "
                         "(0: no baseline)")
    ap.add_argument("--loads", type=int, default=3, help="page loads per protest-map page")
    ap.add_argument("--builds", type=int, default=3,
                    help="builds per protest-map map (the median is shown; default 3)")
    ap.add_argument("--keep", type=Path, help="keep (and reuse) the data folders here")
    ap.add_argument("--phases", nargs=2, type=Path, metavar=("DATA", "OUT"),
                    help=argparse.SUPPRESS)  # child process: time the build's steps
    ap.add_argument("--make-data", nargs=3, metavar=("DIR", "N", "LAYOUT"),
                    help=argparse.SUPPRESS)  # child process: write a data folder
    args = ap.parse_args(argv)
    if args.phases:
        print(json.dumps(phases(*args.phases)))
        return 0
    if args.make_data:
        write_data(Path(args.make_data[0]), int(args.make_data[1]), args.make_data[2])
        return 0
    sizes = sorted(int(s) for s in args.sizes.split(","))
    layouts = args.layouts.split(",")
    base_sizes = sorted({s for s in sizes if s <= args.baseline_max}
                        | ({args.baseline_max // 2, args.baseline_max} if args.baseline_max and
                           max(sizes) > args.baseline_max else set()))

    from browser import MapPage, chromium

    work = args.keep or Path(tempfile.mkdtemp(prefix="bench-render-"))
    rows: list[Row] = []
    load = os.getloadavg()[0]
    started = time.perf_counter()
    try:
        with chromium() as browser:
            mp = MapPage(browser, "desktop")
            jobs = [("protest-map", layout, n) for n in sizes for layout in layouts]
            jobs += [("naive folium", "points", n) for n in base_sizes]
            for tool, layout, n in jobs:
                data = make_data(work / f"data-{layout}-{n}", n, layout)
                row = Row(tool=tool, layout=layout, events=n)
                page = build(row, data, work / f"out-{tool.replace(' ', '-')}-{layout}-{n}",
                             times=args.builds if tool == "protest-map" else 1)
                for _ in range(args.loads if tool == "protest-map" else 1):
                    open_map(mp, row, page)
                rows.append(row)
                print(f"  measured: {table_line(row)}", file=sys.stderr, flush=True)
            mp.close()
            cold = Row(tool="protest-map", layout=layouts[-1], events=max(sizes))
            cache = Path(tempfile.mkdtemp(prefix="bench-cache-"))  # empty: no city index
            try:
                build(cold, work / f"data-{cold.layout}-{cold.events}", work / "out-cold",
                      env={"XDG_CACHE_HOME": str(cache)})
            finally:
                shutil.rmtree(cache, ignore_errors=True)
        steps = {layout: build_steps(work / f"data-{layout}-{max(sizes)}", work / "phases")
                 for layout in layouts}
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)

    naive = [r for r in rows if r.tool == "naive folium"]
    if len(naive) >= 2:
        rows += [extrapolate(naive, n) for n in sizes if n > args.baseline_max]
    rows.sort(key=lambda r: (r.events, r.tool != "protest-map", r.layout))
    print(f"Load average {load:.1f} at the start, {os.getloadavg()[0]:.1f} at the end; "
          f"{time.perf_counter() - started:.0f} s in all.\n")
    print("| events | layout | places | tool | build s | peak RSS MB | HTML MB | HTML B/event "
          "| drawn s | reports s | popup ms | filter s |")
    print("|---:|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(table_line(r))
    if any(r.extrapolated for r in rows):
        print(f"\n¹ not built: extrapolated linearly from the naive maps of "
              f"{naive[-2].events:,} and {naive[-1].events:,} events.")
    print(f"\nThe first build on a machine makes the offline gazetteer's city index and keeps "
          f"it in the cache folder (geo.places._cityindex); the builds above found it there. "
          f"Built once "
          f"more with an empty cache folder: {cold.events:,} events, {cold.layout}: "
          f"{cold.build_s:.1f} s, peak RSS {cold.peak_mb:,.0f} MB.")
    print(f"\nThe protest-map build of {max(sizes):,} events, step by step (in one process, "
          "as `geo.build.build` runs them):\n")
    print("| step | " + " | ".join(f"{layout} s | peak RSS MB" for layout in steps) + " |")
    print("|---|" + "---:|---:|" * len(steps))
    names = [name for name, _, _ in next(iter(steps.values()))]
    for k, name in enumerate(names):
        cells = " | ".join(("—" if v[k][1] is None else f"{v[k][1]:.2f}") + f" | {v[k][2]:,.0f}"
                           for v in steps.values())
        print(f"| {name} | {cells} |")
    lines = targets(rows, max(sizes))
    if lines:
        print(f"\nTargets at {max(sizes):,} events:\n")
        print("\n".join(lines))
    lines = million_targets(rows)
    if lines:
        print("\nTargets of the million-event issue:\n")
        print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
