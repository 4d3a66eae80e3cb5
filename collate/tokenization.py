"""Tokenization: a witness and its segments -> tokens.

Markup characters are skipped, so ``**Present:**`` gives the tokens
``Present`` and ``:``. Token kinds, tried in this order:

* editorial marks: ``[sic]``, ``[unclear]``, ``[illegible]``, ``[?]`` ...
* redaction runs: block characters such as ``██████``
* layout glyphs: geometric shapes and bullets such as ``□`` and ``•``
* words: letters, digits, combining marks and private-use characters (MUFI
  letters), with inner apostrophes and hyphens (``People's``, ``6-30-Bk``)
* punctuation: a run of one repeated character (``--``, ``...``) or one character

Each token keeps its text as written (markup removed), its character offsets
in the witness text, its page, line and segment; ``norm`` starts equal to the
text and is set by normalisation.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from collate._text import line_of, line_starts, visible
from collate.model import Segment, SegmentKind, Token, TokenKind, Witness

_MARKS = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
# Private-use characters are letters here: MUFI encodes medieval and early modern letters there.
_PRIVATE_USE = "\ue000-\uf8ff\U000f0000-\U000ffffd\U00100000-\U0010fffd"
_LETTER = rf"(?:[^\W_]|[{_MARKS}{_PRIVATE_USE}\u00ad\u200b-\u200d\u2060])"
_EDITORIAL_WORDS = (
    r"sic|unclear|illegible|illeg\.?|illegible words?|\?|gap|redacted|inaudible|missing"
    r"|damaged|torn|blank|deleted|indecipherable|unreadable|stamp|signature|signed|seal"
)

_TOKEN = re.compile(
    rf"(?P<editorial>\[(?:{_EDITORIAL_WORDS})(?:[ :][^\]\n]{{0,40}})?\])"
    r"|(?P<redaction>[\u2588-\u258f\u2592\u2593]+)"
    r"|(?P<glyph>[\u25a0-\u25ff\u2022\u2023\u2043\u2610-\u2612\u27a2\uf0b7])"
    rf"|(?P<word>{_LETTER}+(?:['\u2019\-\u2010\u2011]{_LETTER}+)*)"
    r"|(?P<punctuation>(?P<mark>\S)(?P=mark)*)",
    re.IGNORECASE,
)

_KINDS = {
    "editorial": TokenKind.EDITORIAL,
    "redaction": TokenKind.REDACTION,
    "glyph": TokenKind.GLYPH,
    "word": TokenKind.WORD,
    "punctuation": TokenKind.PUNCTUATION,
}


def tokenize(witness: Witness, segments: Sequence[Segment]) -> tuple[Token, ...]:
    """All tokens of ``witness``, segment by segment, in document order."""
    starts = line_starts(witness.text)
    tokens: list[Token] = []
    for seg in segments:
        shown = visible(witness.text, witness.markup, seg.start, seg.end)
        furniture = seg.kind is SegmentKind.FURNITURE
        for match in _TOKEN.finditer(shown.text):
            kind = _KINDS[match.lastgroup or "punctuation"]
            start = shown.original(match.start())
            end = shown.original(match.end() - 1) + 1
            space = match.start() == 0 or shown.text[match.start() - 1].isspace()
            tokens.append(
                Token(
                    siglum=witness.siglum,
                    index=len(tokens),
                    text=match.group(),
                    norm=match.group(),
                    kind=kind,
                    start=start,
                    end=end,
                    page=seg.page,
                    line=line_of(starts, start),
                    segment=seg.index,
                    furniture=furniture,
                    space_before=space,
                )
            )
    return tuple(tokens)
