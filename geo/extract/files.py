"""``extract_file``: read an article, write its draft records as CSV (the I/O of extraction)."""

from __future__ import annotations

import datetime as dt
import io
import sys
from pathlib import Path

import pandas as pd

from geo._atomic import atomic_open
from geo.errors import UsageError
from geo.extract.report import extract_records
from geo.tables.columns import is_safe_link

TABLE_NAMES = frozenset({"protests.csv", "venues.csv", "photos.csv", "context.csv"})
"""Draft output must not replace a data table: drafts go in through ``import``."""


def extract_file(article_path: str | Path, out: str | Path | None = None, source_url: str = "",
                 date: str | dt.date | None = None) -> pd.DataFrame:
    """Draft records from an article file, written as CSV to ``out`` or standard output.

    Parameters
    ----------
    article_path
        Plain-text (UTF-8) report.
    out
        Draft CSV to write (atomically); None for standard output.
    source_url
        The report's http(s) address, copied into every row.
    date
        Publication date, ``YYYY-MM-DD`` or a date.

    Returns
    -------
    DataFrame
        The drafts (as written).

    Raises
    ------
    UsageError
        The article cannot be read, the date is not a date, the source URL is not http(s),
        or ``out`` is a data table.
    """
    article_path = Path(article_path)
    published = _date(date)
    if source_url and not is_safe_link(source_url):
        raise UsageError(f"--source-url {source_url!r} is not an http(s) link; give the "
                         "report's address, e.g. https://example.org/report")
    if out is not None and Path(out).name in TABLE_NAMES:
        raise UsageError(f"--out {out}: drafts must not replace a data table; write them to a "
                         "file of their own (e.g. drafts.csv), review them, then run "
                         "`protest-map import drafts.csv`")
    try:
        text = article_path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError as exc:
        raise UsageError(f"{article_path}: no such file; give the path of the report's plain "
                         "text") from exc
    except UnicodeDecodeError as exc:
        raise UsageError(f"{article_path}: byte {exc.start} is not UTF-8; save the report as "
                         "UTF-8 plain text") from exc
    except OSError as exc:
        raise UsageError(f"{article_path}: cannot read the report ({exc.strerror})") from exc
    drafts = extract_records(text.replace("\r\n", "\n").replace("\r", "\n"), date=published,
                             source_url=source_url)
    csv_text = to_csv(drafts)
    if out is None:
        sys.stdout.write(csv_text)
    else:
        with atomic_open(out, "w", newline="") as fh:
            fh.write(csv_text)
    return drafts


def to_csv(drafts: pd.DataFrame) -> str:
    """The drafts as CSV text: UTF-8, header row, LF line ends, quoted where needed."""
    buf = io.StringIO()
    drafts.to_csv(buf, index=False, lineterminator="\n")
    return buf.getvalue()


def _date(value: str | dt.date | None) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise UsageError(f"--date {value!r} is not a date; write it as YYYY-MM-DD, e.g. "
                         "2011-12-16") from exc
