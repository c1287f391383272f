"""The payload of a large map as typed columns, in two deflated blocks: the large-map path.

Above :func:`big_above` events the page draws its places on one canvas (``js/big-*.js``)
instead of one Leaflet marker each, and reads its payload (the same keys as
:func:`geo.render.payload.build_payload`'s) from this encoding instead of JSON:

- every list of integers is stored less its smallest value (its *base*: string indices into a
  table far from the start, or ids, then fit in fewer bytes), as a little-endian typed array of
  the narrowest type that holds it (``u8``, ``i8``, ``u16``, ``i16``, ``i32``), as it is or as
  the differences from one value to the next, whichever deflates smaller;
- the protests' ids are split at their last run of digits (:func:`split_ids`): a prefix and a
  suffix from string tables of their own, and the number between them as integers, so that ids
  such as ``ETH1234`` cost a number each instead of a string;
- ``place_lat`` and ``place_lon`` are quantised to 1e-5 degrees (the payload's 5 decimals,
  about 1 m) and stored as int32 differences;
- the rest (string table, vocabulary, countries, context ...) is JSON.

The *head* block holds what the page needs to draw the map, the list and the filters; the
*tail* block (:data:`TAIL_TEXT`, the report texts: :data:`TAIL_OWN`, and the ids:
:data:`ID_PARTS`) is read only when a popup, a link or the search needs it. Venue names mostly of
one protest each go in the tail's table too (:func:`late_text`). The string table is split the
same way: the head's strings first, then the tail's, which the page appends to the head's when
it reads the tail, so an index means the same string in both. The report texts, the ids'
prefixes and their suffixes get string tables of their own, appended after the tail's; a column
of strings nearly all distinct is a table of its own too, as it is (:func:`mostly_distinct`).

A block, inflated, is: the JSON's length (uint32), the JSON (UTF-8), then each column's bytes,
every one starting at a multiple of 4, then the block's strings. The JSON's ``columns`` lists
``[key, type, count, delta, scale, base]`` in order (a value is ``base`` plus the stored one,
or, with ``delta``, plus the sum of the stored ones up to it; ``scale``: then divide by it, 0
for none); its last column, ``strings``, gives the length of each string of the block's table
in UTF-16 code units, and the strings follow as UTF-8, one after the other (``utf8`` bytes in
all): the page decodes them at once and cuts them apart, faster than parsing them as JSON.
"""

from __future__ import annotations

import base64
import os
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from isal import isal_zlib

from geo._arrow import string_buffers
from geo.render.encoding import json_bytes
from geo.render.payload import TEXT_KEYS, string_arrays

BIG_ABOVE = 20_000
"""Maps of more events than this take the large-map path (see ``docs/scale-million.md``)."""

BIG_ABOVE_ENV = "PROTEST_MAP_BIG_ABOVE"
"""Environment variable that overrides :data:`BIG_ABOVE` (for tests and benchmarks)."""

HEAD_TEXT = ("city", "region", "venue")
"""String-table columns the page needs to draw: titles of places and list items."""

LATE_TEXT = ("venue",)
"""Head columns whose strings go in the tail's table when they are many (:func:`late_text`):
the page shows the city until the tail is read, then the venue."""

LATE_SHARE = 2
"""A :data:`LATE_TEXT` column's strings go in the tail when the head would hold more than one
in this many events of them: mostly distinct names (a venue per protest), most of the head."""

HEAD_COLUMNS = ("place", "place_lat", "place_lon", "day", "span", "kind", "precision", "country",
                *HEAD_TEXT)
"""Payload keys in the head block as typed columns; the head's other keys are JSON."""

TAIL_TEXT = ("place_note", "address", "location", "organizer", "participants", "source_url",
             "source_title", "date_note", "photo_event", "photo_src", "photo_caption",
             "photo_credit", "photo_alt")
"""Payload keys that only popups show: in the tail block, with :data:`TAIL_OWN`."""

TAIL_OWN = ("summary",)
"""Tail keys of texts with a string table of their own: the report texts, which the page reads
after the first frame."""

