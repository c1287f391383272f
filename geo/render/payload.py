"""Events to the compact payload the page renders from, and that payload as text safe inside HTML.

Pure functions: no file or network I/O. Columns are turned into parallel arrays; text that repeats
(cities, venue names, organizers, source titles, photo sources ...) is stored once in a string
table and referred to by index, so the payload grows with the number of *distinct* strings, and
the work is done per column (pandas ``factorize``), not per event.

Payload layout (format 3), all arrays of length ``n`` unless noted::

    strings      ["", ...]            the string table; index 0 is always ""
    kinds        VENUE_KINDS + [""]   "" = no venue listed
    precisions   PRECISIONS + [""]    "" = precision not stated
    kind_style   [{label, color, shape}, ...]  one per kind: geo.schema.KIND_STYLE
    precision_style  [{legend, words, unknown, approximate, radius, zoom}, ...]
                                     one per precision: geo.schema.PRECISION_STYLE
    context_style, precision_swatch  {label, color, shape}: geo.schema.CONTEXT_STYLE and
                                     PRECISION_SWATCH
    countries    [[code, name], ...]  sorted by name
    place        index into place_lat / place_lon: events at the same point share a place
    place_lat, place_lon             degrees, 5 decimals (about 1 m); one per distinct point
    day          days since 1970-01-01
    span         days from day to the last day (end_date), 0 for one day; [] if none spans days
    kind, precision, country         index into kinds / precisions / countries
    city, region, place_note, venue, address, location, organizer, participants, source_url,
    source_title, date_note          index into strings
    photo_event, photo_src, photo_caption, photo_credit, photo_alt
                                     one entry per photo (length = number of photos); photo_src
                                     is an index into strings: a ``data:image/...`` URI (inlined
                                     thumbnail), an http(s) URL (linked) or "" (not supplied)
    context      [{name, city, country, lat, lon, precision, day, summary, source_url}, ...]
    attribution  plain text naming the data's source
    summary      the report text (one per event, not in the table)
    id           the protest's id (its permalink, ``map.html#<id>``); the row number without ids

The keys come in that order: the *head*, everything the page needs to draw the map, the list and
the filters, then the *tail*, the report texts and ids, which only popups, links and downloads
use and which are most of the bytes (see :mod:`geo.render.encoding`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from geo.errors import DataError, Problem, UsageError
from geo.render.photos import Photos, photo_sources, photo_table
from geo.render.text import arrow_text, safe_link, safe_links
from geo.schema import (
    CONTEXT_STYLE,
    KIND_STYLE,
    PRECISION_STYLE,
    PRECISION_SWATCH,
    PRECISIONS,
    VENUE_KINDS,
)

FORMAT = 3
"""Version of the payload layout; the page script refuses any other."""


TEXT_COLUMNS: dict[str, str] = {
    "city": "city", "region": "region", "place_note": "place_note", "venue": "venue_name",
    "address": "address", "location": "location", "organizer": "organizer",
    "participants": "participants", "source_title": "source_title", "date_note": "date_note",
}
"""Payload key to events column, for the text columns stored through the string table."""

TEXT_KEYS = (*TEXT_COLUMNS, "source_url", "photo_src", "photo_caption", "photo_credit",
             "photo_alt")
"""Payload keys of the texts stored through the string table, in the table's order."""


REQUIRED_COLUMNS = ("date", "city", "country", "venue_kind", "precision", "summary", "lat", "lon")
"""Columns :func:`build_payload` cannot do without; the others default to blank."""


def build_payload(
    events: pd.DataFrame,
    context: pd.DataFrame | None = None,
    *,
    images: Mapping[str, str] | None = None,
    country_name: Callable[[str], str] = str,
    attribution: str = "",
) -> dict[str, Any]:
    """Build the compact payload of the events (see the module docstring for its layout).

    :func:`payload_arrays` (of the events' :func:`photo_table`) with its string table
    (:func:`with_string_table`), as plain lists (:func:`as_lists`): JSON-serialisable.
    """
    return as_lists(with_string_table(payload_arrays(
        events, context, photos=photo_table(events), images=images, country_name=country_name,
        attribution=attribution)))


