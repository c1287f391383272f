"""The joined events of partitioned protests, written as partitioned GeoParquet."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Final

import pyarrow as pa

from geo._atomic import atomic_paths

if TYPE_CHECKING:
    import dask_geopandas

PHOTOS_TYPE: Final = pa.list_(pa.struct([(k, pa.string()) for k in ("src", "caption", "credit",
                                                                      "alt")]))
"""Arrow type of the ``photos`` column (dask cannot infer it from an empty partition)."""


def write_parquet(events: dask_geopandas.GeoDataFrame, folder: str | Path) -> Path:
    """Write the events as partitioned GeoParquet (one file per partition), replacing ``folder``.

    The files are written to a new folder beside it, which then takes its place, so a failed
    write leaves the previous output untouched.

    Returns
    -------
    Path
        ``folder``.
    """
    folder = Path(folder)
    with atomic_paths([folder], folders=True) as tmp:
        events.to_parquet(tmp[folder], schema={"photos": PHOTOS_TYPE}, write_index=False)
    return folder
