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
:mod:`.roles`             each city's role (protest site, context, section) and its venues
:mod:`.records`           the rules: reading the report in order, placing each protest
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

from geo.extract.drafts import DRAFT_COLUMNS
from geo.extract.files import extract_file
from geo.extract.report import extract_records

__all__ = ["DRAFT_COLUMNS", "extract_file", "extract_records"]
