"""The events' photos as columns for the map's payload: one entry per photo, texts in Arrow.

Pure functions, no I/O: the photos of :func:`geo.join.join_events` (a list of
``{src, caption, credit, alt}`` dicts per event) become parallel arrays, and their sources what
the page may show (an inlined file's ``data:`` URI, a safe link, or nothing).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from geo.render.text import local_sources, safe_links


class Photos(NamedTuple):
    """The events' photos, one entry per photo in event order (:func:`photo_table`).

    Attributes
    ----------
    event
        The position of each photo's event (int64).
    src, caption, credit, alt
        The photos' texts as Arrow strings, missing ones ``""``; ``alt`` is the caption where
        none is given.
    """

    event: np.ndarray
    src: pa.Array
    caption: pa.Array
    credit: pa.Array
    alt: pa.Array


def local_photo_sources(photos: Photos) -> list[str]:
    """List the distinct photo sources that are files to inline, in order of first use.

    Parameters
    ----------
    photos
        The events' photos (:func:`photo_table`).
    """
    return list(pc.unique(pc.filter(photos.src, local_sources(photos.src))).to_pylist())


_PHOTO = ("src", "caption", "credit", "alt")
_PHOTO_LISTS = pa.list_(pa.struct([(c, pa.string()) for c in _PHOTO]))


def photo_table(events: pd.DataFrame) -> Photos:
    """The events' photos, one entry per photo; none when the events have no ``photos`` column.

    That column holds a list of ``{src, caption, credit, alt}`` dicts per event. Read by Arrow
    as lists of structs; lists whose photos are not all dicts of strings are first made so
    (anything but a dict is a photo with nothing supplied, a missing value is "").
    """
    values = events["photos"].tolist() if "photos" in events.columns else []
    try:
        photos = pa.array(values, type=_PHOTO_LISTS, from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        lists = [p if isinstance(p, list | tuple | np.ndarray) else [] for p in values]
        photos = pa.array([[_photo_text(p) for p in ps] for ps in lists], type=_PHOTO_LISTS)
    flat = photos.flatten()
    text = {c: pc.fill_null(flat.field(c), "") for c in _PHOTO}
    text["alt"] = pc.if_else(pc.equal(text["alt"], ""), text["caption"], text["alt"])
    event = pc.list_parent_indices(photos).to_numpy(zero_copy_only=False).astype(np.int64)
    return Photos(event, **text)


def _photo_text(photo: Any) -> dict[str, str]:
    if not isinstance(photo, dict):
        return {}
    return {c: "" if pd.isna(v) else str(v) for c in _PHOTO
            if not isinstance(v := photo.get(c), list | tuple | dict | np.ndarray)}


def photo_sources(text: pa.Array, images: Mapping[str, str]) -> pa.Array:
    """What each photo ``src`` becomes: the ``data:`` URI of an inlined file, a safe link, or ""."""
    local = local_sources(text)
    linked = pc.if_else(local, "", safe_links(text))
    if not pc.any(local).as_py():
        return linked
    inlined = [images.get(s, "") for s in pc.filter(text, local).to_pylist()]
    return pc.replace_with_mask(linked, local, pa.array(inlined, pa.string()))