def as_lists(payload: Mapping[str, Any]) -> dict[str, Any]:
    """The payload with its NumPy and Arrow arrays as lists (lists are kept as they are)."""
    return {key: value.tolist() if isinstance(value, np.ndarray) else
            value.to_pylist() if isinstance(value, pa.Array) else value
            for key, value in payload.items()}


def payload_arrays(
    events: pd.DataFrame,
    context: pd.DataFrame | None = None,
    *,
    photos: Photos,
    images: Mapping[str, str] | None = None,
    country_name: Callable[[str], str] = str,
    attribution: str = "",
) -> dict[str, Any]:
    """The payload of :func:`build_payload` before its string table, columns as arrays.

    Integer columns are NumPy arrays; the text columns (:data:`TEXT_KEYS`, ``summary``, ``id``)
    Arrow string arrays, without ``strings``: :func:`with_string_table` makes the one table of
    the JSON payload, the large-map path (:mod:`geo.render.columns`) one per block.

    Parameters
    ----------
    events
        From :func:`geo.join.join_events` (or any frame with its columns; at least
        :data:`REQUIRED_COLUMNS`), in display order.
    context
        From :func:`geo.join.context_places`, or None.
    photos
        The events' photos (:func:`photo_table`).
    images
        Local photo ``src`` to ``data:`` URI; a local photo missing here is shown as not supplied.
    country_name
        ISO alpha-2 code to the name shown in filters and popups.
    attribution
        Plain text crediting the data.

    Returns
    -------
    dict
        Keys in the order of the module docstring's layout (``strings`` left out).

    Raises
    ------
    UsageError
        When a required column is missing.
    DataError
        When a date is missing or a coordinate is not a number in range.
    """
    missing = [c for c in REQUIRED_COLUMNS if c not in events.columns]
    if missing:
        raise UsageError(
            f"the events frame lacks column(s) {missing}; pass the frame from "
            "geo.join.join_events (columns geo.schema.EVENT_COLUMNS)")
    n = len(events)
    labels = events["id"] if "id" in events.columns else pd.Series(range(n))
    lat, lon = _coordinates(events, labels, "events")
    place, place_lat, place_lon = places(lat, lon)
    day, span = _days(events, labels)
    texts = {key: arrow_text(_column(events, col)) for key, col in TEXT_COLUMNS.items()}
    texts["source_url"] = safe_links(_column(events, "source_url"))
    texts["photo_src"] = photo_sources(photos.src, images or {})
    for key in ("caption", "credit", "alt"):
        texts[f"photo_{key}"] = getattr(photos, key)

    country_codes, country_list = _countries(events["country"], country_name)
    payload: dict[str, Any] = {
        "format": FORMAT,
        "n": n,
        **vocabulary(),
        "countries": country_list,
        "place": place,
        "place_lat": place_lat,
        "place_lon": place_lon,
        "day": day,
        "span": span,
        "kind": _category_codes(events["venue_kind"], VENUE_KINDS),
        "precision": _category_codes(events["precision"], PRECISIONS),
        "country": country_codes,
        **{key: texts[key] for key in (*TEXT_COLUMNS, "source_url")},
        "photo_event": photos.event,
        **{f"photo_{k}": texts[f"photo_{k}"] for k in ("src", "caption", "credit", "alt")},
        "context": context_payload(context, country_name),
        "attribution": attribution,
        "summary": arrow_text(events["summary"]),  # the tail: TAIL_KEYS, last
        "id": arrow_text(labels.astype(str)),
    }
    return payload


