"""Read and check the tables of a data folder.

:func:`load_dataset` reads ``protests.csv``, ``venues.csv``, ``photos.csv`` and ``context.csv``
(or a partitioned ``protests.parquet/``, :mod:`geo.tables.partitions`), checks every rule of the
data contract (:mod:`geo.tables.rules`) and raises one :class:`~geo.errors.DataError` listing
every problem, each naming file, line and column (or, with ``skip_invalid=True``, leaves the bad
rows out); :mod:`geo.tables.report` writes every problem to a CSV report and sums them up for the
console. :mod:`geo.tables.csvfile` reads one CSV file;
:mod:`geo.tables.cells` rewrites cells of one in place, keeping every other byte.
"""

from geo.tables._dataset import TABLES, Dataset, check_photo_files, empty_table, load_dataset
from geo.tables.columns import LINE
from geo.tables.csvfile import CsvTable, read_csv_table

__all__ = ["LINE", "TABLES", "CsvTable", "Dataset", "check_photo_files", "empty_table",
           "load_dataset", "read_csv_table"]
