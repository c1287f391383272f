"""The page script in parts: each file small, all of them joined in a fixed order, all packaged."""

from __future__ import annotations

import re
import tomllib
from fnmatch import fnmatch
from pathlib import Path

from geo.render import assets

ROOT = Path(__file__).resolve().parents[2]
JS = ROOT / "geo" / "render" / "js"
MAX_LINES = 300


def test_every_part_is_joined_once_and_small():
    on_disk = sorted(p.name for p in JS.glob("*.js"))
    assert sorted(assets.SCRIPT_PARTS) == on_disk, "SCRIPT_PARTS and geo/render/js/ differ"
    assert len(set(assets.SCRIPT_PARTS)) == len(assets.SCRIPT_PARTS)
    for name in on_disk:
        text = (JS / name).read_text("utf-8")
        assert len(text.splitlines()) <= MAX_LINES, f"{name}: split it by job"
        assert text.startswith(f"/* {name}: "), f"{name} should open by saying what it does"


def test_parts_are_joined_in_order_in_one_scope():
    script = assets.page_script()
    assert script.startswith("/* protest-map page script") and script.endswith("})();\n")
    # one directive for the whole page (the large map's worker source holds its own, quoted)
    assert script.count('\n"use strict";\n') == 1
    at = [script.index((JS / name).read_text("utf-8").rstrip()) for name in assets.SCRIPT_PARTS]
    assert at == sorted(at)
    assert assets.page_script.__wrapped__() == script  # the same files give the same bytes


def test_no_name_is_declared_twice():
    """The parts share one scope, where a second declaration would silently replace the first."""
    names: dict[str, str] = {}
    for name in assets.SCRIPT_PARTS:
        text = (JS / name).read_text("utf-8")
        for declared in re.findall(r"^(?:function|var) ([A-Za-z_$][\w$]*)", text, re.M):
            assert declared not in names, f"{declared} in {name} and {names[declared]}"
            names[declared] = name


def test_the_wheel_carries_the_parts():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["geo"]
    for path in [f"render/js/{name}" for name in assets.SCRIPT_PARTS] + ["render/map.css"]:
        assert any(fnmatch(path, pattern) for pattern in patterns), path
