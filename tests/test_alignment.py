"""Alignment: invariants (Hypothesis) and behaviour on small cases."""

from __future__ import annotations

from array import array
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from collate.alignment import (
    NONE,
    AlignmentOptions,
    Side,
    _fill_gap,
    _gap_pairs,
    canonical_order,
    side,
    spread_order,
    token_spreads,
)
from collate.model import Alignment
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


def _pairwise_spreads(contents: list[list[str]]) -> list[int]:
    """The spreads counted pair by pair: one multiset intersection per pair of streams."""
    bags = [Counter(c) for c in contents]
    return [
        sum(
            len(contents[w]) + len(contents[v]) - 2 * (bags[w] & bags[v]).total()
            for v in range(len(bags))
            if v != w
        )
        for w in range(len(bags))
    ]


@given(st.lists(st.lists(st.sampled_from("abcdef"), max_size=12), min_size=1, max_size=8))
def test_token_spreads_equal_the_pairwise_count(contents: list[list[str]]) -> None:
    assert token_spreads(contents) == _pairwise_spreads(contents)


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


def _ranks_of(alignment: Alignment, word: str) -> set[int]:
    return {
        r
        for r, rank in enumerate(alignment.ranks)
        for cell in rank.cells
        for t in cell
        if t.text == word
    }


def test_an_exact_match_the_pivot_lacks_still_shares_a_rank() -> None:
    alignment = collate_texts(
        "Max He peri tes", "peri tes", "He peri tes", "Max peri tes"
    ).alignment
    assert len(_ranks_of(alignment, "Max")) == 1
    assert len(_ranks_of(alignment, "He")) == 1


def test_a_lone_word_does_not_anchor_far_from_the_rest_of_its_witness() -> None:
    # The third witness lacks the first 80 words; its first word, "the", stands with the
    # others' "the" just before the rest it shares, not with their first word.
    words = ["the", *(f"w{i}" for i in range(1, 80)), "the", *(f"v{i}" for i in range(20))]
    full = " ".join(words)
    alignment = collate_texts(full, full, " ".join(words[80:])).alignment
    first = next(r for r, rank in enumerate(alignment.ranks) if rank.cells[2])
    assert first == 80
    assert all(len(rank.cells[2]) == 0 for rank in alignment.ranks[:80])


@given(st.lists(TEXTS, min_size=3, max_size=5), st.randoms(use_true_random=False))
@settings(max_examples=100, deadline=None)
def test_any_permutation_gives_the_same_ranks(texts: list[str], rnd: object) -> None:
    order = list(range(len(texts)))
    rnd.shuffle(order)  # type: ignore[attr-defined]
    ranks = [[[t.text for t in c] for c in r.cells] for r in collate_texts(*texts).alignment.ranks]
    shuffled = collate_texts(*[texts[i] for i in order]).alignment.ranks
    back = [order.index(w) for w in range(len(texts))]
    assert [
        [[t.text for t in r.cells[back[w]]] for w in range(len(texts))] for r in shuffled
    ] == ranks


def test_a_lone_word_does_not_anchor_far_from_the_rest_of_the_pivot() -> None:
    # The other way round: the pivot (the shorter texts) lacks the third witness's first 80
    # words; its "the" stands with that witness's 80th word, next to the rest they share.
    words = ["the", *(f"w{i}" for i in range(1, 80)), "the", *(f"v{i}" for i in range(20))]
    short = " ".join(words[80:])
    alignment = collate_texts(short, short, " ".join(words)).alignment
    assert all(not rank.cells[0] for rank in alignment.ranks[:80])
    assert [t.index for t in alignment.ranks[80].cells[2]] == [80]
