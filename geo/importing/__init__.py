"""Bring rows into a data folder: reviewed extractor drafts (:mod:`geo.importing.drafts`)."""

from geo.importing.drafts import ImportReport, import_drafts

__all__ = ["ImportReport", "import_drafts"]
