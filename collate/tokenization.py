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
import functools
import itertools
import re
import unicodedata
from array import array
from collections.abc import Iterator, Sequence
from typing import NamedTuple

from collate._text import line_of, line_starts, visible
from collate.model import NUMBER, Segment, SegmentKind, Token, TokenColumns, TokenKind, Witness


def _mark_ranges() -> str:
    """Every combining mark (Unicode categories Mn, Mc, Me) as character-class ranges.

    ``re`` has no ``\\p{M}`` and ``\\w`` leaves marks out, so the vowel points of Hebrew and
    Arabic and the vowel signs of Devanagari would otherwise cut words apart. Marks lie in
    U+0300..U+1EFFF and U+E0100..U+E01EF (variation selectors); about 10 ms, so worked out
    only for a text that holds such a character (see :func:`_full`).
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


# Private-use characters are letters here: MUFI encodes medieval and early modern letters there.
_PRIVATE_USE = "\ue000-\uf8ff\U000f0000-\U000ffffd\U00100000-\U0010fffd"
# Besides marks and private-use letters: soft hyphens and zero-width joiners (inside words),
# emoji modifiers, tags and regional indicators (inside symbols).
_OTHER_SPECIAL = re.compile(
    "[\u00ad\u200b-\u200d\u2060\U0001f3fb-\U0001f3ff\U000e0020-\U000e007f\U0001f1e6-\U0001f1ff"
    "\ue000-\uf8ff\U000f0000-\U000ffffd\U00100000-\U0010fffd]"
)


def _letters(marks: str) -> str:
    """A run of letters: word characters but "_" (fast), or marks, private-use letters, soft
    hyphens and zero-width joiners."""
    return rf"(?:[^\W_]++|[{marks}{_PRIVATE_USE}\u00ad\u200b-\u200d\u2060]++)+"


def _cluster(marks: str) -> str:
    """What belongs to a symbol or punctuation mark (one grapheme cluster): marks, emoji
    modifiers, tags, and characters joined by a zero-width joiner (👍🏽, 👩🏿‍🚀, 🏴 + tags)."""
    return rf"(?:[{marks}\U0001f3fb-\U0001f3ff\U000e0020-\U000e007f]|\u200d[^\s\u200d])*"


# A group is never repeated possessively here (``(?:...)++``, ``*+``): Python 3.11.2, Debian 12's,
# gets that wrong, ``(?:'(?:a++)++)*+`` matching "a'" whole. Nothing follows these repeats
# inside a token's alternative, so greedy ones match the same; single characters and classes
# keep their possessive repeats.
_EDITORIAL_WORDS = (
    r"sic|unclear|illegible|illeg\.?|illegible words?|\?|gap|redacted|inaudible|missing"
    r"|damaged|torn|blank|deleted|indecipherable|unreadable|supplied|stamp|signature|signed|seal"
)


def _alternatives(letters: str, cluster: str, named: bool) -> str:
    """The token alternatives, in the order tried (``letters``: a run of word letters,
    ``cluster``: what may follow a symbol in its grapheme cluster). ``named``: each in a
    group named by its kind; else unnamed, the repeated mark being group 2 of
    :func:`_scanner`'s pattern."""

    def group(name: str, body: str) -> str:
        return f"(?P<{name}>{body})" if named else f"(?:{body})"

    mark, again = ("(?P<mark>", "(?P=mark)") if named else ("(", r"\2")
    return "|".join(
        (
            group("editorial", rf"(?i:\[(?:{_EDITORIAL_WORDS})(?:[ :][^\]\n]{{0,40}})?\])"),
            group("redaction", r"[\u2588-\u258f\u2592\u2593]+"),
            group("glyph", r"[\u25a0-\u25ff\u2022\u2023\u2043\u2610-\u2612\u27a2\uf0b7]"),
            group("word", rf"{letters}(?:['\u2019\-\u2010\u2011]{letters})*"),
            group(
                "punctuation",
                rf"{mark}(?:[\U0001f1e6-\U0001f1ff]{{2}}|\S){cluster}){again}*+",
            ),
        )
    )


_SIMPLE_LETTERS = r"[^\W_]++"


