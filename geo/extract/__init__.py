r"""Report text → draft protest records, for an editor to review before ``protest-map import``.

Rule-based and offline: places come from the offline gazetteer (:mod:`geo.places.gazetteer`), words
from :mod:`geo.extract.lexicon`; nothing is downloaded and no model is used. The modules, each
with one job:

========================  ==================================================================
:mod:`.text`              blocks (headings, captions, items, paragraphs) and sentences
:mod:`.places`            cities and countries named as places; which country a city is in
:mod:`.venues`            embassies, consulates, company sites, public places
:mod:`.dates`             date words and the dates they stand for
:mod:`.sentences`         one sentence read: its cues, clauses, organizer, participants
:mod:`.records`           the rules: which mentions are protests; merging them into records
:mod:`.drafts`            records as draft rows (columns, evidence, confidence)
:mod:`.files`             ``extract_file``: read an article, write the draft CSV
========================  ==================================================================

Examples
--------
>>> import datetime
>>> drafts = extract_records(
...     "Paris rally\n\nHundreds of people rallied at the Syrian embassy in Paris "
...     "today.\n", date=datetime.date(2012, 2, 4))
>>> drafts[["date", "city", "country", "venue_kind", "represents", "status"]].values.tolist()
[['2012-02-04', 'Paris', 'FR', 'embassy', 'SY', 'held']]
>>> print(drafts.loc[0, "evidence"].replace(" | ", "\n"))
[0:11] "Paris rally"
[13:77] "Hundreds of people rallied at the Syrian embassy in Paris today."
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from geo.extract.drafts import DRAFT_COLUMNS, draft_rows
from geo.extract.files import extract_file
from geo.extract.places import place_names
from geo.extract.records import read_report
from geo.extract.text import working_text
from geo.places.gazetteer import Gazetteer, default_gazetteer

__all__ = ["DRAFT_COLUMNS", "extract_file", "extract_records"]


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
