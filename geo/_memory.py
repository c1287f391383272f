"""Freed memory handed back to the system, with the GNU C library's allocator (Linux).

A build frees gigabytes of Arrow buffers and Python objects between its stages (the tables once
joined, the payload's text once encoded). glibc's ``malloc`` keeps much of it: every freed
chunk that was mapped on its own raises the size below which later allocations come from its
heaps (the "dynamic mmap threshold", up to 32 MB), and the heaps' free pages stay counted in the
process's memory. At 1,000,000 events that was 1 GB more than the data alive.

Elsewhere (another C library, another system) both functions do nothing.
"""

from __future__ import annotations

import ctypes
import functools
import sys
from pathlib import Path

M_MMAP_THRESHOLD = -3
"""``mallopt``'s parameter number for the mmap threshold (``<malloc.h>``)."""

MMAP_THRESHOLD = 1 << 20
"""Allocations of this many bytes or more are mapped on their own and unmapped when freed."""

LARGE_TABLES = 200 << 20
"""Bytes of CSV tables from which a build maps large blocks on their own
(:func:`tables_are_large`). Below, glibc keeps little, and mapping costs more than it saves:
every block is new pages the kernel clears (a build of 100,000 events took 0.5 s longer,
15 % more processor time; at a million, 2.5 s, for 0.1–0.3 GB less at the peaks)."""


@functools.cache
def _glibc() -> ctypes.CDLL | None:
    """The process's C library when it is glibc (it has ``malloc_trim``), else None."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(None)
    except OSError:
        return None
    return libc if hasattr(libc, "malloc_trim") and hasattr(libc, "mallopt") else None


def tables_are_large(folder: str | Path) -> bool:
    """Whether the CSV tables in ``folder`` add up to :data:`LARGE_TABLES` bytes or more."""
    return sum(p.stat().st_size for p in Path(folder).glob("*.csv") if p.is_file()) \
        >= LARGE_TABLES


def map_large_allocations() -> bool:
    """Fix glibc's mmap threshold at :data:`MMAP_THRESHOLD` (a process-wide setting).

    Large blocks then go back to the system as soon as they are freed, instead of staying in
    the heaps once a larger block has been freed. For programs, not libraries: called by
    :mod:`geo.cli` before it builds or checks large tables (:func:`tables_are_large`). Returns
    whether the setting was made.
    """
    libc = _glibc()
    return bool(libc and libc.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD))


def release_free_memory() -> None:
    """Hand the allocator's free pages back to the system (``malloc_trim``).

    Takes a few milliseconds per gigabyte of heap; call it after a stage has freed much.
    """
    libc = _glibc()
    if libc is not None:
        libc.malloc_trim(0)
