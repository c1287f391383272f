r"""Whether a geocoder answer has the shape of a Nominatim answer. Pure functions, no I/O.

A server may send anything: a bare string, a list of strings, a ``place_rank`` that is a word,
a latitude that is a list, an ``osm_id`` with a line break. Each answer is checked here before
it is used and before it is cached (:func:`clean_answer`), and again when it is read back from a
cache written by an older run, so no such answer crashes a run or places a venue:

- an answer that is not a JSON list of objects is unusable as a whole (an error for its query,
  retried like a malformed body, never cached);
- a result of the wrong shape (:func:`result_problem`) is dropped from its answer, alone.

Examples
--------
>>> good = {"osm_type": "node", "osm_id": 42, "lat": "52.5", "lon": "13.4", "place_rank": 30}
>>> clean_answer([good, {**good, "place_rank": "high"}, "x"])
(None, ['result 3 is a str, not an object'])
>>> clean_answer([good, {**good, "osm_id": "42\nrm -rf"}])[1]
["result 2 dropped: osm_id '42\\nrm -rf' is not a number"]
>>> source_of(good)
'nominatim:node/42'
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

OSM_TYPES = {"n": "node", "w": "way", "r": "relation", "node": "node", "way": "way",
             "relation": "relation"}
"""``osm_type`` values Nominatim sends (long, or one letter in some versions)."""

SOURCE = re.compile(r"nominatim:(node|way|relation)/[0-9]{1,20}")
"""The only ``source`` a Nominatim result may give a venue."""

TEXT_FIELDS = ("class", "category", "type", "addresstype", "name", "display_name")
"""Fields that are text (or missing, or null) in a usable result."""

TAG_FIELDS = ("extratags", "namedetails")
"""Fields that are objects of text (or missing, or null) in a usable result."""

_DIGITS = re.compile(r"[0-9]{1,20}")


def clean_answer(answer: Any) -> tuple[list[dict[str, Any]] | None, list[str]]:
    """Check an answer; return its usable results and why the others were dropped.

    Parameters
    ----------
    answer
        The decoded JSON of one answer, or an answer read from the cache.

    Returns
    -------
    results : list of dict or None
        The well-formed results, in the server's order; None when the answer as a whole is not a
        list of objects (then ``problems`` says why).
    problems : list of str
        One sentence per dropped result, or the one reason the whole answer is unusable.
    """
    if not isinstance(answer, list):
        return None, [f"the answer is a {type(answer).__name__}, not a list of results"]
    for position, result in enumerate(answer, 1):
        if not isinstance(result, Mapping):
            return None, [f"result {position} is a {type(result).__name__}, not an object"]
    results, problems = [], []
    for position, result in enumerate(answer, 1):
        problem = result_problem(result)
        if problem is None:
            results.append(dict(result))
        else:
            problems.append(f"result {position} dropped: {problem}")
    return results, problems


def result_problem(result: Any) -> str | None:
    """Say what makes a result unusable, or None when it has a usable shape.

    A usable result is an object with a valid point (:func:`coordinates`), an OSM object
    (:func:`source_of`), a whole ``place_rank`` if any, text where Nominatim sends text, and
    objects of text for ``extratags`` and ``namedetails``.

    Examples
    --------
    >>> result_problem({"osm_type": "way", "osm_id": 1, "lat": [1], "lon": "2"})
    "lat [1] / lon '2' is not a point"
    """
    if not isinstance(result, Mapping):
        return f"a {type(result).__name__}, not an object"
    if coordinates(result) is None:
        return (f"lat {_show(result.get('lat'))} / lon {_show(result.get('lon'))} "
                "is not a point")
    if str(result.get("osm_type")).lower() not in OSM_TYPES or not isinstance(
            result.get("osm_type"), str):
        return f"osm_type {_show(result.get('osm_type'))} is not node, way or relation"
    if not source_of(result):
        return f"osm_id {_show(result.get('osm_id'))} is not a number"
    rank = result.get("place_rank")
    if rank is not None and not _whole(rank):
        return f"place_rank {_show(rank)} is not a whole number"
    for name in TEXT_FIELDS:
        if result.get(name) is not None and not isinstance(result.get(name), str):
            return f"{name} {_show(result.get(name))} is not text"
    for name in TAG_FIELDS:
        tags = result.get(name)
        if tags is not None and not (isinstance(tags, Mapping) and all(
                isinstance(k, str) and isinstance(v, str) for k, v in tags.items())):
            return f"{name} {_show(tags)} is not an object of texts"
    return None


def coordinates(result: Mapping[str, Any]) -> tuple[float, float] | None:
    """Return ``(lat, lon)`` of a result, or None when missing, not numbers or out of range.

    Numbers and numeric text are read; anything else (a list, a boolean, ``"nan"``) is not a
    coordinate.
    """
    values = []
    for name in ("lat", "lon"):
        value = result.get(name)
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            return None
        try:
            values.append(float(value))
        except (ValueError, OverflowError):
            return None
    lat, lon = values
    if not (math.isfinite(lat) and math.isfinite(lon)) or abs(lat) > 90 or abs(lon) > 180:
        return None
    return lat, lon


def source_of(result: Mapping[str, Any]) -> str:
    r"""Name the provenance of a result, ``nominatim:{node|way|relation}/{digits}``, or ``""``.

    Only a clean OSM object is a source: a result without one, or with an ``osm_id`` that is not
    a plain number, has none (and is not used).

    Examples
    --------
    >>> source_of({"osm_type": "W", "osm_id": 15804085})
    'nominatim:way/15804085'
    >>> source_of({"osm_type": "node", "osm_id": "1\nsource=forged"})
    ''
    """
    osm_type = result.get("osm_type")
    kind = OSM_TYPES.get(osm_type.lower()) if isinstance(osm_type, str) else None
    osm_id = result.get("osm_id")
    if isinstance(osm_id, int) and not isinstance(osm_id, bool) and osm_id >= 0:
        osm_id = str(osm_id)
    if kind is None or not isinstance(osm_id, str) or not _DIGITS.fullmatch(osm_id):
        return ""
    source = f"nominatim:{kind}/{osm_id}"
    return source if SOURCE.fullmatch(source) else ""


def _whole(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    if isinstance(value, float):
        return math.isfinite(value) and value.is_integer()
    return isinstance(value, str) and _DIGITS.fullmatch(value) is not None


def _show(value: Any) -> str:
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 40 else text[:37] + "..."