ID_PARTS = ("id_pre", "id_num", "id_suf")
"""Tail columns of the protests' ids (for links to one protest), from :func:`split_ids`: the
prefix and suffix as indices into string tables of their own, the number (-1: none) as it is."""

ID_SPLIT = r"(?s)^(?P<pre>.*?)(?P<num>0|[1-9][0-9]{0,8})(?P<suf>[^0-9]*)$"
"""An id's last run of digits, without leading zeros (they stay in the prefix, so that the number
written in decimal gives back the id) and at most 9 of them (an int32); RE2, so linear time."""

DISTINCT_SAMPLE = 20_000
"""Strings of a column looked at to tell whether they are nearly all distinct."""

COORDINATES = ("place_lat", "place_lon")
SCALE = 100_000
"""Coordinates are stored as integers of 1/SCALE degree."""

DEFLATE_LEVEL = 3
"""ISA-L's level for the blocks: typed columns deflate about a fifth smaller than at 1."""

TRIAL = 1 << 16
"""Values of a column deflated both ways to choose how it is stored."""

ASTRAL = "[\\x{10000}-\\x{10FFFF}]"
"""Characters outside the Basic Multilingual Plane: two UTF-16 code units each."""

_TYPES = (("u8", np.uint8), ("i8", np.int8), ("u16", np.uint16), ("i16", np.int16),
          ("i32", np.int32))


def big_above() -> int:
    """The events above which a map takes the large-map path.

    :data:`BIG_ABOVE`, or the integer in the environment variable :data:`BIG_ABOVE_ENV` when it
    is set.
    """
    value = os.environ.get(BIG_ABOVE_ENV, "").strip()
    return int(value) if value else BIG_ABOVE


def narrow(values: np.ndarray) -> tuple[str, np.ndarray]:
    """The narrowest typed-array type that holds ``values`` (integers), and them in it.

    Examples
    --------
    >>> narrow(np.array([0, 255]))[0], narrow(np.array([-1, 300]))[0], narrow(np.array([]))[0]
    ('u8', 'i16', 'u8')
    """
    lo, hi = (int(values.min()), int(values.max())) if values.size else (0, 0)
    for name, dtype in _TYPES:
        info = np.iinfo(dtype)
        if info.min <= lo and hi <= info.max:
            return name, values.astype(dtype)
    raise ValueError(f"integers from {lo} to {hi} do not fit in int32")


def column_base(values: np.ndarray) -> int:
    """What to subtract from ``values`` (integers) before they are stored.

    Their minimum, or 0 where the rest would not fit in an int32.

    Examples
    --------
    >>> column_base(np.array([7, 9])), column_base(np.array([-2**31, 2**31 - 1]))
    (7, 0)
    """
    if not values.size:
        return 0
    lo = int(values.min())
    return lo if int(values.max()) - lo <= np.iinfo(np.int32).max else 0


def encode_column(values: np.ndarray, *,
                  delta: bool | None = None) -> tuple[str, bool, int, memoryview]:
    """A column's type, whether it holds differences, its base and its bytes.

    The values are stored less the base (:func:`column_base`). ``delta`` None: store whichever
    of the values and their differences deflates smaller (tried on the first :data:`TRIAL`
    values).

    Examples
    --------
    >>> kind, delta, base, data = encode_column(np.arange(1000, 1100))
    >>> kind, delta, base, len(data)
    ('u8', True, 1000, 100)
    """
    values = np.asarray(values, dtype=np.int64)
    base = column_base(values)
    values = values - base
    plain = narrow(values)
    diffs = narrow(np.diff(values, prepend=0))
    if delta is None:
        sizes = [len(isal_zlib.compress(v[:TRIAL].tobytes(), 1)) for _, v in (plain, diffs)]
        delta = sizes[1] < sizes[0]
    kind, data = diffs if delta else plain
    return kind, delta, base, data.data.cast("B")


