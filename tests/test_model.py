"""The declared data model: token columns and their Token views, the alignment and its Rank
views."""

from __future__ import annotations

from dataclasses import fields

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