def with_string_table(payload: Mapping[str, Any]) -> dict[str, Any]:
    """The payload with one string table: ``strings``, and :data:`TEXT_KEYS` as indices into it.

    ``payload``: from :func:`payload_arrays`. A payload that has its table already is returned
    as it is.
    """
    if "strings" in payload:
        return dict(payload)
    strings, indexed = string_arrays({key: payload[key] for key in TEXT_KEYS})
    out: dict[str, Any] = {}
    for key, value in payload.items():
        out[key] = indexed.get(key, value)
        if key == "n":
            out["strings"] = strings
    return out


def vocabulary() -> dict[str, Any]:
    """The kinds and precisions with the words, colours and shapes the page shows them with.

    Taken from :mod:`geo.schema` (:data:`~geo.schema.KIND_STYLE`,
    :data:`~geo.schema.PRECISION_STYLE`, :data:`~geo.schema.CONTEXT_STYLE`,
    :data:`~geo.schema.PRECISION_SWATCH`): the page script holds no copy of them. ``kind_style``
    and ``precision_style`` are parallel to ``kinds`` and ``precisions``.

    Examples
    --------
    >>> v = vocabulary()
    >>> v["kinds"][0], v["kind_style"][0]["label"], v["precision_style"][0]["legend"]
    ('embassy', 'Embassy', 'exact building')
    """
    kinds, precisions = [*VENUE_KINDS, ""], [*PRECISIONS, ""]
    return {
        "kinds": kinds,
        "precisions": precisions,
        "kind_style": [KIND_STYLE[k]._asdict() for k in kinds],
        "precision_style": [PRECISION_STYLE[p]._asdict() for p in precisions],
        "context_style": CONTEXT_STYLE._asdict(),
        "precision_swatch": PRECISION_SWATCH._asdict(),
    }


