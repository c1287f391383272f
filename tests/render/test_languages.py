"""The interface's words: every language has every key, and ``build --lang`` sets the default."""

from __future__ import annotations

import json
import re
import tomllib
from fnmatch import fnmatch
from pathlib import Path

import pytest

from geo.cli import main
from geo.errors import UsageError
from geo.join import context_places, join_events
from geo.render import languages, make_map, page_html
from geo.render.page import I18N_ID
from geo.tables import load_dataset

ROOT = Path(__file__).resolve().parents[2]
JS = ROOT / "geo" / "render" / "js"


def _page_words(html: str) -> dict:
    text = html.split(f'id="{I18N_ID}" data-encoding="json">', 1)[1].split("</script>", 1)[0]
    return json.loads(text)


def test_every_language_has_every_key():
    assert languages.missing_keys() == {code: [] for code in languages.LANGUAGES}


def test_the_page_script_asks_only_for_keys_english_has():
    script = "\n".join(p.read_text("utf-8") for p in JS.glob("*.js"))
    asked = set(re.findall(r"\b(?:t|count)\(\s*\"(\w+)\"\s*[,)]", script))
    asked |= set(re.findall(r"data-pm-t(?:-label)?=\"(\w+)\"",
                            (ROOT / "geo" / "render" / "page.py").read_text("utf-8")))
    assert asked and asked <= set(languages.translations()["en"])


def test_plural_forms_and_slots_match_english():
    english = languages.translations()["en"]
    for code, words in languages.translations().items():
        for key, value in english.items():
            theirs = words[key]
            assert isinstance(theirs, dict) == isinstance(value, dict), (code, key)
            for text in (theirs.values() if isinstance(theirs, dict) else [theirs]):
                wanted = set(re.findall(r"\{\w+\}", str(next(iter(value.values())))
                                        if isinstance(value, dict) else value))
                assert set(re.findall(r"\{\w+\}", text)) == wanted, (code, key, text)


def test_lang_sets_the_default(tmp_path):
    ds = load_dataset(ROOT / "data")
    events, context = join_events(ds), context_places(ds)
    html = page_html(make_map(events, context, title="T", lang="kk"))
    assert html.startswith('<!DOCTYPE html>\n<html lang="kk">')
    words = _page_words(html)
    assert words["default"] == "kk" and set(words["words"]) == set(languages.LANGUAGES)
    with pytest.raises(UsageError, match="en, ru, kk, de"):
        make_map(events, context, lang="fr")
    args = ["build", "--data", str(ROOT / "data"), "--out", str(tmp_path), "--lang"]
    assert main([*args, "ru"]) == 0
    written = (tmp_path / "map.html").read_text("utf-8")
    assert written.startswith('<!DOCTYPE html>\n<html lang="ru">')
    assert main([*args, "xx"]) == 2


def test_the_wheel_carries_the_languages():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["geo"]
    for code in languages.LANGUAGES:
        assert any(fnmatch(f"render/i18n/{code}.json", p) for p in patterns), code
