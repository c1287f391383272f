r"""Cut a report's text into blocks (headings, captions, list items, paragraphs) and sentences.

Offsets are Python string indices into the text as given, so evidence can quote
``text[start:end]``. :func:`working_text` returns a copy of the same length in which quoted
speech and slogans are blanked out and typographic apostrophes are plain, for the pattern
matching; everything is located in it and quoted from the original.

Examples
--------
>>> blocks = split_blocks("Berlin protest\n\nWe met at noon. Then we marched.\n")
>>> [(b.kind, len(b.sentences)) for b in blocks]
[('heading', 1), ('paragraph', 2)]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from geo.extract.lexicon import ABBREVIATIONS, CAPTION_WORDS

BULLET = re.compile(r"^\s*(?:[-*•–—]|\d{1,2}[.)])\s+")
WRAP_MIN = 50
"""A line at least this long that ends mid-sentence continues on the next line (hard wrap)."""

HEADING_MAX_WORDS = 14
_SENTENCE_END = re.compile(r"(?<![.!?])[.!?]+[\"'”’)\]]*\s+(?=[\"“‘(\[]?[A-Z0-9À-Þ])")
_LAST_WORD = re.compile(r"(?<![\w.])([\w.]+)[.!?]*[\"'”’)\]]*\s*$")
_WORD_MAX = 100
"""Characters before a full stop read for the word it ends (an abbreviation is shorter)."""
_QUOTES = re.compile(r"“[^”\n]*”|(?<![\w])\"[^\"\n]*\"|(?<![\w])‘[^’\n]*’(?![\w])")


@dataclass(frozen=True)
class Sentence:
    """A sentence (or a whole heading) of the report.

    Parameters
    ----------
    start, end
        Offsets into the text.
    block
        Index of its block.
    """

    start: int
    end: int
    block: int


@dataclass(frozen=True)
class Block:
    """A heading, caption, list item or paragraph.

    Parameters
    ----------
    start, end
        Offsets into the text.
    kind
        ``"heading"``, ``"caption"``, ``"item"`` or ``"paragraph"``.
    index
        Position among the blocks.
    sentences
        Its sentences (a heading or caption is one).
    """

    start: int
    end: int
    kind: str
    index: int
    sentences: tuple[Sentence, ...]


def working_text(text: str) -> str:
    """The text to match patterns in: same length, quotations blanked, plain apostrophes.

    Quoted speech and slogans are not mined for places (a slogan naming a square is not a
    protest there); their quote marks stay, so sentences still split where they did.

    Examples
    --------
    >>> working_text('We shouted “Free them!” outside.')
    'We shouted “          ” outside.'
    """
    out = text.replace("’", "'").replace("\u00a0", " ")
    return _QUOTES.sub(_blank, out)  # one pass: splicing each quotation in would be quadratic


def _blank(quote: re.Match[str]) -> str:
    text = quote.group()
    return text[0] + re.sub(r"[^\n]", " ", text[1:-1]) + text[-1]


def split_blocks(text: str) -> list[Block]:
    """The blocks of ``text`` in order, each with its sentences.

    A block is a run of lines. A line starts a new block after a blank line, when it is a list
    item, or when the line before it ends a sentence or is short; so hard-wrapped paragraphs
    are joined and one-paragraph-per-line text is not. A single short line without closing
    punctuation is a heading, or a caption when it starts like one ("Protesters outside ...").
    """
    spans: list[tuple[int, int]] = []
    pos = 0
    current: tuple[int, int] | None = None
    last = ""  # the block's last line, stripped
    for line in text.splitlines(keepends=True):
        start, body = pos, line.rstrip("\r\n")
        pos += len(line)
        stripped = body.strip()
        if not stripped:
            if current:
                spans.append(current)
            current = None
            continue
        end = start + len(body.rstrip())
        first = start + len(body) - len(body.lstrip())
        if current and _continues(last, stripped):
            current, last = (current[0], end), stripped
            continue
        if current:
            spans.append(current)
        current, last = (first, end), stripped
    if current:
        spans.append(current)
    blocks = []
    for index, (start, end) in enumerate(spans):
        kind = _kind(text[start:end])
        if kind in ("heading", "caption"):
            sentences: tuple[Sentence, ...] = (Sentence(start, end, index),)
        else:
            body_start = start + (BULLET.match(text[start:end]).end()  # type: ignore[union-attr]
                                  if kind == "item" else 0)
            sentences = tuple(Sentence(s, e, index) for s, e in split_sentences(text, body_start,
                                                                                end))
        blocks.append(Block(start, end, kind, index, sentences))
    return blocks


def _continues(last: str, line: str) -> bool:
    if BULLET.match(line) or len(last) < WRAP_MIN:
        return False
    return not re.search(r"[.!?:\"”)]$", last)


def _kind(block: str) -> str:
    if BULLET.match(block):
        return "item"
    words = block.split()
    if "\n" in block or len(words) > HEADING_MAX_WORDS or re.search(r"[.!?,;\"”]$",
                                                                     block.strip()):
        return "paragraph"
    if not (block[:1].isupper() or block[:1].isdigit()):
        return "paragraph"
    if words[0].casefold().strip(":,") in CAPTION_WORDS:
        return "caption"
    return "heading"


def split_sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence spans of ``text[start:end]``, not splitting after abbreviations or initials.

    Examples
    --------
    >>> t = "Dr. Lee spoke in St. Gallen. Then we left."
    >>> [t[s:e] for s, e in split_sentences(t, 0, len(t))]
    ['Dr. Lee spoke in St. Gallen.', 'Then we left.']
    """
    out = []
    begin = start
    for match in _SENTENCE_END.finditer(text, start, end):
        word = _LAST_WORD.search(text[max(begin, match.start() - _WORD_MAX):match.end()])
        token = word.group(1).rstrip(".").casefold() if word else ""
        if text[match.start()] == "." and (token in ABBREVIATIONS or len(token) == 1):
            continue
        stop = match.start() + len(match.group().rstrip())
        out.append((begin, stop))
        begin = match.end()
    if begin < end:
        out.append((begin, end))
    return [(s, e) for s, e in out if text[s:e].strip()]