def utf16_lengths(strings: pa.Array) -> np.ndarray:
    """Each string's length in UTF-16 code units (a JavaScript string's ``length``).

    Examples
    --------
    >>> utf16_lengths(pa.array(["", "Luleå", "\U0001F600!"])).tolist()
    [0, 5, 3]
    """
    units = pc.binary_length(strings).to_numpy(zero_copy_only=False).astype(np.int32)
    other = pc.invert(pc.string_is_ascii(strings))  # ASCII: one byte, one unit
    if pc.any(other).as_py():
        text = pc.filter(strings, other)
        counts = pc.add(pc.utf8_length(text), pc.count_substring_regex(text, ASTRAL))
        units[other.to_numpy(zero_copy_only=False)] = counts.to_numpy(zero_copy_only=False)
    return units


def utf8_bytes(strings: pa.Array) -> memoryview:
    r"""The strings' UTF-8 one after the other: a view of Arrow's data buffer (no copy).

    Examples
    --------
    >>> bytes(utf8_bytes(pa.array(["a", "bé", "c"]).slice(1)))
    b'b\xc3\xa9c'
    """
    return string_buffers(strings)[1].data


def block(meta: Mapping[str, Any], columns: Mapping[str, np.ndarray],
          coordinates: Sequence[str] = (), strings: Sequence[pa.Array] = ()) -> bytes:
    """One block, deflated: ``meta`` as JSON, the columns, then the string table ``strings``.

    The JSON gets the ``columns`` list. ``coordinates`` name the columns of degrees to quantise
    to 1/:data:`SCALE`. The string table (given in pieces, one after the other, so that they
    need not be joined in memory) is stored as a column of lengths (UTF-16 code units,
    ``strings`` in ``columns``) and the strings' UTF-8 one after the other (its byte count in the
    JSON's ``utf8``).
    """
    listed: list[list[Any]] = []
    data: list[bytes | memoryview] = []  # each column's bytes, then the zeros after it
    lengths = [utf16_lengths(piece) for piece in strings]
    columns = {**columns, "strings": np.concatenate(lengths) if lengths else np.zeros(0, int)}
    for key, values in columns.items():
        if key in coordinates:
            quantised = np.rint(np.asarray(values, dtype=np.float64) * SCALE).astype(np.int64)
            kind, delta, base, raw = encode_column(quantised, delta=True)
            listed.append([key, kind, len(quantised), 1, SCALE, base])
        else:
            kind, delta, base, raw = encode_column(np.asarray(values, dtype=np.int64))
            listed.append([key, kind, len(values), int(delta), 0, base])
        data += [raw, b"\0" * (-len(raw) % 4)]
    text_bytes = [utf8_bytes(piece) for piece in strings]
    text = json_bytes({**meta, "columns": listed, "utf8": sum(len(t) for t in text_bytes)})
    text += b" " * (-len(text) % 4)  # the columns start at a multiple of 4
    stream = isal_zlib.compressobj(DEFLATE_LEVEL)
    parts = [stream.compress(len(text).to_bytes(4, "little") + text)]
    parts += [stream.compress(raw) for raw in [*data, *text_bytes]]
    return b"".join([*parts, stream.flush()])


def late_text(texts: Mapping[str, pa.Array]) -> tuple[str, ...]:
    """The :data:`LATE_TEXT` columns whose strings go in the tail's table, not the head's.

    Those with strings of their own (not also a city's or region's) for more than one event in
    :data:`LATE_SHARE`. Their indices stay in the head; the page reads them once it has the tail.
    ``texts``: the payload's text columns (Arrow strings).
    """
    early = pc.unique(pa.chunked_array(
        [pa.array([""], pa.string()),
         *(texts[key].cast(pa.string()) for key in HEAD_TEXT if key not in LATE_TEXT)]))
    late = []
    for key in LATE_TEXT:
        own = pc.sum(pc.invert(pc.is_in(pc.unique(texts[key]), value_set=early))).as_py() or 0
        if own * LATE_SHARE > len(texts[key]):
            late.append(key)
    return tuple(late)


