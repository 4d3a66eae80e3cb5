"""The data every stage reads and passes on: frozen dataclasses and closed enums.

Stage order (see ``pipeline.py``): a :class:`Witness` is split into :class:`Segment` s,
each segment into tokens, stored column by column as one :class:`TokenColumns` per witness;
the witnesses' tokens become one :class:`Alignment` (per witness, its token index at each
rank), from which :class:`Variant` s are found. :class:`Token` and :class:`Rank` objects are
views made on request from the columns. Nothing here runs a stage.
"""

from __future__ import annotations

from array import array
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from enum import Enum
from functools import cached_property
from typing import Any, TypeVar, overload

NONE = -1  # a rank where a witness has no token
NUMBER = "i"  # page, line and segment numbers: 32-bit, half the memory of offsets ("q")
T = TypeVar("T")


class _Closed(Enum):
    """An enum whose members hash by identity (each is the only one of its value), so that
    a set or dict lookup of one runs no Python code (``Enum.__hash__`` is a Python method):
    6 % of compare on the 100k pair (benchmarks/speed.py), from the per-token markup flags."""

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
class Section:
    """Where a section of a witness begins: the text from character offset ``start`` on, up
    to the next section's start, belongs to the section ``id`` (TEI: ``3.2`` from the ``@n``
    of nested ``<div>`` s, else an ``xml:id``; ``""``: no section)."""

    start: int
    id: str


@dataclass(frozen=True)
class Witness:
    """One version of the text, as loaded: NFC, LF line ends, no BOM.

    ``markup`` lists the character ranges that are markup (Markdown markers,
    escape backslashes), not text; they are kept in ``text`` so offsets stay
    true to the file. ``source_format`` names the format the text came from
    (``text``, ``page``, ``alto``, ``hocr``, ``tei``); ``page_names[i]``, where given, names
    page ``i + 1`` as the source does (TEI ``<pb n>``; ``""``: no name); ``sections``, where
    given, are the sections of the text in order (TEI ``<div>``, ``<ab>``, ``<p>``).
    """

    siglum: str
    text: str
    path: str | None = None
    label: str = ""
    markup_format: MarkupFormat = MarkupFormat.PLAIN
    markup: tuple[Span, ...] = ()
    source_format: str = "text"
    given: tuple[GivenToken, ...] = ()  # tokens given by the user; empty: tokenize the text
    page_names: tuple[str, ...] = ()
    sections: tuple[Section, ...] = ()

    def section_at(self, offset: int) -> str:
        """The id of the section the character at ``offset`` belongs to (``""``: none)."""
        k = bisect_right(self.sections, offset, key=lambda s: s.start)
        return self.sections[k - 1].id if k else ""

    def page_label(self, page: int) -> str:
        """How page ``page`` (from 1) is shown: its name where the source gives one, else its
        number."""
        names = self.page_names
        return (names[page - 1] or str(page)) if 0 < page <= len(names) else str(page)


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
    section: str = ""  # the id of the section it lies in (Witness.sections)


@dataclass(frozen=True)
class Token:
    """One token, as a view of its witness's :class:`TokenColumns` (the tokens are stored
    as columns; a ``Token`` is made when one is asked for).

    ``start``/``end`` are character offsets in the witness text; ``rules`` names the
    normalisation rules that changed ``norm``; ``space_before`` tells whether whitespace
    preceded the token in the witness. Each field after ``index`` is a column of
    :class:`TokenColumns`, stored as its ``metadata["column"]`` says: a list, an array of
    64-bit (``q``) or 32-bit (``i``) integers, or ``bytes`` of 0 and 1.
    """

    siglum: str
    index: int
    text: str = field(metadata={"column": "list"})
    norm: str = field(metadata={"column": "list"})
    kind: TokenKind = field(metadata={"column": "list"})
    start: int = field(metadata={"column": "q"})
    end: int = field(metadata={"column": "q"})
    page: int = field(metadata={"column": NUMBER})
    line: int = field(metadata={"column": NUMBER})
    segment: int = field(metadata={"column": NUMBER})
    furniture: bool = field(default=False, metadata={"column": "bytes"})
    space_before: bool = field(default=True, metadata={"column": "bytes"})
    rules: tuple[str, ...] = field(default=(), metadata={"column": "list"})


