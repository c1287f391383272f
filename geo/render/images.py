"""Local photos as small inline images: read, orient, resize with Pillow, encode as ``data:`` URIs.

The only module of :mod:`geo.render` that reads photo files. Metadata (EXIF, including any GPS
position) is dropped; the same file gives the same bytes.

Only the formats a browser shows are opened (:data:`FORMATS`, whatever the file is named: an
EPS file called ``.jpg`` would make Pillow run Ghostscript), and only files of at most
:data:`MAX_BYTES` bytes and :data:`MAX_PIXELS` pixels (a "decompression bomb" would fill the
memory). Any other file is left out with the usual "shown as not supplied" warning.
"""

from __future__ import annotations

import base64
import io
import warnings
from collections.abc import Iterable
from pathlib import Path

import pandas as pd
from PIL import Image, ImageOps, UnidentifiedImageError

from geo.tables.rules import photo_source_kinds

MAX_SIDE = 480
"""Longest side of an inlined thumbnail, in pixels (about twice a phone popup's width)."""

JPEG_QUALITY = 80

FORMATS = ("JPEG", "PNG", "GIF", "WEBP")
"""The image formats photos are read as (what browsers show); any other file is refused."""

MAX_PIXELS = 50_000_000
"""Largest photo read, in pixels (width × height): 50 megapixels, more than a phone takes."""

MAX_BYTES = 50 * 1024 * 1024
"""Largest photo file read, in bytes (50 MiB)."""


class PhotoRefused(OSError):
    """A photo file that is not read: too large, or not a format a browser shows."""


def thumbnail_uri(path: Path, max_side: int = MAX_SIDE) -> str:
    """Encode the image at ``path`` as a ``data:`` URI, at most ``max_side`` pixels a side.

    Photos become JPEG; images with transparency stay PNG.

    Parameters
    ----------
    path
        A JPEG, PNG, GIF or WebP file (:data:`FORMATS`).
    max_side
        Longest side of the result, in pixels.

    Raises
    ------
    PhotoRefused
        The file is over :data:`MAX_BYTES` bytes or :data:`MAX_PIXELS` pixels.
    OSError, PIL.UnidentifiedImageError
        When the file cannot be read as an image of one of :data:`FORMATS`.
    """
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise PhotoRefused(f"the file has {size:,} bytes, over the limit of {MAX_BYTES:,}")
    with warnings.catch_warnings():  # Pillow warns of large images: they are refused below
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            opened = Image.open(path, formats=list(FORMATS))
        except Image.DecompressionBombError as exc:
            raise PhotoRefused(f"{exc}; the limit is {MAX_PIXELS:,} pixels") from exc
    with opened:
        pixels = opened.width * opened.height
        if pixels > MAX_PIXELS:
            raise PhotoRefused(f"{opened.width}×{opened.height} is {pixels:,} pixels, over the "
                               f"limit of {MAX_PIXELS:,}")
        img = ImageOps.exif_transpose(opened)
        img.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
        has_alpha = img.mode in ("RGBA", "LA") or (img.mode == "P" and "transparency" in img.info)
        buf = io.BytesIO()
        if has_alpha:
            img.convert("RGBA").save(buf, format="PNG", optimize=True)
            mime = "image/png"
        else:
            img.convert("RGB").save(buf, format="JPEG", quality=JPEG_QUALITY, optimize=True)
            mime = "image/jpeg"
    return f"data:{mime};base64,{base64.b64encode(buf.getvalue()).decode('ascii')}"


def inline_images(sources: Iterable[str], data_dir: Path | None,
                  max_side: int = MAX_SIDE) -> dict[str, str]:
    """Make thumbnails of the local photos, keyed by their ``src`` as written in photos.csv.

    A photo that cannot be inlined (no ``data_dir`` given, a path outside it, a missing or
    unreadable file) is left out with a warning; the map then shows it as not supplied.

    Parameters
    ----------
    sources
        Photo paths relative to ``data_dir``.
    data_dir
        The data folder, or None when the events did not come from one.
    max_side
        Longest side of each thumbnail, in pixels.
    """
    sources = list(sources)
    if not sources:
        return {}
    if data_dir is None:
        warnings.warn(f"{len(sources)} photo(s) have a file path as src (e.g. {sources[0]!r}) but "
                      "no data_dir was given, so they are shown as not supplied; pass data_dir=",
                      stacklevel=3)
        return {}
    _, _, local = photo_source_kinds(pd.DataFrame({"src": sources}))
    root = data_dir.resolve()
    out: dict[str, str] = {}
    for src, inside in zip(sources, local, strict=True):
        target = (root / src).resolve()
        if not inside:
            problem = "is neither an http(s) link nor a path inside the data folder"
        elif not (target.is_file() and target.is_relative_to(root)):
            problem = f"no such file in {data_dir}"
        else:
            try:
                out[src] = thumbnail_uri(target, max_side)
                continue
            except PhotoRefused as exc:
                problem = f"is not used ({exc})"
            except (OSError, UnidentifiedImageError, ValueError, SyntaxError) as exc:
                # what Pillow raises on a file it cannot decode
                problem = (f"cannot be read as an image of a format a browser shows "
                           f"({', '.join(FORMATS)}) ({exc})")
        warnings.warn(f"photos.csv src {src!r}: {problem}; shown as not supplied", stacklevel=3)
    return out