def text_tables(payload: Mapping[str, Any],
                late: Sequence[str] = ()) -> tuple[pa.Array, list[pa.Array], dict[str, np.ndarray]]:
    """The head's string table, the tail's (in pieces), and the text columns as indices into them.

    The head's table holds the strings of :data:`HEAD_TEXT` but those in ``late``
    (:func:`late_text`), ``""`` first; the tail's the other strings of the text columns; an index
    counts through the head's table, then the tail's. The tail's first piece holds each string
    of its columns once, in order of first use (column order, then row order); a column whose
    strings are nearly all distinct (:func:`mostly_distinct`) is a piece of its own instead, as
    it is. Each piece is made on its own: at a million events, one table for all of them held
    0.3 GB more, and the table of a million distinct links or captions a copy of them.
    """
    head_keys = [key for key in HEAD_TEXT if key not in late]
    head, codes = string_arrays({key: payload[key] for key in head_keys})
    tail_keys = [key for key in TEXT_KEYS if key not in head_keys]
    apart = [key for key in tail_keys if mostly_distinct(payload[key])]
    shared_keys = [key for key in tail_keys if key not in apart]
    tail, tail_codes = string_arrays({key: payload[key] for key in shared_keys})
    in_head = pc.index_in(tail, value_set=head).fill_null(-1).to_numpy(zero_copy_only=False)
    shared = in_head >= 0  # the tail's strings that the head has: "" (first) at least
    tail = tail.filter(pa.array(~shared)) if shared[1:].any() else tail.slice(1)  # a view
    remap = np.where(shared, in_head, len(head) + np.cumsum(~shared) - 1).astype(np.int32)
    codes.update({key: remap[tail_codes[key]] for key in shared_keys})
    pieces, at = [tail], len(head) + len(tail)
    for key in apart:
        text = payload[key]
        kept = pc.not_equal(text, "").to_numpy(zero_copy_only=False)  # "": the head's 0
        reuse = None
        if key == "photo_alt" and "photo_caption" in codes:  # alt is mostly the caption
            reuse = pc.equal(text, payload["photo_caption"]).to_numpy(zero_copy_only=False)
            kept &= ~reuse
        codes[key] = np.zeros(len(text), dtype=np.int32)
        codes[key][kept] = at + np.arange(int(kept.sum()), dtype=np.int32)
        if reuse is not None:
            codes[key][reuse] = codes["photo_caption"][reuse]
        pieces.append(text if kept.all() else text.filter(pa.array(kept)))
        at += int(kept.sum())
    return head, pieces, codes


def mostly_distinct(text: pa.Array) -> bool:
    """Whether nearly every string of a column (but blanks) differs from the others.

    Told from the first :data:`DISTINCT_SAMPLE` strings that are not blank: at least 99 % of
    them distinct (and at least 1,000 of them). Such a column (links, captions) costs a copy of
    itself to put in a table of strings each stored once, and saves nothing.

    Examples
    --------
    >>> mostly_distinct(pa.array([f"photo {i}" for i in range(2000)]))
    True
    >>> mostly_distinct(pa.array(["Berlin", "Graz"] * 1000))
    False
    """
    sample = text.slice(0, DISTINCT_SAMPLE)
    sample = sample.filter(pc.not_equal(sample, ""))
    return len(sample) >= 1000 and pc.count_distinct(sample).as_py() >= 0.99 * len(sample)


def split_ids(ids: pa.Array) -> tuple[pa.Array, np.ndarray, pa.Array]:
    """Each id as a prefix, a number and a suffix: its last run of digits (:data:`ID_SPLIT`).

    ``prefix + str(number) + suffix`` gives back the id; an id without digits is all prefix,
    with the number -1 (none) and an empty suffix.

    Examples
    --------
    >>> pre, num, suf = split_ids(pa.array(["ETH1234", "a007b", "x", "12345678901"]))
    >>> pre.to_pylist(), num.tolist(), suf.to_pylist()
    (['ETH', 'a00', 'x', '12'], [1234, 7, -1, 345678901], ['', 'b', '', ''])
    """
    parts = pc.extract_regex(ids, ID_SPLIT)  # null where an id has no digits
    pre = pc.coalesce(pc.struct_field(parts, "pre"), ids)
    num = pc.cast(pc.coalesce(pc.struct_field(parts, "num"), "-1"), pa.int32())
    suf = pc.coalesce(pc.struct_field(parts, "suf"), "")
    return pre, num.to_numpy(zero_copy_only=False), suf


