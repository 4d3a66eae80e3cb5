"""Alignment: invariants (Hypothesis) and behaviour on small cases."""

from __future__ import annotations

from array import array
from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from collate.alignment import (
    NONE,
    AlignmentOptions,
    Side,
    _fill_gap,
    _gap_pairs,
    align_pair,
    canonical_order,
    side,
    spread_order,
)
from collate.model import Alignment, Token
from tests.conftest import collate_texts

WORDS = st.sampled_from(
    ["the", "The", "cat", "sat", "on", "mat", "-", "--", ",", ".", "[sic]", "□", "Comrnittee"]
)
TEXTS = st.lists(WORDS, max_size=30).map(" ".join)
ANY_TEXT = st.text(max_size=200)


def _cells(alignment: Alignment, w: int) -> list[list[str]]:
    return [[t.text for t in rank.cells[w]] for rank in alignment.ranks]


@given(st.one_of(TEXTS, ANY_TEXT))
@settings(max_examples=150, deadline=None)
def test_a_text_with_itself_is_all_agreement(text: str) -> None:
    collation = collate_texts(text, text)
    assert collation.variants == ()
    assert _cells(collation.alignment, 0) == _cells(collation.alignment, 1)


@given(st.lists(st.one_of(TEXTS, ANY_TEXT), min_size=2, max_size=4))
@settings(max_examples=150, deadline=None)
def test_alignment_rebuilds_every_witness_exactly(texts: list[str]) -> None:
    collation = collate_texts(*texts)
    for w, tokens in enumerate(collation.tokens):
        assert [t for rank in collation.alignment.ranks for t in rank.cells[w]] == list(tokens)
    assert all(any(rank.cells) for rank in collation.alignment.ranks)


@given(TEXTS, TEXTS)
@settings(max_examples=100, deadline=None)
def test_matched_ranks_agree_on_the_normalised_form(a: str, b: str) -> None:
    alignment = collate_texts(a, b).alignment
    for rank in alignment.ranks:
        if rank.cells[0] and rank.cells[1]:
            x, y = rank.cells[0][0], rank.cells[1][0]
            assert x.norm == y.norm or x.furniture == y.furniture


def test_addition_and_omission() -> None:
    alignment = collate_texts("I explained that", "I have explained that").alignment
    assert _cells(alignment, 0) == [["I"], [], ["explained"], ["that"]]
    assert _cells(alignment, 1) == [["I"], ["have"], ["explained"], ["that"]]


def test_near_match_shares_a_rank() -> None:
    alignment = collate_texts("the Committee met", "the Comrnittee met").alignment
    assert _cells(alignment, 1) == [["the"], ["Comrnittee"], ["met"]]
    assert _cells(alignment, 0)[1] == ["Committee"]


def test_a_word_for_a_word_shares_a_rank() -> None:
    alignment = collate_texts("the black cat", "the white cat").alignment
    assert _cells(alignment, 1) == [["the"], ["white"], ["cat"]]


def test_unequal_runs_share_ranks_word_for_word_then_stand_alone() -> None:
    # As a Levenshtein alignment: 1 against 3 costs 3 edits (a substitution, two additions),
    # not 4, and the variant is the same run either way.
    collation = collate_texts("as shown here", "as Conversation of it here")
    assert _cells(collation.alignment, 0) == [["as"], ["shown"], [], [], ["here"]]
    assert _cells(collation.alignment, 1) == [["as"], ["Conversation"], ["of"], ["it"], ["here"]]
    assert [v.readings for v in collation.variants] == [("shown", "Conversation of it")]


def test_unequal_runs_stay_apart_among_more_witnesses() -> None:
    # With three witnesses, what two add at one place is aligned with one another instead.
    alignment = collate_texts("a b c d e f", "x y z d e", "a b x y z").alignment
    for word in ("d", "e"):
        ranks = [r for r in alignment.ranks if any(t.text == word for c in r.cells for t in c)]
        assert len(ranks) == 1, word


def test_near_match_threshold_is_an_option() -> None:
    strict = collate_texts("the Committee met", "the big Comrnittee met", near_match=0.95)
    committee = _cells(strict.alignment, 0).index(["Committee"])
    assert _cells(strict.alignment, 1)[committee] != ["Comrnittee"]
    loose = collate_texts("the Committee met", "the big Comrnittee met", near_match=0.7)
    assert _cells(loose.alignment, 1) == [["the"], ["big"], ["Comrnittee"], ["met"]]
    assert _cells(loose.alignment, 0)[2] == ["Committee"]


def test_furniture_does_not_pull_body_text() -> None:
    scan = (
        "the question of their employment could only be\n\n"
        "Reproduced from the Collections of the Library\n\n-2-\n\n"
        "decided when the question was settled\n"
    )
    transcript = (
        "the question of their employment could only be decided when the question was settled"
    )
    collation = collate_texts(scan, transcript)
    for rank in collation.alignment.ranks:
        tokens = [t for cell in rank.cells for t in cell]
        assert len({t.furniture for t in tokens}) == 1
    assert [v.category.value for v in collation.variants] == ["furniture", "furniture"]


def test_three_witnesses_group_agreeing_additions() -> None:
    collation = collate_texts("I explained", "I have explained", "I have explained")
    (variant,) = collation.variants
    assert variant.readings == ("", "have", "have")
    assert variant.kind.value == "addition"


