"""The ``protest-map`` command: argument parsing only; the work is done by the library.

Exit status: 0 on success, 2 on bad input or usage (the message names file, line, column and
the fix), 1 on anything unexpected.
"""

from __future__ import annotations

import argparse
import gc
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from geo._memory import map_large_allocations, tables_are_large
from geo.errors import DataError, ProtestMapError, UsageError

log = logging.getLogger("geo")


def _build(args: argparse.Namespace) -> int:
    from geo.build import build
    from geo.tables.report import left_out_lines

    _large_tables(args.data)
    result = build(args.data, args.out, title=args.title, embed_url=args.embed_url, cdn=args.cdn,
                   skip_invalid=args.skip_invalid, lang=args.lang)
    _warn(result.warnings)
    _warn(result.problems)
    for line in left_out_lines(result.problems, result.left_out, result.rows):
        print(line)
    for path in result.outputs:
        print(f"wrote {path}")
    print(f"{result.events} protests on the map")
    return 0


def _validate(args: argparse.Namespace) -> int:
    from geo.tables.report import validate_folder

    _large_tables(args.data)
    ds = validate_folder(args.data, args.report)
    _warn(ds.warnings)
    print(f"{args.data}: {len(ds.protests)} protests, {len(ds.venues)} venues, "
          f"{len(ds.photos)} photos, {len(ds.context)} context places: all valid")
    if args.report is not None:
        print(f"wrote {args.report} ({len(ds.warnings):,} warnings)")
    return 0


def _geocode(args: argparse.Namespace) -> int:
    from geo.geocode import geocode_venues

    summary = geocode_venues(
        args.data,
        provider=args.provider,
        nominatim_url=args.nominatim_url,
        user_agent=args.user_agent,
        cache_path=args.cache,
        min_delay=args.min_delay,
        max_retries=args.retries,
        timeout=args.timeout,
    )
    print(summary)
    return 0


def _extract(args: argparse.Namespace) -> int:
    from geo.extract import extract_file

    drafts = extract_file(args.article, out=args.out, source_url=args.source_url,
                          date=args.date)
    if args.out is not None:
        planned = int((drafts["status"] == "planned").sum())
        print(f"wrote {len(drafts)} draft rows ({planned} planned) to {args.out}; review them, "
              f"write each summary, then run: protest-map import {args.out}")
    return 0


def _import(args: argparse.Namespace) -> int:
    if args.format != "drafts":
        from geo.importing.formats import import_file

        print(import_file(args.drafts, args.format, args.data, skip_invalid=args.skip_invalid,
                          report=args.report))
        return 0
    if args.skip_invalid or args.report:
        raise UsageError("--skip-invalid and --report are for --format acled, gdelt, ccc or mm; "
                         "drafts are imported all or nothing")
    from geo.importing import import_drafts

    report = import_drafts(args.drafts, args.data)
    print(report)
    return 0


def _export(args: argparse.Namespace) -> int:
    from geo.api import export_events

    path = export_events(args.data, args.out, args.format, raw_csv=args.raw_csv)
    print(f"wrote {path}")
    return 0


def _large_tables(folder: str) -> None:
    """For large tables, map large blocks on their own (a process-wide setting: programs only)."""
    if tables_are_large(folder):
        map_large_allocations()


def _warn(problems: Sequence[object]) -> None:
    """Log the first few problems of each rule as warnings, and how many more there are."""
    if not problems:
        return
    from geo.tables.report import console_lines

    for line in console_lines(problems):  # type: ignore[arg-type]
        log.warning("%s", line)


def _full_list(args: argparse.Namespace) -> str:
    """Where the full list of problems is, or how to get it."""
    report = getattr(args, "report", None)
    if report is not None:
        return str(report)
    data = getattr(args, "data", None)
    if args.func is _validate or data is None:
        return "--report FILE"
    return f"protest-map validate --data {data} --report problems.csv"