def column_blocks(payload: Mapping[str, Any]) -> tuple[bytes, bytes]:
    """The payload's head and tail blocks, deflated, for :func:`page_elements`.

    ``payload``: from :func:`geo.render.payload.payload_arrays` (or ``build_payload``).
    """
    payload = with_texts(payload)
    late = late_text(payload)
    head_strings, tail_strings, text = text_tables(payload, late)
    head_cols = {key: text.get(key, payload[key]) for key in HEAD_COLUMNS}
    meta = {key: value for key, value in payload.items()
            if key not in (*HEAD_COLUMNS, *TAIL_TEXT, *TAIL_OWN, "id")}
    meta["renderer"] = "canvas"
    if late:
        meta["late_text"] = list(late)
    head = block(meta, head_cols, COORDINATES, [head_strings])
    tail_cols = {key: text.get(key, payload[key]) for key in TAIL_TEXT}
    tail_tables = [piece.cast(pa.string()) for piece in tail_strings]
    at = len(head_strings) + sum(len(piece) for piece in tail_strings)
    pre, tail_cols["id_num"], suf = split_ids(_arrow(payload["id"]).cast(pa.string()))
    own = {key: _arrow(payload[key]) for key in TAIL_OWN} | {"id_pre": pre, "id_suf": suf}
    for key, texts in own.items():  # each a table of its own
        tail_cols[key], table = own_table(texts, at)
        tail_tables.append(table.cast(pa.string()))
        at += len(table)
    tail = block({}, tail_cols, strings=tail_tables)
    return head, tail


def own_table(text: pa.Array, at: int) -> tuple[np.ndarray, pa.Array]:
    """A column's indices and its table of strings, which starts at index ``at``.

    Repeated strings once, or the column as it is (a view: no copy) when its strings are
    nearly all distinct (:func:`mostly_distinct`), as reports usually are.

    Examples
    --------
    >>> codes, table = own_table(pa.array(["a", "b", "a"]), 10)
    >>> codes.tolist(), table.to_pylist()
    ([10, 11, 10], ['a', 'b'])
    """
    if mostly_distinct(text):
        return np.arange(at, at + len(text), dtype=np.int64), text
    own = pc.dictionary_encode(text)
    return own.indices.to_numpy(zero_copy_only=False) + at, own.dictionary


def with_texts(payload: Mapping[str, Any]) -> Mapping[str, Any]:
    """The payload with its text columns as Arrow strings.

    ``build_payload``'s are taken from its ``strings``; ``payload_arrays``' are so already.
    """
    if "strings" not in payload:
        return payload
    table = _arrow(payload["strings"])
    out = {key: value for key, value in payload.items() if key != "strings"}
    out.update({key: table.take(pa.array(np.asarray(payload[key], dtype=np.int64)))
                for key in TEXT_KEYS})
    return out


def _arrow(strings: Any) -> pa.Array:
    return strings if isinstance(strings, pa.Array) else pa.array(strings, pa.string())


def page_elements(payload: Mapping[str, Any], data_id: str) -> str:
    """The two ``<script type="text/plain">`` elements of the payload.

    ``data_id`` holds the head (``data-encoding="columns"``) and names the tail's element in
    ``data-tail``.
    """
    head, tail = column_blocks(payload)
    tail_id = f"{data_id}-tail"
    return "".join(
        f'<script type="text/plain" id="{element}" data-encoding="columns"{extra}>'
        f"{base64.b64encode(data).decode('ascii')}</script>\n"
        for element, extra, data in ((data_id, f' data-tail="{tail_id}"', head),
                                     (tail_id, "", tail)))
