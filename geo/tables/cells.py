r"""Replace some cells of a CSV text and keep every other byte as it was. Pure, no I/O.

A spreadsheet or :mod:`csv` round trip would re-quote fields, change line endings and normalise
numbers. Here the text is cut into records and raw fields (quotes included) by the rules of
:mod:`csv`'s default dialect (comma, double quote, ``""`` for a quote, any line ending), only the
named cells are re-encoded, and everything else, including the quoting of untouched fields, unknown
columns, blank lines, the line endings and a missing final newline, is copied through.

Records are addressed by the physical line they start on, the numbering :mod:`geo.tables` uses
(the header is line 1).

Examples
--------
>>> text = 'id,name,lat\r\na,"Shop ""A"", Mitte",\r\nb,B,1.5'
>>> replace_cells(text, {2: {"lat": "52.5"}})
'id,name,lat\r\na,"Shop ""A"", Mitte",52.5\r\nb,B,1.5'
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

_FIELD = re.compile(r'"(?:[^"]|"")*"|[^,\r\n]*')
_END = re.compile(r"\r\n|\n|\r")


@dataclass
class Record:
    """One CSV record as raw text.

    Parameters
    ----------
    line
        Physical line the record starts on (1-based).
    fields
        Raw text of each field, quotes included.
    end
        The line ending after it (``""`` at the end of the text).
    """

    line: int
    fields: list[str]
    end: str

    def is_blank(self) -> bool:
        """Whether the record is an empty or whitespace-only line (not data)."""
        return all(not decode_field(f).strip() for f in self.fields)


def split_records(text: str) -> list[Record]:
    """Cut a CSV text into records of raw fields.

    Parameters
    ----------
    text
        The whole file, already decoded (without a byte-order mark).
    """
    records: list[Record] = []
    pos, line, n = 0, 1, len(text)
    while pos < n:
        start_line = line
        fields: list[str] = []
        while True:
            match = _FIELD.match(text, pos)
            assert match is not None  # the second alternative matches the empty string
            field = match.group()
            fields.append(field)
            if field.startswith('"'):
                line += len(_END.findall(field))
            pos = match.end()
            if pos < n and text[pos] == ",":
                pos += 1
                continue
            end = _END.match(text, pos)
            if end is None and pos < n:  # a quote closed before the end of its field
                raise ValueError(f"line {line}: text after a closing quote; the CSV is malformed")
            ending = end.group() if end else ""
            pos += len(ending)
            line += 1
            break
        records.append(Record(start_line, fields, ending))
    return records


def decode_field(raw: str) -> str:
    """Decode a raw field: remove the quotes around it and turn ``""`` into ``"``.

    Examples
    --------
    >>> decode_field('"Shop ""A"", Mitte"')
    'Shop "A", Mitte'
    """
    if len(raw) >= 2 and raw.startswith('"') and raw.endswith('"'):
        return raw[1:-1].replace('""', '"')
    return raw


def encode_field(value: str) -> str:
    """Encode a value as a raw field, quoted only when it must be (:data:`csv.QUOTE_MINIMAL`).

    Examples
    --------
    >>> encode_field("52.5"), encode_field('see "notes", p. 2')
    ('52.5', '"see ""notes"", p. 2"')
    """
    if any(ch in value for ch in ',"\r\n') or value != value.strip():
        return '"' + value.replace('"', '""') + '"'
    return value


def replace_cells(text: str, updates: Mapping[int, Mapping[str, str]]) -> str:
    """Return ``text`` with the given cells replaced and nothing else changed.

    A column named in ``updates`` that the header lacks is appended to the header and left empty
    in the rows that are not updated.

    Parameters
    ----------
    text
        A CSV file's text, without its byte-order mark; the first non-blank record is the header
        (names compared after stripping spaces).
    updates
        Start line of a record to ``{column: new value}``.

    Raises
    ------
    ValueError
        When an update names a line where no data record starts.
    """
    records = split_records(text)
    data = [r for r in records if not r.is_blank()]
    if not data:
        raise ValueError("the CSV has no header row")
    header = data[0]
    names = [decode_field(f).strip() for f in header.fields]
    for cells in updates.values():
        for column in cells:
            if column not in names:
                names.append(column)
                for record in data:
                    record.fields.append(encode_field(column) if record is header else "")
    by_line = {r.line: r for r in data[1:]}
    missing = sorted(set(updates) - set(by_line))
    if missing:
        raise ValueError(f"no data record starts on line(s) {missing}")
    index = {name: i for i, name in enumerate(names)}
    for line, cells in updates.items():
        record = by_line[line]
        for column, value in cells.items():
            record.fields[index[column]] = encode_field(value)
    return "".join(",".join(r.fields) + r.end for r in records)