def _groups(texts: list[str], order: list[int]) -> set[frozenset[frozenset[int]]]:
    """Variant groups as sets of original witness indexes, whatever the order given."""
    collation = collate_texts(*[texts[i] for i in order])
    found = set()
    for variant in collation.variants:
        by_reading: dict[str, set[int]] = {}
        for position, reading in enumerate(variant.readings):
            by_reading.setdefault(reading, set()).add(order[position])
        found.add(frozenset(frozenset(g) for g in by_reading.values()))
    return found


@given(st.lists(TEXTS, min_size=2, max_size=4), st.randoms(use_true_random=False))
@settings(max_examples=100, deadline=None)
def test_any_permutation_gives_the_same_variant_groups(texts: list[str], rnd: object) -> None:
    order = list(range(len(texts)))
    rnd.shuffle(order)  # type: ignore[attr-defined]
    assert _groups(texts, list(range(len(texts)))) == _groups(texts, order)


def test_near_matches_that_would_lengthen_a_gap_give_way() -> None:
    # Pairing "Committee" with "Comrnittee" here would leave two words alone on each side
    # (five ranks); word for word the gap takes three, the fewest edits.
    alignment = collate_texts(
        "the alpha beta Committee met", "the Comrnittee gamma delta met"
    ).alignment
    assert len(alignment.ranks) == 5
    assert _cells(alignment, 1)[1:4] == [["Comrnittee"], ["gamma"], ["delta"]]


@given(TEXTS, TEXTS)
@settings(max_examples=100, deadline=None)
def test_two_streams_take_the_pivot_the_full_rule_gives(a: str, b: str) -> None:
    sides = [side(t) for t in collate_texts(a, b).tokens]
    assert canonical_order(sides) == spread_order(sides)
    assert canonical_order(sides[::-1]) == spread_order(sides[::-1])


@given(
    st.sampled_from(["the", "The", "tbe", "cat", "-", "[sic]", "□"]),
    st.sampled_from(["the", "The", "tbe", "cat", "-", "[sic]", "□"]),
    st.booleans(),
    st.booleans(),
    st.booleans(),
    st.sampled_from([0.3, 0.7, 1.0]),
)
def test_a_token_for_a_token_is_paired_as_the_general_gap_rule_pairs_it(
    x: str, y: str, fx: bool, fy: bool, word_for_word: bool, near: float
) -> None:
    options = AlignmentOptions(near_match=near, word_for_word=word_for_word)
    a, b = Side([x], bytes([fx])), Side([y], bytes([fy]))
    out: tuple[array[int], array[int]] = (array("q"), array("q"))
    _fill_gap(a, b, (0, 1, 0, 1), options, out)
    general = [
        (NONE if i is None else i, NONE if j is None else j) for i, j in _gap_pairs(a, b, options)
    ]
    assert list(zip(*out, strict=True)) == general


def _merged_by_tokens(streams: list[list[Token]], options: AlignmentOptions) -> list[list[int]]:
    """The N-way merge as first written, over lists of Token objects (the reference the
    merge over runs of token indexes is held to): one row of token indexes per stream."""

    def side(tokens: list[Token]) -> Side:
        return Side([t.norm for t in tokens], bytes(t.furniture for t in tokens))

    def merge(streams: list[list[Token]]) -> list[list[list[Token]]]:
        order = canonical_order([side(s) for s in streams])
        back = [order.index(w) for w in range(len(streams))]
        merged = star([streams[w] for w in order])
        return [[cells[back[w]] for w in range(len(streams))] for cells in merged]

    def star(streams: list[list[Token]]) -> list[list[list[Token]]]:
        base, n = streams[0], len(streams)
        at = [[[t]] + [[] for _ in range(n - 1)] for t in base]
        gaps: list[list[list[Token]]] = [[[] for _ in range(n)] for _ in range(len(base) + 1)]
        word_for_word = replace(options, word_for_word=False)
        for w in range(1, n):
            position = 0
            pairs = align_pair(side(base), side(streams[w]), word_for_word)
            for x, y in zip(*pairs, strict=True):
                if x != NONE:
                    position = x + 1
                    if y != NONE:
                        at[x][w].append(streams[w][y])
                elif y != NONE:
                    gaps[position][w].append(streams[w][y])
        ranks: list[list[list[Token]]] = []
        for i in range(len(base) + 1):
            adders = [w for w in range(n) if gaps[i][w]]
            if len(adders) == 1:
                w = adders[0]
                ranks.extend([[[t] if v == w else [] for v in range(n)] for t in gaps[i][w]])
            elif adders:
                for sub in merge([gaps[i][w] for w in adders]):
                    cells: list[list[Token]] = [[] for _ in range(n)]
                    for w, cell in zip(adders, sub, strict=True):
                        cells[w] = cell
                    ranks.append(cells)
            if i < len(base):
                ranks.append(at[i])
        return ranks

    ranks = merge(streams)
    return [[cell[0].index if cell else NONE for cell in (r[w] for r in ranks)] for w in
            range(len(streams))]  # fmt: skip


@given(st.lists(st.one_of(TEXTS, ANY_TEXT), min_size=3, max_size=5))
@settings(max_examples=120, deadline=None)
def test_n_way_merge_is_the_token_merge_it_replaced(texts: list[str]) -> None:
    collation = collate_texts(*texts)
    rows = [list(row) for row in collation.alignment.rows]
    assert rows == _merged_by_tokens([list(t) for t in collation.tokens], AlignmentOptions())