def places(lat: np.ndarray, lon: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Group points that coincide: each point's place index, and each place's lat and lon.

    Places are numbered in order of first appearance.

    Examples
    --------
    >>> import numpy as np
    >>> idx, lat, lon = places(np.array([52.5, 48.2, 52.5]), np.array([13.4, 16.4, 13.4]))
    >>> idx.tolist(), lat.tolist(), lon.tolist()
    ([0, 1, 0], [52.5, 48.2], [13.4, 16.4])
    """
    index, uniques = pd.factorize(lat + 1j * lon)
    return index.astype(np.int64), uniques.real, uniques.imag


def string_table(columns: Mapping[str, Any]) -> tuple[list[str], dict[str, list[int]]]:
    """One table of the distinct strings of several columns, and each column as indices into it.

    ``""`` is always index 0; the others follow in order of first appearance (column order,
    then row order), so the same input gives the same table. Missing values count as ``""``.

    Examples
    --------
    >>> table, idx = string_table({"a": ["x", "", "y"], "b": ["y", "x"]})
    >>> table, idx
    (['', 'x', 'y'], {'a': [1, 0, 2], 'b': [2, 1]})
    """
    table, codes = string_arrays(columns)
    return table.to_pylist(), {key: value.tolist() for key, value in codes.items()}


def string_arrays(columns: Mapping[str, Any]) -> tuple[pa.Array, dict[str, np.ndarray]]:
    """:func:`string_table` as an Arrow string array and NumPy arrays of indices (int32).

    The columns are encoded as the chunks of one array (one table of the strings seen so far,
    without a copy of the columns); the last chunk's dictionary is the whole table.
    """
    texts = [arrow_text(c) for c in columns.values()]
    encoded = pc.dictionary_encode(pa.chunked_array([pa.array([""], pa.string()), *texts]))
    codes = np.concatenate([chunk.indices.to_numpy(zero_copy_only=False)
                            for chunk in encoded.chunks])
    out: dict[str, np.ndarray] = {}
    start = 1
    for key, text in zip(columns, texts, strict=True):
        out[key] = codes[start:start + len(text)]
        start += len(text)
    return encoded.chunk(encoded.num_chunks - 1).dictionary, out


def context_payload(context: pd.DataFrame | None,
                    country_name: Callable[[str], str] = str) -> list[dict[str, Any]]:
    """Return the context places (few rows) as a list of plain dicts for the page."""
    if context is None or context.empty:
        return []
    labels = context["id"] if "id" in context.columns else context["name"]
    lat, lon = _coordinates(context, labels, "context")
    day = context["date"] if "date" in context.columns else pd.Series(pd.NaT, index=context.index)
    days = pd.to_datetime(day).to_numpy(dtype="datetime64[D]")
    prec = _category_codes(_column(context, "precision"), PRECISIONS)
    out = []
    for i, row in enumerate(context.reset_index(drop=True).itertuples(index=False)):
        country = str(getattr(row, "country", "") or "")
        out.append({
            "name": str(getattr(row, "name", "") or ""),
            "city": str(getattr(row, "city", "") or ""),
            "country": country_name(country) if country else "",
            "lat": float(lat[i]),
            "lon": float(lon[i]),
            "precision": int(prec[i]),
            "day": None if np.isnat(days[i]) else int(days[i].astype(np.int64)),
            "summary": str(getattr(row, "summary", "") or ""),
            "source_url": safe_link(str(getattr(row, "source_url", "") or "")),
        })
    return out


def _column(frame: pd.DataFrame, name: str) -> pd.Series:
    if name in frame.columns:
        return frame[name]
    return pd.Series("", index=frame.index, dtype=object)


def _coordinates(frame: pd.DataFrame, labels: pd.Series,
                 what: str) -> tuple[np.ndarray, np.ndarray]:
    lat = pd.to_numeric(frame["lat"], errors="coerce").to_numpy(dtype=float)
    lon = pd.to_numeric(frame["lon"], errors="coerce").to_numpy(dtype=float)
    problems = []
    for name, values, limit in (("lat", lat, 90), ("lon", lon, 180)):
        bad = ~(np.abs(values) <= limit)  # NaN compares False, so it is bad too
        for i in np.flatnonzero(bad)[:20]:
            problems.append(Problem(what, 0, name, (
                f"{str(labels.iloc[i])!r}: {float(values[i])!r} is not a {name} in "
                f"[-{limit}, {limit}]; fix the coordinates (venues.csv / context.csv lat, lon) "
                "or run protest-map geocode")))
    if problems:
        raise DataError(problems)
    return np.round(lat, 5), np.round(lon, 5)


def _days(events: pd.DataFrame, labels: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Each event's day, and its span of days to ``end_date`` (``[]`` when none spans days)."""
    values = pd.to_datetime(events["date"]).to_numpy(dtype="datetime64[D]")
    bad = np.isnat(values)
    if bad.any():
        raise DataError([Problem("events", 0, "date", f"{str(labels.iloc[i])!r}: the date is "
                                 "missing; give it as YYYY-MM-DD in protests.csv")
                         for i in np.flatnonzero(bad)[:20]])
    day = values.astype(np.int64)
    end = pd.to_datetime(_column(events, "end_date")).to_numpy(dtype="datetime64[D]")
    span = np.where(np.isnat(end), 0, end.astype(np.int64) - day).clip(0)
    return day, span if span.any() else span[:0]


def _category_codes(values: pd.Series, categories: tuple[str, ...]) -> np.ndarray:
    """Index into ``categories``; blank or unknown values get ``len(categories)`` (the "" entry)."""
    codes = pd.Categorical(values, categories=categories).codes.astype(np.int64)
    codes[codes < 0] = len(categories)
    return codes


def _countries(codes: pd.Series,
               country_name: Callable[[str], str]) -> tuple[np.ndarray, list[list[str]]]:
    encoded = pc.dictionary_encode(arrow_text(codes))
    index, uniques = encoded.indices.to_numpy(), encoded.dictionary.to_pylist()
    named = sorted((country_name(c) if c else "", c, i) for i, c in enumerate(uniques))
    remap = np.empty(len(named), dtype=np.int64)
    for pos, (_, _, i) in enumerate(named):
        remap[i] = pos
    return remap[index], [[c, name] for name, c, _ in named]
