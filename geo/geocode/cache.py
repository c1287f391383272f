"""Persistent geocode cache: one SQLite row per query, written the moment each answer arrives.

The key is the provider plus the query with its parameters in a fixed (sorted) order, each value
normalised (Unicode NFC, single spaces, case folded), so the same question asked twice, by two
venues or by two runs, is one row. An answer is the provider's list of results as received; an
empty list ("nothing found") is an answer too. Failures (timeouts, errors) are never stored.

Each :meth:`GeocodeCache.put` is its own committed transaction, so a run killed at any moment,
even with SIGKILL, keeps every answer it had received.

Examples
--------
>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "geocode.sqlite"
>>> key = cache_key("nominatim:https://example.org", {"q": "Wipplingerstraße 35,  Wien"})
>>> key
'["nominatim:https://example.org",[["q","wipplingerstrasse 35, wien"]]]'
>>> with GeocodeCache(path) as cache:
...     cache.get(key) is None
...     cache.put(key, [])
...     cache.get(key)
True
[]
"""

from __future__ import annotations

import json
import os
import sqlite3
import unicodedata
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

from geo.errors import UsageError

SCHEMA_VERSION = 1
"""``PRAGMA user_version`` of the cache files this module writes."""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS answers (
    key       TEXT PRIMARY KEY,  -- JSON: [provider, [[parameter, normalised value], ...]]
    answer    TEXT NOT NULL,     -- JSON list of the provider's results, [] = nothing found
    stored_at TEXT NOT NULL      -- UTC time the answer arrived, ISO 8601
)
"""


def default_cache_path(environ: Mapping[str, str] | None = None) -> Path:
    """Where the cache lives unless ``--cache`` says otherwise.

    ``$XDG_CACHE_HOME/protest-map/geocode.sqlite`` when ``XDG_CACHE_HOME`` is an absolute path
    (the XDG rule: relative values are ignored), else ``~/.cache/protest-map/geocode.sqlite``.

    Parameters
    ----------
    environ
        Environment variables; :data:`os.environ` if None.

    Examples
    --------
    >>> default_cache_path({"XDG_CACHE_HOME": "/var/cache/me"}).as_posix()
    '/var/cache/me/protest-map/geocode.sqlite'
    """
    env = os.environ if environ is None else environ
    base = env.get("XDG_CACHE_HOME", "")
    root = Path(base) if base and Path(base).is_absolute() else Path.home() / ".cache"
    return root / "protest-map" / "geocode.sqlite"


def normalize_value(value: str) -> str:
    """Fold a query value for the cache key: NFC, single spaces, no case.

    Examples
    --------
    >>> normalize_value("  Nordendstraße 14-17 ")
    'nordendstrasse 14-17'
    """
    return " ".join(unicodedata.normalize("NFC", value).split()).casefold()


def cache_key(provider: str, params: Mapping[str, str]) -> str:
    """Make the cache key of a query: provider and sorted, normalised parameters as JSON.

    Parameters
    ----------
    provider
        Provider id including its server, e.g. ``nominatim:https://nominatim.openstreetmap.org``.
    params
        The query's parameters exactly as they decide the answer (``q`` or the structured
        fields, ``countrycodes``, ``limit``).
    """
    items = sorted((name, normalize_value(str(value))) for name, value in params.items())
    return json.dumps([provider, items], ensure_ascii=False, separators=(",", ":"))


class GeocodeCache:
    """SQLite store of geocoder answers, usable as a context manager.

    Parameters
    ----------
    path
        The database file; it and its folder are created if missing.

    Raises
    ------
    UsageError
        When ``path`` is not a protest-map cache (not SQLite, or a newer schema).
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        except (OSError, sqlite3.Error) as exc:
            raise UsageError(f"cannot open the geocode cache {self.path} ({exc}); choose another "
                             "file with --cache") from exc
        try:
            version = self._db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise UsageError(f"the geocode cache {self.path} was written by a newer "
                                 f"protest-map (schema {version}); upgrade, or choose another "
                                 "file with --cache")
            self._db.execute(_SCHEMA)
            self._db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        except sqlite3.DatabaseError as exc:
            self._db.close()
            raise UsageError(f"{self.path} is not a geocode cache ({exc}); delete it or choose "
                             "another file with --cache") from exc

    def get(self, key: str) -> list[dict[str, Any]] | None:
        """Return the stored answer for ``key``, or None if this query was never answered.

        A stored answer that is not JSON counts as never answered; its shape is checked by the
        caller (:func:`geo.geocode.answers.clean_answer`).
        """
        row = self._db.execute("SELECT answer FROM answers WHERE key = ?", (key,)).fetchone()
        if row is None:
            return None
        try:
            answer: list[dict[str, Any]] = json.loads(row[0])
        except (TypeError, ValueError, RecursionError):
            return None
        return answer

    def put(self, key: str, answer: list[dict[str, Any]]) -> None:
        """Store ``answer`` for ``key`` and commit at once."""
        text = json.dumps(answer, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        stamp = datetime.now(UTC).isoformat(timespec="seconds")
        self._db.execute("INSERT OR REPLACE INTO answers (key, answer, stored_at) VALUES (?, ?, ?)",
                         (key, text, stamp))

    def __len__(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM answers").fetchone()[0])

    def close(self) -> None:
        """Close the database (every answer is already committed)."""
        self._db.close()

    def __enter__(self) -> GeocodeCache:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()