COLUMNS = tuple((f.name, f.metadata["column"]) for f in fields(Token) if f.metadata)


def _column(storage: str, values: list[Any]) -> Any:
    """``values`` stored as ``storage`` (a ``column`` of :class:`Token`'s field metadata)."""
    if storage == "list":
        return values
    if storage == "bytes":
        return bytes(values)
    return array(storage, values)


class _Views(Sequence[T]):
    """A sequence whose items are views made when asked for (``_item``): indexing, slices
    and iteration, for the token columns and the ranks alike."""

    def _item(self, i: int) -> T:
        raise NotImplementedError

    @overload
    def __getitem__(self, i: int) -> T: ...

    @overload
    def __getitem__(self, i: slice) -> tuple[T, ...]: ...

    def __getitem__(self, i: int | slice) -> T | tuple[T, ...]:
        if isinstance(i, slice):
            return tuple(map(self._item, range(*i.indices(len(self)))))
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError(i)
        return self._item(i)

    def __iter__(self) -> Iterator[T]:
        return map(self._item, range(len(self)))


@dataclass(frozen=True, eq=False)
class TokenColumns(_Views[Token]):
    """The tokens of one witness, one column per field of :class:`Token` (a token's index is
    its position): under 100 bytes a token, where a ``Token`` object costs about 300. Stages
    read the columns; ``tokens[i]`` and iteration make ``Token`` views."""

    siglum: str
    text: list[str]
    norm: list[str]
    kind: list[TokenKind]
    start: array[int]
    end: array[int]
    page: array[int]
    line: array[int]
    segment: array[int]
    furniture: bytes
    space_before: bytes
    rules: list[tuple[str, ...]]

    @classmethod
    def of(cls, siglum: str, tokens: Iterable[Token]) -> TokenColumns:
        """Columns holding ``tokens`` (their ``index`` must be their position)."""
        listed = list(tokens)
        columns = {
            name: _column(storage, [getattr(t, name) for t in listed]) for name, storage in COLUMNS
        }
        return cls(siglum, **columns)

    @cached_property
    def any_furniture(self) -> bool:
        """Whether any token is page furniture."""
        return 1 in self.furniture

    @cached_property
    def markup(self) -> bytes:
        """1 for each token that is markup (an editorial mark, a redaction or a glyph)."""
        return bytes([kind in MARKUP_TOKEN_KINDS for kind in self.kind])

    def with_norms(self, norm: list[str], rules: list[tuple[str, ...]]) -> TokenColumns:
        """The same tokens with new normalised forms and the rules that made them."""
        return replace(self, norm=norm, rules=rules)

    def __len__(self) -> int:
        return len(self.text)

    def _item(self, i: int) -> Token:
        # bytes columns give 0 and 1: the view holds booleans, as its fields declare
        values: list[Any] = [
            bool(getattr(self, name)[i]) if storage == "bytes" else getattr(self, name)[i]
            for name, storage in COLUMNS
        ]
        return Token(self.siglum, i, *values)


@dataclass(frozen=True)
class Rank:
    """One aligned position, as a view of an :class:`Alignment`: each witness's tokens there
    (one token, or none)."""

    cells: tuple[tuple[Token, ...], ...]


class Ranks(_Views[Rank]):
    """An alignment's ranks as :class:`Rank` views, made when asked for."""

    def __init__(self, alignment: Alignment) -> None:
        self._alignment = alignment

    def __len__(self) -> int:
        return len(self._alignment)

    def _item(self, r: int) -> Rank:
        table = self._alignment
        return Rank(
            tuple(
                (tokens[k],) if (k := row[r]) != NONE else ()
                for tokens, row in zip(table.tokens, table.rows, strict=True)
            )
        )


