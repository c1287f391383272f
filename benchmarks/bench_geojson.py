"""Benchmark: ``events.geojson`` alone, written as a build writes it (in a forked child).

Loads a data folder once (:func:`geo.tables.load_dataset`, :func:`geo.join.join_events`), then,
for each round and each writer, forks a child that streams
:func:`geo.export.iter_events_geojson` to a file with :func:`geo._atomic.write_content`, as
:mod:`geo.build` does, and prints its wall and CPU seconds and its private memory at the end (the
pages it does not share with the parent). ``--against`` adds other versions of
``geo/export/geojson.py`` (a file each, e.g. from ``git show main:geo/export/geojson.py``), timed
in turn with this one, round after round, so that a shared machine's noise falls on all alike.

Usage::

    python benchmarks/bench_geojson.py DATA --out /tmp/geojson-bench
    git show main:geo/export/geojson.py > /tmp/old_geojson.py
    python benchmarks/bench_geojson.py DATA --out /tmp/geojson-bench --against /tmp/old_geojson.py
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import time
from pathlib import Path
from types import ModuleType

import pyarrow as pa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from geo._atomic import write_content  # noqa: E402
from geo._forked import Forked  # noqa: E402
from geo._gcpause import paused_gc  # noqa: E402
from geo._memory import map_large_allocations, tables_are_large  # noqa: E402
from geo.export import geojson  # noqa: E402
from geo.join import join_events  # noqa: E402
from geo.tables import load_dataset  # noqa: E402


def private_mb() -> float:
    """This process's private memory (MB): pages no other process shares (Linux)."""
    fields = [line.split(":", 1) for line in open("/proc/self/smaps_rollup")
              if line.startswith("Private_")]
    return sum(int(value.split()[0]) for _, value in fields) / 1024


def module_at(path: Path, name: str) -> ModuleType:
    """Import the Python file at ``path`` as a module named ``name``."""
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("data", type=Path, help="data folder")
    parser.add_argument("--out", type=Path, required=True, help="folder for the files written")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--against", type=Path, nargs="*", default=[],
                        help="other versions of geo/export/geojson.py")
    args = parser.parse_args()
    pa.set_memory_pool(pa.system_memory_pool())  # as the program (geo.cli) does
    if tables_are_large(args.data):
        map_large_allocations()
    args.out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    with paused_gc():
        events = join_events(load_dataset(args.data))
    print(f"{len(events):,} events loaded in {time.perf_counter() - started:.1f} s", flush=True)
    writers = {"this": geojson} | {str(path): module_at(path, f"against{i}")
                                   for i, path in enumerate(args.against)}
    for round_ in range(args.rounds):
        for i, (name, module) in enumerate(writers.items()):
            out, report = args.out / f"events-{i}.geojson", args.out / f"report-{i}.txt"

            def job(module: ModuleType = module, out: Path = out, report: Path = report) -> None:
                wall, cpu = time.perf_counter(), time.process_time()
                write_content(out, module.iter_events_geojson(events))
                report.write_text(f"{time.perf_counter() - wall:.2f} s wall, "
                                  f"{time.process_time() - cpu:.2f} s CPU, "
                                  f"child's private memory {private_mb():.0f} MB")

            Forked(job).wait()
            print(f"round {round_} {name}: {report.read_text()}", flush=True)


if __name__ == "__main__":
    main()
