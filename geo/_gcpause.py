"""Pause Python's cyclic garbage collector around work that makes millions of objects.

A build makes millions of short-lived objects (strings, tuples) and no reference cycles worth
collecting; the collector would still rescan the growing heap many times. Reference counting
frees everything as usual meanwhile.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Disable the cyclic garbage collector in the ``with`` block; restore it afterwards.

    Examples
    --------
    >>> import gc
    >>> with paused_gc():
    ...     gc.isenabled()
    False
    >>> gc.isenabled()
    True
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