def _scanner(letters: str, cluster: str) -> re.Pattern[str]:
    """A pattern whose ``split`` gives ``[gap, token, mark, gap, token, mark, ..., gap]``: the
    whitespace before each token (every other character is in some token), the token, and
    its repeated punctuation mark or None, as plain strings (no match object per token)."""
    return re.compile(f"({_alternatives(letters, cluster, named=False)})")


# A text without marks, private-use letters, invisible joiners, emoji modifiers, tags or
# regional indicators (see :func:`_special`) is tokenized the same by simpler patterns, where a
# letter run is ``[^\W_]++`` and nothing joins a symbol; the full patterns, with their large
# character classes, are compiled only for a text that needs them (the full ones on every text:
# 10 % of compare on the 100k pair, benchmarks/speed.py, plus 30 ms to compile them).
_SIMPLE = _scanner(_SIMPLE_LETTERS, "")
_SIMPLE_TOKEN = re.compile(_alternatives(_SIMPLE_LETTERS, "", named=True))


@functools.cache
def _full() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The full scanner and the full named token pattern (for :func:`_kind`)."""
    marks = _mark_ranges()
    letters, cluster = _letters(marks), _cluster(marks)
    return _scanner(letters, cluster), re.compile(_alternatives(letters, cluster, named=True))


def _special_character(char: str) -> bool:
    """Whether only the full patterns handle ``char``: a combining mark (in the ranges
    :func:`_mark_ranges` covers), a private-use letter, an invisible joiner or an emoji part."""
    code = ord(char)
    if unicodedata.category(char).startswith("M"):
        return 0x300 <= code < 0x1F000 or 0xE0100 <= code < 0xE01F0
    return _OTHER_SPECIAL.match(char) is not None


_BEFORE_SPACE = re.compile(r"\S\s")
_LONGEST_SPACED = 128  # characters: longer than any token that holds whitespace (editorial)
_CHUNK = 1 << 20  # characters scanned at a time
GIVEN = "given"  # the rule name of a normalised form the user gave

_KINDS = {
    "editorial": TokenKind.EDITORIAL,
    "redaction": TokenKind.REDACTION,
    "glyph": TokenKind.GLYPH,
    "word": TokenKind.WORD,
    "punctuation": TokenKind.PUNCTUATION,
}


def _kind(text: str) -> TokenKind:
    match = (_full()[1] if _special(text) else _SIMPLE_TOKEN).fullmatch(text)
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


class _Chunk(NamedTuple):
    """The tokens of a stretch of visible text: their texts, the whitespace before each,
    and their offsets (visible offsets plus the shift :func:`_scan` was given)."""

    words: list[str]
    gaps: list[str]
    starts: list[int]
    ends: list[int]


def _scan(pattern: re.Pattern[str], text: str, shift: int) -> Iterator[_Chunk]:
    """The tokens of ``text`` by ``pattern``'s ``split``, about ``_CHUNK`` characters at a
    time (a list of a few million strings for the whole text would cost more memory than
    the tokens). A chunk ends just after a character that stands before whitespace; its
    tokens that start within ``_LONGEST_SPACED`` of that end are scanned again with the
    next chunk, so no token is cut. Trailing whitespace is never scanned."""
    stop = len(text.rstrip())
    pos, window = 0, _CHUNK
    while pos < stop:
        cut = _BEFORE_SPACE.search(text, min(pos + window, stop) - 1, stop)
        end = cut.start() + 1 if cut else stop
        found = pattern.split(text[pos:end])
        words, gaps = found[1::3], found[0:-1:3]
        del found
        # each token starts after everything before it and its gap
        starts, ends = [], []
        offset = pos + shift
        for gap, word in zip(gaps, words, strict=True):
            offset += len(gap)
            starts.append(offset)
            offset += len(word)
            ends.append(offset)
        if end < stop:
            keep = bisect.bisect_right(starts, end + shift - _LONGEST_SPACED)
            if keep == 0:  # a long gap: scan a wider window from the same place
                window *= 2
                continue
            del words[keep:], gaps[keep:], starts[keep:], ends[keep:]
            end = ends[-1] - shift
        yield _Chunk(words, gaps, starts, ends)
        pos, window = end, _CHUNK


# Every character that may be special (see :func:`_special_character`): not in the ranges up
# to U+02FF (but the soft hyphen) or the spaces, dashes and quotation marks of U+2000-U+205F
# (but the zero-width ones), where most texts in Latin script have all their characters.
_MAYBE_SPECIAL = re.compile(r"[^\x00-\xac\xae-\u02ff\u2000-\u200a\u200e-\u205f]")


def _special(text: str) -> bool:
    """Whether ``text`` holds a character that only the full token pattern handles (each
    distinct character that may be one tested once)."""
    if text.isascii() or not _MAYBE_SPECIAL.search(text):
        return False
    return any(map(_special_character, set(_MAYBE_SPECIAL.findall(text))))


class _LineAt:
    """The 1-based line of an offset of ``text``: newlines counted on from the offset asked
    before (the offsets come in document order), not a list of every line's start, which
    only the tokens of text with markup inside need (:attr:`starts`)."""

    def __init__(self, text: str) -> None:
        self.text, self.offset, self.line = text, 0, 1

    def __call__(self, offset: int) -> int:
        if offset < self.offset:
            self.offset, self.line = 0, 1
        self.line += self.text.count("\n", self.offset, offset)
        self.offset = offset
        return self.line

    @functools.cached_property
    def starts(self) -> tuple[int, ...]:
        return line_starts(self.text)


def tokenize(witness: Witness, segments: Sequence[Segment]) -> TokenColumns:
    """All tokens of ``witness``, segment by segment, in document order."""
    if witness.given:
        return _given(witness, segments)
    pattern = _full()[0] if _special(witness.text) else _SIMPLE
    line_at = _LineAt(witness.text)
    strings: dict[str, str] = {}  # one string object per spelling
    kinds: dict[str, TokenKind] = {}
    texts: list[str] = []
    kind_column: list[TokenKind] = []
    begins, ends = array("q"), array("q")
    pages, lines, segs = array(NUMBER), array(NUMBER), array(NUMBER)
    furniture, space_before = bytearray(), bytearray()
    for seg in segments:
        shown = visible(witness.text, witness.markup, seg.start, seg.end)
        plain = len(shown.pieces) == 1  # no markup inside: offsets shift by a constant
        shift = shown.pieces[0][1] - shown.pieces[0][0] if plain else 0
        for chunk in _scan(pattern, shown.text, shift):
            words = chunk.words
            n = len(words)
            # one string object per spelling, shared by its tokens
            texts.extend([strings.setdefault(word, word) for word in words])
            for spelling in set(words).difference(kinds):
                # a token whose first character is a letter or digit matched the word
                # alternative (no other starts with one): only the rest are matched again
                kinds[spelling] = TokenKind.WORD if spelling[0].isalnum() else _kind(spelling)
            kind_column.extend([kinds[word] for word in words])
            spaced = [bool(gap) for gap in chunk.gaps]
            if n and chunk.starts[0] == shift:  # the first token of the segment's text
                spaced[0] = True
            space_before.extend(spaced)
            if plain:
                first, last = chunk.starts, chunk.ends
                # a token's line: the line where the chunk starts, plus the line ends before
                newlines = [gap.count("\n") for gap in chunk.gaps]
                if n:
                    scanned_from = first[0] - len(chunk.gaps[0])
                    newlines[0] += line_at(scanned_from)
                lines += array(NUMBER, list(itertools.accumulate(newlines)))
            else:
                original = shown.original
                first = list(map(original, chunk.starts))
                last = [original(e - 1) + 1 for e in chunk.ends]
                starts = itertools.repeat(line_at.starts)
                lines += array(NUMBER, list(map(bisect.bisect_right, starts, first)))
            # made from a list, an array converts each item once; extended, twice
            begins += array("q", first)
            ends += array("q", last)
            pages.extend(array(NUMBER, (seg.page,)) * n)
            segs.extend(array(NUMBER, (seg.index,)) * n)
            furniture.extend((b"\x01" if seg.kind is SegmentKind.FURNITURE else b"\x00") * n)
    return TokenColumns(
        witness.siglum, texts, list(texts), kind_column, begins, ends, pages, lines, segs,
        bytes(furniture), bytes(space_before), [()] * len(texts),
    )  # fmt: skip