def parser() -> argparse.ArgumentParser:
    """The argument parser of ``protest-map`` (and ``python -m geo``, ``build_map.py``)."""
    p = argparse.ArgumentParser(
        prog="protest-map",
        description="Put protests on an interactive map, at building level where possible.",
    )
    p.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def data_arg(sp: argparse.ArgumentParser) -> None:
        sp.add_argument("--data", type=Path, default=Path("data"), metavar="DIR",
                        help="folder with the CSV tables (default: data)")

    b = sub.add_parser("build", help="write map.html, embed.html and events.geojson")
    add_build_arguments(b)
    b.set_defaults(func=_build)

    v = sub.add_parser("validate", help="check the tables and report every problem")
    data_arg(v)
    v.add_argument("--report", type=Path, metavar="FILE",
                   help="write every problem and warning to this CSV file (file, line, column, "
                   "value, message, hint, severity, rule), valid or not")
    v.set_defaults(func=_validate)

    g = sub.add_parser("geocode", help="fill in missing venue coordinates")
    data_arg(g)
    g.add_argument("--provider", choices=("offline", "nominatim"), default="offline",
                   help="offline: gazetteer only (default); nominatim: a Nominatim server first")
    g.add_argument("--nominatim-url", metavar="URL",
                   help="Nominatim-compatible server (default: the public one)")
    g.add_argument("--user-agent", metavar="UA",
                   help="User-Agent sent to Nominatim (required by the public server)")
    g.add_argument("--cache", type=Path, metavar="FILE",
                   help="SQLite geocode cache (default: in the user's cache folder)")
    g.add_argument("--min-delay", type=float, default=1.0, metavar="SECONDS",
                   help="at least this long between two requests, retries included "
                   "(default: 1, the least the public server allows)")
    g.add_argument("--retries", type=int, default=4, metavar="N",
                   help="retries after a timeout, connection error, HTTP 5xx or 429 (default: 4)")
    g.add_argument("--timeout", type=float, default=10.0, metavar="SECONDS",
                   help="the longest one request may take, all of its answer read (default: 10)")
    g.set_defaults(func=_geocode)

    e = sub.add_parser("extract", help="draft protest records from a report's text")
    e.add_argument("article", type=Path, metavar="ARTICLE.txt",
                   help="the report as UTF-8 plain text")
    e.add_argument("--out", type=Path, metavar="FILE.csv",
                   help="draft CSV to write (default: standard output); never a data table")
    e.add_argument("--source-url", default="", metavar="URL",
                   help="http(s) address of the report, copied into every row")
    e.add_argument("--date", metavar="YYYY-MM-DD",
                   help="the day the report was published ('today', weekdays ... count from it)")
    e.set_defaults(func=_extract)

    i = sub.add_parser("import", help="merge reviewed drafts or a protest dataset into the data "
                       "folder")
    i.add_argument("drafts", type=Path, metavar="FILE",
                   help="drafts from extract, reviewed (summary written; planned rows skipped), "
                   "or a dataset file of --format")
    i.add_argument("--format", default="drafts",
                   choices=("drafts", "acled", "gdelt", "ccc", "mm"),
                   help="drafts (default); acled (CSV export), gdelt (2.0 events, tab-separated), "
                   "ccc (Crowd Counting Consortium), mm (Mass Mobilization)")
    data_arg(i)
    i.add_argument("--skip-invalid", action="store_true",
                   help="leave invalid rows out and list them, instead of importing nothing")
    i.add_argument("--report", type=Path, metavar="FILE",
                   help="write every problem, skipped row and duplicate as CSV (file, line, "
                   "column, value, message, hint, outcome)")
    i.set_defaults(func=_import)

    x = sub.add_parser("export", help="write the events as GeoJSON, GeoPackage, GeoParquet or CSV")
    data_arg(x)
    x.add_argument("--format", required=True, choices=("geojson", "gpkg", "parquet", "csv"))
    x.add_argument("--out", required=True, type=Path, metavar="FILE")
    x.add_argument("--raw-csv", action="store_true",
                   help="csv: write text as it is; by default a cell a spreadsheet would run as "
                   "a formula (starting with =, +, -, @, tab or CR; not a number) starts with '")
    x.set_defaults(func=_export)
    return p


def add_build_arguments(b: argparse.ArgumentParser) -> None:
    """The options of ``build`` (shared with ``build_map.py``)."""
    b.add_argument("--data", type=Path, default=Path("data"), metavar="DIR",
                   help="folder with the CSV tables (default: data)")
    b.add_argument("--out", type=Path, default=Path("build"), metavar="DIR",
                   help="output folder (default: build)")
    b.add_argument("--title", metavar="TEXT", help="map title (default: from the dates)")
    b.add_argument("--embed-url", default="map.html", metavar="URL",
                   help="where the article loads map.html from (default: map.html)")
    b.add_argument("--cdn", action="store_true",
                   help="link Leaflet and plugins from CDNs instead of inlining them")
    b.add_argument("--lang", default="en", metavar="CODE",
                   help="the map's language (en, ru, kk or de) when the reader's browser asks "
                   "for none the map has (default: en)")
    b.add_argument("--skip-invalid", action="store_true",
                   help="leave out the rows with a problem (and the protests at a venue left "
                   "out), say how many and why, and write problems.csv beside the map")


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``protest-map`` with ``argv`` (default: the command line); return the exit status."""
    args = parser().parse_args(argv)
    return run(args)


def script(argv: Sequence[str] | None = None) -> NoReturn:
    """Run ``protest-map`` as a program: :func:`main`, then exit with its status.

    Process-wide settings, which a library should not make for its caller, are made here:

    - Arrow allocates through the C library's ``malloc`` (:func:`pyarrow.system_memory_pool`)
      rather than its bundled mimalloc, which hands freed pages back to the system at once and
      then faults them in again: a build of 100,000 events is about 0.3 s faster.
    - Before exiting, every object left is moved to the collector's permanent generation
      (:func:`gc.freeze`), so that the interpreter's last collection does not scan them all:
      after a build of 100,000 events that scan alone took 0.4 s.
    - For large tables, glibc's ``malloc`` maps blocks of 1 MB and more on their own, so that
      they go back to the system when freed (:func:`geo._memory.map_large_allocations`, made
      by ``build`` and ``validate``): a build of 1,000,000 events peaked 0.1–0.3 GB lower.
    """
    import pyarrow as pa  # here, so that ``--help`` need not load it

    pa.set_memory_pool(pa.system_memory_pool())
    status = main(argv)
    gc.freeze()
    sys.exit(status)


def run(args: argparse.Namespace) -> int:
    """Run parsed arguments, turning protest-map errors into exit status 2."""
    logging.basicConfig(level=logging.ERROR if args.quiet else logging.INFO,
                        format="%(levelname)s: %(message)s", stream=sys.stderr, force=True)
    try:
        return int(args.func(args))
    except DataError as exc:
        from geo.tables.report import error_text

        print(error_text(exc, _full_list(args), written=getattr(args, "report", None) is not None),
              file=sys.stderr)
        if getattr(args, "skip_invalid", None) is False:
            print("(to build from the valid rows only and list the rest in problems.csv: "
                  "--skip-invalid)", file=sys.stderr)
        return 2
    except ProtestMapError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
