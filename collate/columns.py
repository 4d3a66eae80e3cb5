"""Tokens and ranks stored column by column, made into objects only when asked for.

One :class:`Token` object per token costs about 300 bytes and more than a microsecond to
make, so a pair of million-token witnesses needed gigabytes before anything was aligned.
:class:`TokenColumns` keeps each field of a witness's tokens as a column (machine-integer
arrays for offsets and numbers, lists of shared strings for the text), under 100 bytes a
token, and :class:`RankTable` keeps an alignment as one array of token indexes per
witness. Both are read-only sequences: ``tokens[i]`` and ``ranks[r]`` make the
:class:`Token` or :class:`Rank` on the spot, so stages and renderers that read objects work
on them unchanged, while the hot paths (normalisation, alignment, finding the disagreeing
ranks, the JSON table) read the columns directly.
"""

from __future__ import annotations

import itertools
import operator
from array import array
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TypeVar, overload

from collate.model import MARKUP_TOKEN_KINDS, Rank, Token, TokenKind

NONE = -1  # a rank where a witness has no token
T = TypeVar("T")
_NO_TOKEN = object()  # stands where a witness has no token: equal to nothing else
NUMBER = "i"  # page, line and segment numbers: 32-bit, half the memory of offsets ("q")


@dataclass(frozen=True, eq=False)
class TokenColumns(Sequence[Token]):
    """The tokens of one witness, one column per :class:`Token` field (index = position)."""

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
        return cls(
            siglum,
            [t.text for t in listed],
            [t.norm for t in listed],
            [t.kind for t in listed],
            array("q", [t.start for t in listed]),
            array("q", [t.end for t in listed]),
            array(NUMBER, [t.page for t in listed]),
            array(NUMBER, [t.line for t in listed]),
            array(NUMBER, [t.segment for t in listed]),
            bytes(t.furniture for t in listed),
            bytes(t.space_before for t in listed),
            [t.rules for t in listed],
        )

    @cached_property
    def any_furniture(self) -> bool:
        """Whether any token is page furniture."""
        return 1 in self.furniture

    @cached_property
    def markup(self) -> bytes:
        """1 for each token that is markup (an editorial mark, a redaction or a glyph)."""
        return bytes(map(MARKUP_TOKEN_KINDS.__contains__, self.kind))

    def with_norms(self, norm: list[str], rules: list[tuple[str, ...]]) -> TokenColumns:
        """The same tokens with new normalised forms and the rules that made them."""
        return TokenColumns(
            self.siglum, self.text, norm, self.kind, self.start, self.end, self.page,
            self.line, self.segment, self.furniture, self.space_before, rules,
        )  # fmt: skip

    def __len__(self) -> int:
        return len(self.text)

    def _token(self, i: int) -> Token:
        return Token(
            self.siglum, i, self.text[i], self.norm[i], self.kind[i], self.start[i],
            self.end[i], self.page[i], self.line[i], self.segment[i],
            bool(self.furniture[i]), bool(self.space_before[i]), self.rules[i],
        )  # fmt: skip

    @overload
    def __getitem__(self, i: int) -> Token: ...

    @overload
    def __getitem__(self, i: slice) -> tuple[Token, ...]: ...

    def __getitem__(self, i: int | slice) -> Token | tuple[Token, ...]:
        if isinstance(i, slice):
            return tuple(self._token(k) for k in range(*i.indices(len(self))))
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError(i)
        return self._token(i)

    def __iter__(self) -> Iterator[Token]:
        siglum = self.siglum
        columns = zip(
            self.text, self.norm, self.kind, self.start, self.end, self.page, self.line,
            self.segment, self.furniture, self.space_before, self.rules, strict=True,
        )  # fmt: skip
        for i, (text, norm, kind, start, end, page, line, seg, furn, space, rules) in enumerate(
            columns
        ):
            yield Token(
                siglum, i, text, norm, kind, start, end, page, line, seg,
                bool(furn), bool(space), rules,
            )  # fmt: skip


