"""Hostile photo files: a format a browser does not show, a huge image, a huge file."""

from __future__ import annotations

import struct
import subprocess
import zlib
from pathlib import Path

import pytest
from PIL import Image

from geo.render import images
from geo.render.images import MAX_PIXELS, PhotoRefused, inline_images, thumbnail_uri

EPS = (b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\n"
       b"newpath 0 0 moveto 10 10 lineto stroke\nshowpage\n%%EOF\n")


def _png_declaring(path: Path, width: int, height: int) -> Path:
    """A tiny PNG whose header declares ``width`` × ``height`` pixels (correct CRC)."""
    Image.new("RGB", (1, 1), "red").save(path, format="PNG")
    data = bytearray(path.read_bytes())
    assert data[12:16] == b"IHDR"
    data[16:24] = struct.pack(">II", width, height)
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])))
    path.write_bytes(bytes(data))
    return path


@pytest.fixture
def no_subprocess(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"a subprocess was started: {args!r}")

    monkeypatch.setattr(subprocess, "Popen", refuse)
    monkeypatch.setattr(subprocess, "run", refuse)
    monkeypatch.setattr(subprocess, "check_call", refuse)


def test_eps_named_jpg_is_refused_without_running_anything(tmp_path, no_subprocess) -> None:
    (tmp_path / "photos").mkdir()
    (tmp_path / "photos" / "x.jpg").write_bytes(EPS)
    with pytest.warns(UserWarning, match=r"photos/x\.jpg.*JPEG, PNG, GIF, WEBP.*not supplied"):
        out = inline_images(["photos/x.jpg"], tmp_path)
    assert out == {}


def test_huge_dimensions_are_a_warning_not_a_traceback(tmp_path, no_subprocess) -> None:
    (tmp_path / "photos").mkdir()
    _png_declaring(tmp_path / "photos" / "bomb.png", 20_000, 20_000)  # 400 megapixels
    _png_declaring(tmp_path / "photos" / "big.png", 10_000, 6_000)  # 60: below Pillow's limit
    with pytest.warns(UserWarning) as caught:
        out = inline_images(["photos/bomb.png", "photos/big.png"], tmp_path)
    assert out == {}
    messages = [str(w.message) for w in caught if issubclass(w.category, UserWarning)]
    assert len(messages) == 2 and all("not supplied" in m for m in messages)
    assert "400,000,000" in messages[0] or "limit is" in messages[0]
    assert "60,000,000 pixels, over the limit of 50,000,000" in messages[1]


def test_pixel_limit_is_checked_before_decoding(tmp_path) -> None:
    path = _png_declaring(tmp_path / "big.png", 10_000, 5_001)
    assert 10_000 * 5_001 > MAX_PIXELS
    with pytest.raises(PhotoRefused, match="over the limit"):
        thumbnail_uri(path)


def test_file_size_limit(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "p.png"
    Image.new("RGB", (4, 4), "blue").save(path, format="PNG")
    monkeypatch.setattr(images, "MAX_BYTES", path.stat().st_size - 1)
    with pytest.raises(PhotoRefused, match="bytes, over the limit"):
        thumbnail_uri(path)
    with pytest.warns(UserWarning, match=r"p\.png.*bytes, over the limit.*not supplied"):
        assert inline_images(["p.png"], tmp_path) == {}


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "GIF", "WEBP"])
def test_browser_formats_still_inline(tmp_path, fmt: str) -> None:
    path = tmp_path / f"p.{fmt.lower()}"
    Image.new("RGB", (8, 6), "green").save(path, format=fmt)
    assert thumbnail_uri(path).startswith("data:image/")


def test_other_formats_are_refused(tmp_path) -> None:
    path = tmp_path / "p.jpg"
    Image.new("RGB", (8, 6), "green").save(path, format="BMP")
    with pytest.raises(Image.UnidentifiedImageError):
        thumbnail_uri(path)
