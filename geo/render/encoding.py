"""The payload as text safe inside HTML: JSON in parts, its head first, deflated when large.

:func:`payload_json` writes the payload's *head* (everything the page needs to draw) before its
*tail* (:data:`TAIL_KEYS`, the report texts and ids) and says where the head ends, so the page can
inflate and parse the head alone, draw, and read the tail afterwards.
"""

from __future__ import annotations

import base64
from typing import Any

import orjson
from isal import isal_zlib

COMPRESS_ABOVE = 256 * 1024
"""JSON larger than this many bytes is deflated (when ``compress`` is None)."""


DEFLATE_LEVEL = 1
"""ISA-L level (0–3): 1 deflates the 64 MB payload of 100,000 events to 15 MB in 0.12 s (zlib's
level 1 took 0.40 s for 16 MB)."""


TAIL_KEYS = ("summary", "id")
"""Payload keys the page reads after the map is drawn (last in the JSON text)."""


TAIL_SLICE = 10_000
"""Items of a tail list serialised at a time (see :func:`payload_json`)."""


def json_bytes(obj: Any) -> bytes:
    r"""Compact JSON of ``obj`` as UTF-8 bytes (orjson): characters as they are.

    NumPy arrays and scalars are written as lists and numbers. NaN and infinities, which
    :func:`build_payload` refuses beforehand, would be written ``null``.

    Examples
    --------
    >>> json_bytes({"city": "Luleå", "n": [1, 2]})
    b'{"city":"Lule\xc3\xa5","n":[1,2]}'
    """
    return orjson.dumps(obj, option=orjson.OPT_SERIALIZE_NUMPY)


def payload_json(payload: dict[str, Any]) -> tuple[list[bytes], int]:
    """The payload as JSON in parts (UTF-8), :data:`TAIL_KEYS` last, and the length of its head.

    The first part is the head: closed with ``}``, it is a JSON object of every key but the
    tail's. The tail's lists are written :data:`TAIL_SLICE` items to a part, so that no copy of
    the whole text is needed (:func:`embed_text` takes the parts).

    Examples
    --------
    >>> parts, head = payload_json({"summary": ["Protest.", "Rally."], "n": 2})
    >>> b"".join(parts), head, parts[0] + b"}"
    (b'{"n":2,"summary":["Protest.","Rally."]}', 6, b'{"n":2}')
    """
    head = json_bytes({k: v for k, v in payload.items() if k not in TAIL_KEYS})
    parts = [head[:-1]]
    for key in (k for k in TAIL_KEYS if k in payload):
        values = payload[key]
        parts.append(b"," + json_bytes(key) + b":[")
        parts += [(b"," if i else b"") + json_bytes(values[i:i + TAIL_SLICE])[1:-1]
                  for i in range(0, len(values), TAIL_SLICE)]
        parts.append(b"]")
    parts.append(b"}")
    return parts, len(parts[0])


def embed_json(obj: Any, compress: bool | None = None) -> tuple[str, str]:
    r"""Serialise ``obj`` for a ``<script>`` element: nothing in it can end the element.

    The same as :func:`embed_text` of :func:`json_bytes`.

    Examples
    --------
    >>> embed_json({"s": "</script><!--\u2028"})
    ('json', '{"s":"\\u003c/script\\u003e\\u003c!--\\u2028"}')
    """
    return embed_text([json_bytes(obj)], compress)


def embed_text(parts: list[bytes], compress: bool | None = None) -> tuple[str, str]:
    r"""Make JSON, given in parts, safe inside a ``<script>`` element: deflated or escaped.

    Plain JSON has ``<``, ``>``, ``&``, U+2028 and U+2029 written as ``\uXXXX`` escapes (so
    neither ``</script>`` nor ``<!--`` can appear); deflated JSON is base64, which has none of
    those characters. The parts are deflated one after the other, as one zlib stream, by ISA-L
    (:mod:`isal.isal_zlib`, which the browser's ``DecompressionStream("deflate")`` inflates like
    any other).

    Parameters
    ----------
    parts
        JSON as UTF-8 (from :func:`json_bytes` or :func:`payload_json`), cut anywhere.
    compress
        Deflate and base64 the text; None: only when it exceeds :data:`COMPRESS_ABOVE`.

    Returns
    -------
    tuple of str
        The encoding (``"json"`` or ``"deflate"``) and the text.
    """
    if compress is None:
        compress = sum(map(len, parts)) > COMPRESS_ABOVE
    if compress:
        stream = isal_zlib.compressobj(DEFLATE_LEVEL)
        data = [stream.compress(part) for part in parts]
        return "deflate", base64.b64encode(b"".join([*data, stream.flush()])).decode("ascii")
    text = b"".join(parts).decode("utf-8")
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escape)
    return "json", text