@dataclass(frozen=True, eq=False)
class RankTable(Sequence[Rank]):
    """An alignment's ranks: per witness, the index of its token at each rank or ``NONE``.

    Every cell of a rank holds at most one token, so a rank is one index per witness.
    """

    tokens: tuple[TokenColumns, ...]
    rows: tuple[array[int], ...]  # rows[w][r]: witness w's token at rank r, or NONE

    def __len__(self) -> int:
        return len(self.rows[0]) if self.rows else 0

    def _rank(self, r: int) -> Rank:
        return Rank(
            tuple(
                (tokens[k],) if (k := index[r]) != NONE else ()
                for tokens, index in zip(self.tokens, self.rows, strict=True)
            )
        )

    @overload
    def __getitem__(self, r: int) -> Rank: ...

    @overload
    def __getitem__(self, r: slice) -> tuple[Rank, ...]: ...

    def __getitem__(self, r: int | slice) -> Rank | tuple[Rank, ...]:
        if isinstance(r, slice):
            return tuple(self._rank(k) for k in range(*r.indices(len(self))))
        if r < 0:
            r += len(self)
        if not 0 <= r < len(self):
            raise IndexError(r)
        return self._rank(r)

    def __iter__(self) -> Iterator[Rank]:
        return (self._rank(r) for r in range(len(self)))

    def token_indexes(self, w: int, lo: int, hi: int) -> list[int]:
        """Witness ``w``'s token indexes at ranks ``lo`` to ``hi`` (exclusive), in order."""
        return [k for k in self.rows[w][lo:hi] if k != NONE]

    def tokens_at(self, w: int, first: int, last: int) -> list[Token]:
        """Witness ``w``'s tokens at ranks ``first`` to ``last`` (inclusive)."""
        column = self.tokens[w]
        return [column[k] for k in self.token_indexes(w, first, last + 1)]

    @cached_property
    def sigla(self) -> tuple[str, ...]:
        """The witnesses' sigla, in order."""
        return tuple(column.siglum for column in self.tokens)

    def texts(self, w: int) -> list[str]:
        """Witness ``w``'s token texts, as a column."""
        return self.tokens[w].text

    @cached_property
    def spellings(self) -> set[str]:
        """Every distinct token text of every witness."""
        return set().union(*(self.texts(w) for w in range(len(self.tokens))))

    def spelled(self, w: int, values: Mapping[str, T]) -> list[T]:
        """``values`` of witness ``w``'s token texts, token by token (a value worked out once
        per spelling, then looked up in C)."""
        return list(map(values.__getitem__, self.texts(w)))

    def at_ranks(self, w: int, per_token: Sequence[T], empty: T) -> list[T]:
        """``per_token[k]`` of witness ``w``'s token ``k`` at each rank, ``empty`` where it has
        none (``NONE``, -1, picks the ``empty`` put after the last token)."""
        return list(map([*per_token, empty].__getitem__, self.rows[w]))

    def differing(self, w: int, v: int) -> Iterator[bool]:
        """For each rank, whether witnesses ``w`` and ``v`` differ there as written (where one
        has no token it differs, as it does where neither has one)."""
        one: list[object] = self.at_ranks(w, self.texts(w), _NO_TOKEN)
        other: list[object] = self.at_ranks(v, self.texts(v), None)
        return map(operator.ne, one, other)

    def disagreeing(self) -> list[int]:
        """The ranks where the witnesses' tokens differ as written (or some have none)."""
        if len(self.tokens) < 2:
            return []
        flags = self.differing(0, 1)
        for v in range(2, len(self.tokens)):  # differing from the first witness anywhere
            flags = map(operator.or_, flags, self.differing(0, v))
        return list(itertools.compress(range(len(self)), flags))


def rank_table(tokens: Sequence[TokenColumns], cells: Iterable[Sequence[int]]) -> RankTable:
    """A table from rows of token indexes (one per witness, ``NONE`` where it has none)."""
    rows = tuple(array("q") for _ in tokens)
    for cell in cells:
        for row, k in zip(rows, cell, strict=True):
            row.append(k)
    return RankTable(tuple(tokens), rows)


def columns_of(tokens: Sequence[Token], siglum: str) -> TokenColumns:
    """``tokens`` as columns (themselves if they are columns)."""
    if isinstance(tokens, TokenColumns):
        return tokens
    return TokenColumns.of(siglum, tokens)


def as_table(ranks: Sequence[Rank], sigla: Sequence[str]) -> RankTable:
    """``ranks`` as a table (themselves if they are one): a witness's tokens are those of its
    cells in rank order, numbered by position."""
    if isinstance(ranks, RankTable):
        return ranks
    width = len(ranks[0].cells) if ranks else 0
    tokens: list[list[Token]] = [[] for _ in range(width)]
    cells = []
    for rank in ranks:
        row = []
        for w, cell in enumerate(rank.cells):
            row.append(len(tokens[w]) if cell else NONE)
            tokens[w].extend(cell[:1])
        cells.append(row)
    return rank_table([TokenColumns.of(s, t) for s, t in zip(sigla, tokens, strict=True)], cells)
