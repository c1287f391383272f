"""From a report's text to draft rows: the extractor's whole pipeline in one call."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from geo.extract.drafts import draft_rows
from geo.extract.places import place_names
from geo.extract.records import read_report
from geo.extract.text import working_text
from geo.places.gazetteer import Gazetteer, default_gazetteer


def extract_records(text: str, *, date: dt.date | None = None, source_url: str = "",
                    gazetteer: Gazetteer | None = None) -> pd.DataFrame:
    """Draft protest records from the plain text of a report.

    Parameters
    ----------
    text
        The report's text.
    date
        The day it was published: "today", "yesterday", weekdays and dates without a year are
        counted from it. Without it only dates the report writes out in full are known (a
        news-wire dateline's full date is used if there is one).
    source_url
        Copied into every row's ``source_url``.
    gazetteer
        Offline place lookup; the default one if None.

    Returns
    -------
    DataFrame
        One row per protest, columns :data:`DRAFT_COLUMNS`, all strings (blank, not NaN), in
        the order the report first mentions them. ``status`` is ``held`` or ``planned``;
        ``evidence`` quotes the supporting sentences with their offsets in ``text``.
    """
    gaz = gazetteer or default_gazetteer()
    records, title = read_report(text, working_text(text), place_names(gaz), date)
    return draft_rows(records, text, gaz, source_url=source_url, source_title=title)
