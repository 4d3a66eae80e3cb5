"""Tokenization: a witness and its segments -> tokens.

Markup characters are skipped, so ``**Present:**`` gives the tokens
``Present`` and ``:``. Token kinds, tried in this order:

* editorial marks: ``[sic]``, ``[unclear]``, ``[illegible]``, ``[?]`` ...
* redaction runs: block characters such as ``██████``
* layout glyphs: geometric shapes and bullets such as ``□`` and ``•``
* words: letters, digits, combining marks and private-use characters (MUFI
  letters), with inner apostrophes and hyphens (``People's``, ``6-30-Bk``)
* punctuation: a run of one repeated character (``--``, ``...``) or one character

Tokens the user gave (CollateX ``tokens``) are kept as they are instead.
Each token keeps its text as written (markup removed), its character offsets
in the witness text, its page, line and segment; ``norm`` starts equal to the
text and is set by normalisation.
"""

from __future__ import annotations

import bisect
import itertools
import re
import unicodedata
from array import array
from collections.abc import Sequence

from collate._text import line_of, line_starts, visible
from collate.columns import TokenColumns
from collate.model import Segment, SegmentKind, Token, TokenKind, Witness


def _mark_ranges() -> str:
    """Every combining mark (Unicode categories Mn, Mc, Me) as character-class ranges.

    ``re`` has no ``\\p{M}`` and ``\\w`` leaves marks out, so the vowel points of Hebrew and
    Arabic and the vowel signs of Devanagari would otherwise cut words apart. Marks lie in
    U+0300..U+1EFFF and U+E0100..U+E01EF (variation selectors); about 10 ms at import.
    """
    ranges: list[str] = []
    for low, high in ((0x300, 0x1F000), (0xE0100, 0xE01F0)):
        start = None
        for code in range(low, high + 1):
            mark = code < high and unicodedata.category(chr(code)).startswith("M")
            if mark and start is None:
                start = code
            elif not mark and start is not None:
                ranges.append(f"{chr(start)}-{chr(code - 1)}")
                start = None
    return "".join(ranges)


_MARKS = _mark_ranges()
# Private-use characters are letters here: MUFI encodes medieval and early modern letters there.
_PRIVATE_USE = "\ue000-\uf8ff\U000f0000-\U000ffffd\U00100000-\U0010fffd"
# A run of letters: word characters but "_" (fast), or marks, private-use letters, soft
# hyphens and zero-width joiners.
_LETTERS = rf"(?:[^\W_]++|[{_MARKS}{_PRIVATE_USE}\u00ad\u200b-\u200d\u2060]++)++"
# What belongs to a symbol or punctuation mark (one grapheme cluster): marks, emoji modifiers,
# tags, and characters joined by a zero-width joiner (👍🏽, 👩🏿‍🚀, 🏴 + tags).
_CLUSTER = rf"(?:[{_MARKS}\U0001f3fb-\U0001f3ff\U000e0020-\U000e007f]|\u200d[^\s\u200d])*+"
_EDITORIAL_WORDS = (
    r"sic|unclear|illegible|illeg\.?|illegible words?|\?|gap|redacted|inaudible|missing"
    r"|damaged|torn|blank|deleted|indecipherable|unreadable|stamp|signature|signed|seal"
)

_TOKEN = re.compile(
    rf"(?P<editorial>(?i:\[(?:{_EDITORIAL_WORDS})(?:[ :][^\]\n]{{0,40}})?\]))"
    r"|(?P<redaction>[\u2588-\u258f\u2592\u2593]+)"
    r"|(?P<glyph>[\u25a0-\u25ff\u2022\u2023\u2043\u2610-\u2612\u27a2\uf0b7])"
    rf"|(?P<word>{_LETTERS}(?:['\u2019\-\u2010\u2011]{_LETTERS})*+)"
    rf"|(?P<punctuation>(?P<mark>(?:[\U0001f1e6-\U0001f1ff]{{2}}|\S){_CLUSTER})(?P=mark)*+)",
)

_CHUNK = 8192
GIVEN = "given"  # the rule name of a normalised form the user gave

_KINDS = {
    "editorial": TokenKind.EDITORIAL,
    "redaction": TokenKind.REDACTION,
    "glyph": TokenKind.GLYPH,
    "word": TokenKind.WORD,
    "punctuation": TokenKind.PUNCTUATION,
}


def _kind(text: str) -> TokenKind:
    match = _TOKEN.fullmatch(text)
    return _KINDS[match.lastgroup or "word"] if match else TokenKind.WORD


def _given(witness: Witness, segments: Sequence[Segment]) -> TokenColumns:
    """Tokens the user cut (CollateX ``tokens``), kept as given; ``norm`` from their ``n``."""
    starts = line_starts(witness.text)
    seg_starts = [s.start for s in segments]
    tokens: list[Token] = []
    for given in witness.given:
        text = witness.text[given.start : given.end]
        k = max(bisect.bisect_right(seg_starts, given.start) - 1, 0)
        seg = segments[k] if segments else None
        tokens.append(
            Token(
                siglum=witness.siglum,
                index=len(tokens),
                text=text,
                norm=given.norm if given.norm is not None else text,
                kind=_kind(text),
                start=given.start,
                end=given.end,
                page=seg.page if seg else 1,
                line=line_of(starts, given.start),
                segment=seg.index if seg else 0,
                furniture=seg is not None and seg.kind is SegmentKind.FURNITURE,
                space_before=given.start == 0 or witness.text[given.start - 1].isspace(),
                rules=(GIVEN,) if given.norm is not None else (),
            )
        )
    return TokenColumns.of(witness.siglum, tokens)


def tokenize(witness: Witness, segments: Sequence[Segment]) -> TokenColumns:
    """All tokens of ``witness``, segment by segment, in document order."""
    if witness.given:
        return _given(witness, segments)
    starts = line_starts(witness.text)
    strings: dict[str, str] = {}  # one string object per spelling
    texts: list[str] = []
    kinds: list[TokenKind] = []
    begins, ends, pages, lines, segs = (array("q") for _ in range(5))
    furniture, space_before = bytearray(), bytearray()
    for seg in segments:
        shown = visible(witness.text, witness.markup, seg.start, seg.end)
        text = shown.text
        found = _TOKEN.finditer(text)
        # A chunk of matches at a time: a match object costs far more than its columns.
        while matches := list(itertools.islice(found, _CHUNK)):
            words = list(map(re.Match.group, matches))
            texts.extend(map(strings.setdefault, words, words))
            kinds.extend([_KINDS[m.lastgroup or "punctuation"] for m in matches])
            spans = list(map(re.Match.span, matches))
            if len(shown.pieces) == 1:  # no markup inside: offsets shift by a constant
                shift = shown.pieces[0][1] - shown.pieces[0][0]
                first = [b + shift for b, _ in spans]
                last = [e + shift for _, e in spans]
            else:
                original = shown.original
                first = [original(b) for b, _ in spans]
                last = [original(e - 1) + 1 for _, e in spans]
            begins.extend(first)
            ends.extend(last)
            lines.extend([bisect.bisect_right(starts, b) for b in first])
            n = len(matches)
            pages.extend([seg.page] * n)
            segs.extend([seg.index] * n)
            furniture.extend([seg.kind is SegmentKind.FURNITURE] * n)
            space_before.extend([b == 0 or text[b - 1].isspace() for b, _ in spans])
    return TokenColumns(
        witness.siglum, texts, list(texts), kinds, begins, ends, pages, lines, segs,
        bytes(furniture), bytes(space_before), [()] * len(texts),
    )  # fmt: skip
