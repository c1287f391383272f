"""The build job: data folder in, ``map.html``, ``embed.html`` and ``events.geojson`` out.

Validation happens before anything is written, and the three outputs are replaced together
(:func:`geo._atomic.atomic_paths`), so a failed build leaves the previous outputs untouched. With
``skip_invalid`` the rows with a problem are left out instead, and ``problems.csv`` (every problem,
:func:`geo.tables.report.write_report`'s format) is written with the other outputs. The
build job chooses to make the GeoJSON in a forked child process while this process renders the
map (:class:`geo._forked.Forked`), so two cores work at once; the cyclic garbage collector is
paused meanwhile (:mod:`geo._gcpause`).
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geo import render
from geo._atomic import atomic_paths, write_content
from geo._forked import Forked
from geo._gcpause import paused_gc
from geo._memory import release_free_memory
from geo.errors import Problem, Problems, UsageError
from geo.export import iter_events_geojson
from geo.join import context_places, join_events
from geo.tables import load_dataset
from geo.tables.report import REPORT_NAME, report_csv


@dataclass(frozen=True)
class BuildResult:
    """What a build wrote and what it warned about.

    Attributes
    ----------
    outputs
        The files written.
    events
        Protests on the map.
    warnings
        Approximations worth telling the user about.
    problems
        With ``skip_invalid``: why rows were left out (also in ``problems.csv``).
    left_out, rows
        With ``skip_invalid``: rows left out, and rows read, per file.
    """

    outputs: list[Path]
    events: int
    warnings: Sequence[Problem] = field(default_factory=list)
    problems: Problems = field(default_factory=Problems)
    left_out: dict[str, int] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)


def default_title(events: gpd.GeoDataFrame) -> str:
    """A title from the data: ``"Protests, 16–17 December 2011"`` and the like.

    The span runs from the first ``date`` to the last day of any protest (its ``end_date``, or
    its ``date`` when it has none).

    Examples
    --------
    >>> import pandas as pd, geopandas as gpd
    >>> ev = gpd.GeoDataFrame({"date": pd.to_datetime(["2011-12-16", "2011-12-17"])})
    >>> default_title(ev)
    'Protests, 16–17 December 2011'
    >>> ev["end_date"] = pd.to_datetime(["2012-01-02", None])
    >>> default_title(ev)
    'Protests, 16 December 2011 – 2 January 2012'
    """
    if events.empty:
        return "Protests"
    first, last = events["date"].min(), events["date"].max()
    if "end_date" in events.columns and events["end_date"].notna().any():
        last = max(last, events["end_date"].max())
    if first == last:
        span = f"{first.day} {first:%B %Y}"
    elif (first.year, first.month) == (last.year, last.month):
        span = f"{first.day}–{last.day} {last:%B %Y}"
    elif first.year == last.year:
        span = f"{first.day} {first:%B} – {last.day} {last:%B %Y}"
    else:
        span = f"{first.day} {first:%B %Y} – {last.day} {last:%B %Y}"
    return f"Protests, {span}"


def build(
    data_dir: str | Path = "data",
    out_dir: str | Path = "build",
    *,
    title: str | None = None,
    embed_url: str = "map.html",
    cdn: bool = False,
    skip_invalid: bool = False,
    lang: str = "en",
) -> BuildResult:
    """Validate the tables, join them and write the map, the embed snippet and the GeoJSON.

    Parameters
    ----------
    data_dir
        Folder with ``protests.csv``, ``venues.csv`` and optionally ``photos.csv``, ``context.csv``.
    out_dir
        Folder for the outputs (created if missing).
    title
        Page and map title; derived from the dates if None.
    embed_url
        URL of ``map.html`` as the article will load it, for ``embed.html``.
    cdn
        Link Leaflet and plugins from CDNs instead of inlining them.
    skip_invalid
        Leave out the rows with a problem (see :func:`geo.tables.load_dataset`) and write
        ``problems.csv`` beside the map; problems that make a whole file unreadable still fail.
    lang
        The map's default language (:data:`geo.render.languages.LANGUAGES`).

    Returns
    -------
    BuildResult

    Raises
    ------
    geo.errors.DataError
        When the tables are invalid (without ``skip_invalid``); nothing is written then.
    """
    data_dir, out_dir = Path(data_dir), Path(out_dir)
    with paused_gc():
        return _build(data_dir, out_dir, title, embed_url, cdn, skip_invalid, lang)


def _build(data_dir: Path, out_dir: Path, title: str | None, embed_url: str,
           cdn: bool, skip_invalid: bool, lang: str) -> BuildResult:
    ds = load_dataset(data_dir, skip_invalid=skip_invalid)
    release_free_memory()  # what reading and checking freed, before the join's copies
    if not isinstance(ds.protests, pd.DataFrame):
        raise UsageError(f"{data_dir} holds protests.parquet/ (partitioned data, for analysis at "
                         "scale): build the map from a protests.csv, or write the joined events "
                         "with geo.export.write_parquet")
    events = join_events(ds, release=True)
    context = context_places(ds)
    done = BuildResult(outputs=[], events=len(events), warnings=ds.warnings,
                       problems=ds.problems, left_out=ds.left_out, rows=ds.rows)
    del ds  # the tables: the events hold all the map needs, and memory peaks while rendering
    release_free_memory()
    title = title or default_title(events)
    outputs = [out_dir / name for name in ("map.html", "embed.html", "events.geojson")]
    if skip_invalid:
        outputs.append(out_dir / REPORT_NAME)
    with atomic_paths(outputs) as tmp:
        geojson = Forked(functools.partial(_write_geojson, tmp[outputs[2]], events))
        try:
            write_content(tmp[outputs[1]], render.embed_html(embed_url, title=title))
            write_content(tmp[outputs[0]], render.page_html(render.make_map(
                events, context, title=title, cdn=cdn, data_dir=data_dir, lang=lang)))
            if skip_invalid:
                write_content(tmp[outputs[3]], report_csv(done.problems, done.warnings))
            geojson.wait()
        finally:
            geojson.stop()
    return dataclasses.replace(done, outputs=outputs)


def _write_geojson(path: Path, events: gpd.GeoDataFrame) -> None:
    """Write ``events.geojson`` (run in the forked child)."""
    write_content(path, iter_events_geojson(events))
