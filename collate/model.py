"""The data shared by every stage: frozen dataclasses and closed enums.

Stage order (see ``pipeline.py``): a :class:`Witness` is split into
:class:`Segment` s, each segment into :class:`Token` s; the token streams of
all witnesses become one :class:`Alignment` of :class:`Rank` s, from which
:class:`Variant` s are found. Nothing here does any work.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum


class _Closed(Enum):
    """An enum whose members hash by identity (each is the only one of its value): set and
    dict lookups of them stay in C, where ``Enum``'s own hash runs Python code for each."""

    __hash__ = object.__hash__


class MarkupFormat(_Closed):
    """How a witness marks up its text (markup characters are not text)."""

    PLAIN = "plain"
    MARKDOWN = "markdown"


class SegmentKind(_Closed):
    """Body text, or page furniture kept apart from it."""

    BODY = "body"
    FURNITURE = "furniture"


class TokenKind(_Closed):
    """What a token is."""

    WORD = "word"
    PUNCTUATION = "punctuation"
    EDITORIAL = "editorial"  # [sic], [unclear], [illegible]
    REDACTION = "redaction"  # a run of block characters
    GLYPH = "glyph"  # layout glyphs such as a box or a bullet


MARKUP_TOKEN_KINDS = frozenset({TokenKind.EDITORIAL, TokenKind.REDACTION, TokenKind.GLYPH})


class VariantKind(_Closed):
    """What a witness does relative to the base witness."""

    ADDITION = "addition"
    OMISSION = "omission"
    SUBSTITUTION = "substitution"
    TRANSPOSITION = "transposition"


class Category(_Closed):
    """How a variant differs, from the most to the least significant."""

    SUBSTANTIVE = "substantive"
    ORTHOGRAPHIC = "orthographic"
    CASE = "case"
    PUNCTUATION = "punctuation"
    SPACING = "spacing"
    MARKUP = "markup"
    FURNITURE = "furniture"


@dataclass(frozen=True)
class Span:
    """A half-open range ``[start, end)`` of character offsets."""

    start: int
    end: int


@dataclass(frozen=True)
class GivenToken:
    """A token cut by the user (CollateX ``tokens``): its span and normalised form."""

    start: int
    end: int
    norm: str | None = None


@dataclass(frozen=True)
class Witness:
    """One version of the text, as loaded: NFC, LF line ends, no BOM.

    ``markup`` lists the character ranges that are markup (Markdown markers,
    escape backslashes), not text; they are kept in ``text`` so offsets stay
    true to the file. ``source_format`` names the format the text came from
    (``text``, ``page``, ``alto``, ``hocr``).
    """

    siglum: str
    text: str
    path: str | None = None
    label: str = ""
    markup_format: MarkupFormat = MarkupFormat.PLAIN
    markup: tuple[Span, ...] = ()
    source_format: str = "text"
    given: tuple[GivenToken, ...] = ()  # tokens given by the user; empty: tokenize the text


@dataclass(frozen=True)
class Segment:
    """A run of lines of one kind within one paragraph of one page.

    ``furniture`` names the rule that recognised page furniture (``None`` for
    body text); ``text`` is the segment's text with markup removed.
    """

    siglum: str
    index: int
    kind: SegmentKind
    page: int
    paragraph: int
    start: int
    end: int
    first_line: int
    last_line: int
    text: str
    furniture: str | None = None


@dataclass(frozen=True)
class Token:
    """A token with its text as written and its normalised form.

    ``start``/``end`` are character offsets in the witness text; ``rules``
    names the normalisation rules that changed ``norm``; ``space_before``
    tells whether whitespace preceded the token in the witness.
    """

    siglum: str
    index: int
    text: str
    norm: str
    kind: TokenKind
    start: int
    end: int
    page: int
    line: int
    segment: int
    furniture: bool = False
    space_before: bool = True
    rules: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rank:
    """One aligned position: each witness's tokens there (maybe none)."""

    cells: tuple[tuple[Token, ...], ...]


@dataclass(frozen=True)
class Alignment:
    """The ranks of an alignment of witnesses ``sigla`` (in that order)."""

    sigla: tuple[str, ...]
    ranks: Sequence[Rank]


@dataclass(frozen=True)
class Location:
    """Where a reading stands in its witness (an empty reading: its gap)."""

    page: int
    line: int
    start: int
    end: int


@dataclass(frozen=True)
class Variant:
    """A maximal run of disagreement between witnesses.

    ``readings`` and ``locations`` follow the order of ``sigla``; a reading
    is the text as written, ``""`` where a witness has nothing. A
    transposition stands at two places: ``first_rank``..``last_rank`` and
    ``moved`` (with ``moved_locations``).
    """

    number: int
    kind: VariantKind | None  # None when the collation has no base witness
    category: Category
    sigla: tuple[str, ...]
    readings: tuple[str, ...]
    locations: tuple[Location, ...]
    context_before: str
    context_after: str
    first_rank: int
    last_rank: int
    moved: tuple[int, int] | None = None  # a transposition's other place (rank range)
    moved_locations: tuple[Location, ...] = ()
