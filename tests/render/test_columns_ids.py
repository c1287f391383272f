"""The protests' ids on the large-map path: split into prefix, number and suffix
(``columns.split_ids``) and put back together as big-data.js's joinIds does, exactly."""

from __future__ import annotations

from urllib.parse import quote

import numpy as np
import pyarrow as pa
import pytest
from test_big_map import _big_page, _blocks, _decode, _events, _ids

from geo.render import columns

HOSTILE = [
    "", "0", "00", "007", "123", "1234567890", "12345678901234567890", "0000000001",
    "9" * 9, "1" + "0" * 9, "12abc", "ETH1234", "a1b22c333", "a007b", "no digits",
    "x٣", "٣4٣", "e😀1😀", "😀", "a\n5b", "line\n", "\t42\t", "-1", "+5", "1e5", "0x1F",
    "1.50", "a" * 5000 + "17" + "b" * 5000, "7" * 5000, "Ä0Ö", "ＡＢ１２",
]


def _join(pre: pa.Array, num: np.ndarray, suf: pa.Array) -> list[str]:
    """As joinIds in big-data.js: the prefix, the number in decimal (-1: none), the suffix."""
    return [p + ("" if n < 0 else str(n)) + s
            for p, n, s in zip(pre.to_pylist(), num.tolist(), suf.to_pylist(), strict=True)]


def _random_ids(n: int) -> list[str]:
    rng = np.random.default_rng(5)
    alphabet = np.array(list("0123456789000aZ-_ é٣😀\n"))
    return ["".join(rng.choice(alphabet, rng.integers(0, 25))) for _ in range(n)]


@pytest.mark.parametrize("ids", [HOSTILE, _random_ids(5000)], ids=["hostile", "random"])
def test_ids_split_and_join_exactly(ids: list[str]) -> None:
    pre, num, suf = columns.split_ids(pa.array(ids, pa.string()))
    assert _join(pre, num, suf) == ids
    assert num.dtype == np.int32 and num.min() >= -1


def test_ids_split_at_their_last_digits() -> None:
    pre, num, suf = columns.split_ids(pa.array(["a1b22c333d", "007", "x", "٣", "1234567890"]))
    assert pre.to_pylist() == ["a1b22c", "00", "x", "٣", "1"]
    assert num.tolist() == [333, 7, -1, -1, 234567890]
    assert suf.to_pylist() == ["d", "", "", "", ""]


def test_hostile_ids_through_the_blocks() -> None:
    events = _events(len(HOSTILE) + 10)
    events["id"] = [*HOSTILE, *(f"ETH{i:04d}" for i in range(10))]
    head, tail = (_decode(b) for b in _blocks(_big_page(events)))
    assert _ids(tail, head["strings"] + tail["strings"]) == events["id"].tolist()


def test_columns_are_stored_less_their_base() -> None:
    """Indices into a table far from the start (the tail's, the report texts') fit in a byte."""
    kind, delta, base, data = columns.encode_column(np.array([5_000_000, 5_000_001] * 50))
    assert (kind, delta, base) == ("u8", False, 5_000_000) and data == bytes([0, 1] * 50)
    kind, delta, base, _ = columns.encode_column(np.array([-2**30 - 9, 0, 2**30 + 9]))
    assert (kind, base) == ("i32", 0)  # less its minimum, it would not fit in an int32


LINKED = ["007", "a1b22c333", "no digits", "12345678901234567890", "x٣", "e😀1😀", "0"]


@pytest.mark.browser
def test_links_to_hostile_ids_open_their_protest(map_pages, tmp_path) -> None:
    """map.html#<id> on the large-map path opens the protest of that id: leading zeros, several
    runs of digits, none, too many for a number, digits of another script, emoji."""
    events = _events(40)
    events["id"] = [*LINKED, *(f"e{i}" for i in range(40 - len(LINKED)))]
    path = tmp_path / "map.html"
    path.write_text(_big_page(events), encoding="utf-8")
    mp = map_pages["desktop"]
    for id_ in LINKED:
        page = mp.goto(path, after="#" + quote(id_))
        page.wait_for_selector(".leaflet-popup .pm-popup[data-event]")
        i = int(page.get_attribute(".leaflet-popup .pm-popup", "data-event"))
        assert page.evaluate(f"protestMap.d.id[{i}]") == id_
    assert sorted(page.evaluate("protestMap.d.id")) == sorted(events["id"])
    assert mp.records.problems() == []
