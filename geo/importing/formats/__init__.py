"""Foreign protest datasets into a data folder: ACLED, GDELT 2.0, CCC, Mass Mobilization.

``protest-map import FILE --format acled|gdelt|ccc|mm`` (:func:`import_file`). One module per
format maps the source's columns onto ``protests.csv`` (pure functions of DataFrames); the rest
is shared:

==================  ===========================================================================
:mod:`.reading`     the input file: encodings (UTF-8, BOM, cp1252/Latin-1), rows, line numbers
:mod:`.acled`       ACLED CSV exports (event_type Protests)
:mod:`.gdelt`       GDELT 2.0 events, tab-separated, no header (CAMEO root 14)
:mod:`.ccc`         Crowd Counting Consortium compiled CSV (US)
:mod:`.mm`          Mass Mobilization (1990–2020), free-text locations
:mod:`.countries`   country names, FIPS 10-4 and ISO numeric codes, US states → ISO alpha-2
:mod:`.common`      output columns, issues, vectorised cell helpers
:mod:`.venues`      venues named in the text, by the extractor's rules; linked or added
:mod:`.dedupe`      the same protest from two datasets
:mod:`.run`         the import: outcomes, validation, atomic write, report
==================  ===========================================================================

The column mappings and the decisions behind them are in ``docs/importing.md``.
"""

from __future__ import annotations

from .run import FORMATS, FormatReport, import_file

__all__ = ["FORMATS", "FormatReport", "import_file"]
