"""Docs that cannot drift: every command line, option, import path and file the docs name exists."""

from __future__ import annotations

import argparse
import importlib
import re
import shlex
from pathlib import Path

import pytest
from conftest import ROOT

from geo.cli import parser

EXAMPLES = {"data/photos/berlin.jpg"}  # a file the reader is told to add
DOCS = sorted([ROOT / "README.md", *(ROOT / "docs").glob("*.md")])
DOTTED = re.compile(r"`(geo(?:\.[A-Za-z_][A-Za-z0-9_]*)+)`")
PATH = re.compile(r"`((?:geo|tests|scripts|benchmarks|notebooks|data)/[A-Za-z0-9_./-]*\w)`")
COMMAND = re.compile(r"^\s*(?:\$ )?(?:\.venv/bin/)?protest-map\b(.*)$")


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def resolve(dotted: str) -> object:
    """Import the longest module prefix of ``dotted`` and look the rest up as attributes."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj: object = importlib.import_module(".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        for name in parts[cut:]:
            obj = getattr(obj, name)
        return obj
    raise ModuleNotFoundError(dotted)


def commands() -> list[tuple[str, str]]:
    """``protest-map …`` lines of the docs' code blocks, continuation lines joined."""
    found = []
    for doc in DOCS:
        blocks = re.findall(r"```(?:sh|bash|console)?\n(.*?)```", _text(doc), re.S)
        for block in blocks:
            for line in block.replace("\\\n", " ").splitlines():
                for part in re.split(r"&&|;|\|", line.split(" #")[0]):
                    m = COMMAND.match(part)
                    if m:
                        found.append((doc.name, m.group(1).strip()))
    return found


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_named_import_paths_exist(doc: Path) -> None:
    missing = []
    for dotted in sorted(set(DOTTED.findall(_text(doc)))):
        try:
            resolve(dotted)
        except (ModuleNotFoundError, AttributeError):
            missing.append(dotted)
    assert missing == []


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_named_files_exist(doc: Path) -> None:
    missing = [p for p in sorted(set(PATH.findall(_text(doc))) - EXAMPLES)
               if not (ROOT / p).exists()]
    assert missing == []


def test_every_documented_command_line_parses() -> None:
    lines = commands()
    assert len(lines) > 10  # the README alone shows every command
    bad = []
    for doc, line in lines:
        try:
            parser().parse_args(shlex.split(line))
        except SystemExit:
            bad.append((doc, line))
    assert bad == []


def test_every_command_and_option_is_documented_in_the_readme() -> None:
    readme = _text(ROOT / "README.md")
    sub = next(a for a in parser()._actions if isinstance(a, argparse._SubParsersAction))
    undocumented = []
    for name, command in sub.choices.items():
        if f"protest-map {name}" not in readme:
            undocumented.append(name)
        for action in command._actions:
            options = [o for o in action.option_strings if o.startswith("--") and o != "--help"]
            if options and not any(o in readme for o in options):
                undocumented.append(f"{name} {options[0]}")
    assert undocumented == []


def test_the_checker_would_catch_a_wrong_path() -> None:
    with pytest.raises((ModuleNotFoundError, AttributeError)):
        resolve("geo.tables.no_such_rule")
    with pytest.raises(SystemExit):
        parser().parse_args(["build", "--no-such-option"])
