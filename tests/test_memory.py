"""Freed memory goes back to the system (glibc): geo._memory, as the program sets it."""

from __future__ import annotations

import subprocess
import sys

import pytest

from geo import _memory

RESIDENT = """
import numpy as np, sys
from geo import _memory
if sys.argv[1] == "mapped":
    assert _memory.map_large_allocations()

def resident_mb():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096 / 2**20

big = np.ones(30 << 20, dtype=np.uint8); del big  # raises glibc's threshold to 30 MB
before = resident_mb()
blocks, kept = [], []
for _ in range(200):  # 400 MB in 2 MB blocks, each followed by a small block that stays
    blocks.append(np.ones(2 << 20, dtype=np.uint8))
    kept.append(np.ones(300_000, dtype=np.uint8))  # over numpy's own cache, under 1 MB
blocks.clear()  # holes in the heap, below blocks still in use: glibc cannot give them back
print(resident_mb() - before)
"""


def _left_mb(mode: str) -> float:
    out = subprocess.run([sys.executable, "-c", RESIDENT, mode], capture_output=True, text=True,
                         check=True)
    return float(out.stdout)


@pytest.mark.skipif(_memory._glibc() is None, reason="the C library is not glibc")
def test_large_blocks_go_back_to_the_system_once_freed() -> None:
    kept = 200 * 300_000 / 2**20  # the small blocks still in use: 57 MB
    assert _left_mb("mapped") < kept + 20  # each 2 MB block was mapped on its own, and unmapped
    assert _left_mb("default") > kept + 300  # glibc's default keeps them: the test can fail


def test_handing_back_free_pages_is_safe_to_call_anywhere() -> None:
    _memory.release_free_memory()
    _memory.release_free_memory()


def test_only_large_tables_are_large(tmp_path) -> None:
    assert not _memory.tables_are_large(tmp_path / "missing")
    (tmp_path / "protests.csv").write_text("id\n")
    assert not _memory.tables_are_large(tmp_path)
    with open(tmp_path / "venues.csv", "wb") as f:  # sparse: no disk used
        f.truncate(_memory.LARGE_TABLES)
    assert _memory.tables_are_large(tmp_path)