@dataclass(frozen=True, eq=False)
class Alignment:
    """The alignment of witnesses ``sigla`` (in that order): their tokens as columns and, per
    witness, the index of its token at each rank or ``NONE`` (``rows[w][r]``). A rank holds
    at most one token of each witness."""

    sigla: tuple[str, ...]
    tokens: tuple[TokenColumns, ...]
    rows: tuple[array[int], ...]

    @classmethod
    def of_cells(cls, tokens: Sequence[TokenColumns], cells: Iterable[Sequence[int]]) -> Alignment:
        """An alignment from rows of token indexes (one per witness, ``NONE`` where it has
        none)."""
        rows = tuple(array("q") for _ in tokens)
        for cell in cells:
            for row, k in zip(rows, cell, strict=True):
                row.append(k)
        return cls(tuple(t.siglum for t in tokens), tuple(tokens), rows)

    @classmethod
    def of_ranks(cls, sigla: Sequence[str], ranks: Iterable[Rank]) -> Alignment:
        """An alignment from :class:`Rank` objects: a witness's tokens are those of its cells
        in rank order, numbered by position. A cell holds at most one token."""
        tokens: list[list[Token]] = [[] for _ in sigla]
        cells = []
        for r, rank in enumerate(ranks):
            row = []
            for w, cell in enumerate(rank.cells):
                if len(cell) > 1:
                    raise ValueError(
                        f"rank {r}: witness {sigla[w]} has {len(cell)} tokens in one cell; "
                        "give each token a rank of its own"
                    )
                row.append(len(tokens[w]) if cell else NONE)
                tokens[w].extend(cell)
            cells.append(row)
        columns = [TokenColumns.of(s, t) for s, t in zip(sigla, tokens, strict=True)]
        return cls.of_cells(columns, cells)

    def __len__(self) -> int:
        """The number of ranks."""
        return len(self.rows[0]) if self.rows else 0

    @property
    def ranks(self) -> Ranks:
        """The ranks as :class:`Rank` views."""
        return Ranks(self)

    def token_indexes(self, w: int, lo: int, hi: int) -> range:
        """Witness ``w``'s token indexes at ranks ``lo`` to ``hi`` (exclusive): consecutive,
        since a witness's tokens stand in its row once each, in order; ``range(0)`` where it
        has none (:meth:`token_ranges` says where such a gap stands)."""
        inside = self.rows[w][lo:hi]
        count = len(inside) - inside.count(NONE)
        if not count:
            return range(0)
        first = inside[0] if inside[0] != NONE else next(k for k in inside if k != NONE)
        return range(first, first + count)

    def token_ranges(self, w: int, spans: Iterable[tuple[int, int]]) -> list[range]:
        """Witness ``w``'s tokens at each of ``spans`` (``(first, last)`` ranks, in rank order,
        none overlapping) as ranges of token indexes, in one pass over its row; an empty
        range stands where the witness's next token would."""
        row = self.rows[w]
        ranges = []
        done = count = 0  # ``count`` tokens stand at the ranks before rank ``done``
        for first, last in spans:
            if first < done:
                raise ValueError(f"span {first}..{last} overlaps or precedes the one before")
            gap, inside = row[done:first], row[first : last + 1]
            i = count + len(gap) - gap.count(NONE)
            count = i + len(inside) - inside.count(NONE)
            ranges.append(range(i, count))
            done = last + 1
        return ranges

    def window(self, w: int, first: int, last: int, reach: int) -> tuple[int, int, int, int]:
        """Witness ``w``'s tokens around ranks ``first`` to ``last``, as token indexes ``(lo,
        i, j, hi)``: those within ``reach`` ranks before are ``lo`` to ``i`` (exclusive), those
        at the ranks ``i`` to ``j``, those within ``reach`` ranks after ``j`` to ``hi``, since
        a witness's tokens stand in its row once each, in order. ``(0, 0, 0, 0)`` when it has
        none there. The work is in the ranks of the window, not the whole row."""
        row = self.rows[w]
        start, end = max(0, first - reach), min(len(row), last + 1 + reach)
        before, inside, after = row[start:first], row[first : last + 1], row[last + 1 : end]
        n_before = len(before) - before.count(NONE)
        n_inside = len(inside) - inside.count(NONE)
        n_after = len(after) - after.count(NONE)
        if n_inside:
            i = next(k for k in inside if k != NONE)
        elif n_before:
            i = next(k for k in reversed(before) if k != NONE) + 1
        elif n_after:
            i = next(k for k in after if k != NONE)
        else:
            return 0, 0, 0, 0
        j = i + n_inside
        return i - n_before, i, j, j + n_after

    def around(
        self, w: int, first: int, last: int, size: int, reach: int, inside: range | None = None
    ) -> tuple[int, int, int, int]:
        """``(b, i, j, a)``: witness ``w``'s tokens at ranks ``first`` to ``last`` are ``i``
        to ``j`` (exclusive; ``inside``, when known from :meth:`token_ranges`), and its
        ``size`` tokens nearest to them within ``reach`` ranks (fewer where it has fewer) are
        ``b`` to ``i`` before and ``j`` to ``a`` after (see :meth:`window`). Where the
        ``size`` ranks each side all hold a token (the commonest case), they are those
        tokens."""
        row = self.rows[w]
        if 0 < size <= min(first, reach) and last + 1 + size <= len(row):
            before, after = row[first - size : first], row[last + 1 : last + 1 + size]
            if NONE not in before and NONE not in after:
                i, j = (before[-1] + 1, after[0]) if inside is None else (inside.start, inside.stop)
                return i - size, i, j, j + size
        if inside is None:
            lo, i, j, hi = self.window(w, first, last, reach)
            return max(lo, i - size), i, j, min(hi, j + size)
        before, after = row[max(0, first - reach) : first], row[last + 1 : last + 1 + reach]
        n_before, n_after = len(before) - before.count(NONE), len(after) - after.count(NONE)
        i, j = inside.start, inside.stop
        return i - min(size, n_before), i, j, j + min(size, n_after)

    def texts(self, w: int) -> list[str]:
        """Witness ``w``'s token texts, as a column."""
        return self.tokens[w].text

    @cached_property
    def spellings(self) -> set[str]:
        """Every distinct token text of every witness."""
        return set().union(*(self.texts(w) for w in range(len(self.tokens))))

    def spelled(self, w: int, values: Mapping[str, T]) -> list[T]:
        """``values`` of witness ``w``'s token texts, token by token (a value worked out once
        per spelling, then looked up)."""
        return [values[t] for t in self.texts(w)]

    def at_ranks(self, w: int, per_token: Sequence[T], empty: T) -> list[T]:
        """``per_token[k]`` of witness ``w``'s token ``k`` at each rank, ``empty`` where it has
        none (``NONE``, -1, picks the ``empty`` put after the last token)."""
        values = [*per_token, empty]
        return [values[k] for k in self.rows[w]]

    def differing(self, w: int, v: int) -> list[bool]:
        """For each rank, whether witnesses ``w`` and ``v`` differ there as written (where one
        has no token it differs, as it does where neither has one)."""
        one, other = self.texts(w), self.texts(v)
        return [
            k == NONE or j == NONE or one[k] != other[j]
            for k, j in zip(self.rows[w], self.rows[v], strict=True)
        ]

    def disagreeing(self) -> list[int]:
        """The ranks where the witnesses' tokens differ as written (or some have none)."""
        if len(self.tokens) < 2:
            return []
        first = self.at_ranks(0, self.texts(0), None)
        differs = [text is None for text in first]
        for v in range(1, len(self.tokens)):
            other = self.at_ranks(v, self.texts(v), None)
            differs = [d or a != b for d, a, b in zip(differs, first, other, strict=True)]
        return [r for r, d in enumerate(differs) if d]


@dataclass(frozen=True)
class Location:
    """Where a reading stands in its witness (an empty reading: its gap)."""

    page: int
    line: int
    start: int
    end: int


@dataclass(frozen=True)
class Variant:
    """A variation unit: a place where the witnesses differ, bounded by text they share.

    ``readings`` and ``locations`` follow the order of ``sigla``; a reading
    is the text as written, ``""`` where a witness has nothing. A
    transposition stands at two places: ``first_rank``..``last_rank`` and
    ``moved`` (with ``moved_locations``). ``contexts`` gives each witness's reading its
    own context, as the witness writes it. A witness that has nothing over two or more
    consecutive units has one variant spanning them, which ``contains`` them (their
    numbers); each of them lies ``within`` it (its number).
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
    within: int | None = None  # the variant this one lies in (the smallest)
    contains: tuple[int, ...] = ()  # the variants lying directly in this one
    # each witness's own (before, after) context, in the order of ``sigla``; ``context_before``
    # and ``context_after`` are the base witness's tokens joined (see collate/contexts.py)
    contexts: tuple[tuple[str, str], ...] = ()
