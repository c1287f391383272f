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

M_MMAP_THRESHOLD = -3
"""``mallopt``'s parameter number for the mmap threshold (``<malloc.h>``)."""

MMAP_THRESHOLD = 1 << 20
"""Allocations of this many bytes or more are mapped on their own and unmapped when freed."""


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


def map_large_allocations() -> bool:
    """Fix glibc's mmap threshold at :data:`MMAP_THRESHOLD` (a process-wide setting).

    Large blocks then go back to the system as soon as they are freed, instead of staying in
    the heaps once a larger block has been freed. For programs, not libraries: called by
    :func:`geo.cli.script`. Returns whether the setting was made.
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
