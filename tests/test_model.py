"""The declared data model: token columns and their Token views, the alignment and its Rank
views."""

from __future__ import annotations

from dataclasses import fields
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from collate.model import NONE, Alignment, Rank, Token, TokenColumns, TokenKind
from tests.conftest import collate_texts


def _token(siglum: str, index: int, text: str) -> Token:
    return Token(siglum, index, text, text.lower(), TokenKind.WORD, 0, len(text), 1, 1, 0)


def test_token_columns_are_the_token_fields_after_index() -> None:
    token_fields = [f.name for f in fields(Token)]
    column_fields = [f.name for f in fields(TokenColumns)]
    assert token_fields[:2] == ["siglum", "index"]
    assert column_fields == ["siglum", *token_fields[2:]]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet="ab -,", max_size=12), min_size=1, max_size=4))
def test_tokens_round_trip_through_their_columns(texts: list[str]) -> None:
    for columns in collate_texts(*texts).tokens:
        tokens = list(columns)
        again = TokenColumns.of(columns.siglum, tokens)
        assert list(again) == tokens
        assert [t.index for t in tokens] == list(range(len(tokens)))
        assert all(type(t.furniture) is bool is type(t.space_before) for t in tokens)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet="ab -,", max_size=12), min_size=1, max_size=4))
def test_an_alignment_rebuilds_from_its_rank_views(texts: list[str]) -> None:
    alignment = collate_texts(*texts).alignment
    again = Alignment.of_ranks(alignment.sigla, alignment.ranks)
    assert again.sigla == alignment.sigla
    assert [list(row) for row in again.rows] == [list(row) for row in alignment.rows]
    assert [list(t) for t in again.tokens] == [list(t) for t in alignment.tokens]


def test_a_cell_of_two_tokens_is_refused_not_cut() -> None:
    ranks = [Rank(((_token("A", 0, "a"),), (_token("B", 0, "b"), _token("B", 1, "c"))))]
    with pytest.raises(ValueError, match="rank 0: witness B has 2 tokens in one cell"):
        Alignment.of_ranks(("A", "B"), ranks)


def test_of_cells_writes_none_where_a_witness_has_no_token() -> None:
    a = TokenColumns.of("A", [_token("A", 0, "x")])
    b = TokenColumns.of("B", [])
    alignment = Alignment.of_cells([a, b], [[0, NONE]])
    assert alignment.sigla == ("A", "B") and len(alignment) == 1
    assert alignment.ranks[0] == Rank(((a[0],), ()))


@st.composite
def _rows_and_spans(draw: st.DrawFn) -> tuple[Alignment, list[tuple[int, int]]]:
    """An alignment of two witnesses with gaps anywhere, and spans of ranks in rank order."""
    present = draw(st.lists(st.tuples(st.booleans(), st.booleans()), min_size=1, max_size=60))
    cells, counts = [], [0, 0]
    for rank in present:
        cell = []
        for w, has in enumerate(rank):
            cell.append(counts[w] if has else NONE)
            counts[w] += has
        cells.append(cell)
    columns = [
        TokenColumns.of(s, [_token(s, i, "t") for i in range(n)])
        for s, n in zip("AB", counts, strict=True)
    ]
    cuts = sorted(draw(st.sets(st.integers(0, len(cells)), max_size=20)) | {0})
    spans = [(lo, hi - 1) for lo, hi in pairwise(cuts) if draw(st.booleans())]
    return Alignment.of_cells(columns, cells), spans


@settings(max_examples=200, deadline=None)
@given(_rows_and_spans())
def test_token_ranges_are_the_tokens_at_the_spans_and_where_a_gap_stands(
    case: tuple[Alignment, list[tuple[int, int]]],
) -> None:
    alignment, spans = case
    for w, row in enumerate(alignment.rows):
        for (first, last), found in zip(spans, alignment.token_ranges(w, spans), strict=True):
            assert list(found) == [k for k in row[first : last + 1] if k != NONE]
            assert found == alignment.token_indexes(w, first, last + 1) or not found
            assert found.start == sum(k != NONE for k in row[:first])  # the tokens before


@settings(max_examples=200, deadline=None)
@given(_rows_and_spans(), st.integers(0, 5), st.integers(1, 12))
def test_around_is_the_same_whether_the_tokens_at_the_span_are_given_or_looked_for(
    case: tuple[Alignment, list[tuple[int, int]]], size: int, reach: int
) -> None:
    alignment, spans = case
    for w in range(len(alignment.rows)):
        for (first, last), inside in zip(spans, alignment.token_ranges(w, spans), strict=True):
            found = alignment.around(w, first, last, size, reach)
            given_ = alignment.around(w, first, last, size, reach, inside)
            if found[0] < found[1] or found[2] < found[3] or found[1] < found[2]:
                assert given_ == found
            else:  # nothing within reach: no tokens either way, wherever they would stand
                assert given_[0] == given_[1] == given_[2] == given_[3]


def test_token_ranges_refuse_spans_out_of_rank_order() -> None:
    a = TokenColumns.of("A", [_token("A", i, "x") for i in range(3)])
    alignment = Alignment.of_cells([a], [[0], [1], [2]])
    with pytest.raises(ValueError, match="overlaps or precedes"):
        alignment.token_ranges(0, [(1, 2), (0, 0)])
