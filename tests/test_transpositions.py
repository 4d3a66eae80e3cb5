"""Transpositions: a moved block is one variant linking both places; short words never move."""

from __future__ import annotations

import itertools
from array import array
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from collate.model import NONE, VariantKind
from collate.pipeline import collate
from collate.readers import read_witnesses
from collate.render.tei import render_tei
from collate.transpositions import IN, OUT, Place, _Ranks, _Search, meaningful, shared_runs
from tests.conftest import collate_texts, script_module
from tests.oracles import json_document

ROOT = Path(__file__).parent.parent

A = "the committee met in Moscow on Monday morning to discuss the treaty"
B = "on Monday morning the committee met in Moscow to discuss the treaty"


def test_a_moved_block_is_one_transposition() -> None:
    (variant,) = collate_texts(A, B).variants
    assert variant.kind is VariantKind.TRANSPOSITION
    assert variant.readings == ("on Monday morning", "on Monday morning")
    assert variant.moved is not None
    a_place, b_place = variant.locations
    assert A[a_place.start : a_place.end] == "on Monday morning"
    assert B[b_place.start : b_place.end] == "on Monday morning"


def test_short_common_words_never_make_transpositions() -> None:
    kinds = [
        v.kind
        for v in collate_texts(
            "we went there of the people", "of the we went there people"
        ).variants
    ]
    assert VariantKind.TRANSPOSITION not in kinds
    kinds = [v.kind for v in collate_texts("the cat is black", "black is the cat").variants]
    assert VariantKind.TRANSPOSITION not in kinds


def test_both_places_in_json_and_tei() -> None:
    collation = collate_texts(A, B)
    (variant,) = json_document(collation, collation.variants)["variants"]  # type: ignore[misc]
    assert variant["moved"]["ranks"] == [8, 10]
    doc = etree.fromstring(render_tei(collation, collation.variants).encode())
    apps = doc.findall(".//{http://www.tei-c.org/ns/1.0}app")
    assert [(a.get("type"), a.get("n")) for a in apps] == [("transposition", "1")] * 2


def test_alignment_still_rebuilds_the_witnesses() -> None:
    collation = collate_texts(A, B, A)
    for w, tokens in enumerate(collation.tokens):
        assert [t for r in collation.alignment.ranks for t in r.cells[w]] == list(tokens)


_MOVING = st.lists(
    st.sampled_from(["the", "old", "grey", "mare", "is", "not", "what", "she", "used", "to", "be"]),
    max_size=14,
).map(" ".join)


@settings(max_examples=200, deadline=None)
@given(st.lists(_MOVING, min_size=2, max_size=3))
def test_variants_stay_in_rank_order_and_apart(texts: list[str]) -> None:
    """Every rank of a variant disagrees (or lies inside a transposition's place), no two
    places overlap (but for an outer variant and the units it holds), and the numbers run
    from 1 in rank order."""
    collation = collate_texts(*texts)
    spans = sorted(
        span
        for v in collation.variants
        if not v.contains
        for span in [(v.first_rank, v.last_rank), *([v.moved] if v.moved else [])]
    )
    assert all(a[1] < b[0] for a, b in itertools.pairwise(spans))
    assert [v.number for v in collation.variants] == list(range(1, len(collation.variants) + 1))
    assert [v.first_rank for v in collation.variants] == sorted(
        v.first_rank for v in collation.variants
    )
    table = collation.alignment
    disagreeing = set(table.disagreeing())
    covered = {r for v in collation.variants for r in range(v.first_rank, v.last_rank + 1)}
    covered |= {r for v in collation.variants if v.moved for r in range(v.moved[0], v.moved[1] + 1)}
    assert disagreeing <= covered


FOX = "the quick brown fox jumps over the lazy dog"
RIVER = "near the old river bank this morning"


def test_a_block_with_a_short_word_matched_elsewhere_is_one_transposition() -> None:
    """The alignment matches the block's "the" with another "the": the block's place runs
    over that agreeing rank, and the "the" left over stays an addition."""
    a = f"{FOX} {RIVER} and then runs home"
    b = f"{RIVER} {FOX} and then runs home"
    moved, rest = collate_texts(a, b).variants
    assert moved.kind is VariantKind.TRANSPOSITION
    assert moved.readings == (RIVER, RIVER)
    a_place, b_place = moved.locations
    assert a[a_place.start : a_place.end] == RIVER and b[b_place.start : b_place.end] == RIVER
    assert (rest.kind, rest.readings) == (VariantKind.ADDITION, ("", "the"))


@pytest.mark.parametrize(
    ("a", "b", "block", "change"),
    [
        (  # the comma before the landing site becomes a semicolon
            "the committee met in Moscow on Monday morning to discuss the treaty, and left.",
            "the committee met in Moscow to discuss the treaty; on Monday morning and left.",
            "on Monday morning",
            (",", ";"),
        ),
        (  # the word before the landing site is another
            "we saw the tall grey heron by the water and then the small boat came in",
            "we saw by the water and then the small ship the tall grey heron came in",
            "the tall grey heron",
            ("boat", "ship"),
        ),
    ],
)
def test_a_block_landing_next_to_a_change_is_one_transposition(
    a: str, b: str, block: str, change: tuple[str, str]
) -> None:
    """The variant where the block lands holds the change too: the change stays a variant."""
    moved, changed = collate_texts(a, b).variants
    assert moved.kind is VariantKind.TRANSPOSITION
    assert moved.readings == (block, block)
    assert (changed.kind, changed.readings) == (VariantKind.SUBSTITUTION, change)


def test_a_common_phrase_far_away_is_not_a_transposition() -> None:
    """A phrase left out at one place and found inside new text far away, with one of its
    long words in between, is not tied to that place: no transposition."""
    filler = " ".join(f"word{i}" for i in range(40))
    a = f"we went to the same species again {filler} the same species here and then home"
    b = f"we went to again {filler} the same species here and then the same species home"
    kinds = [v.kind for v in collate_texts(a, b).variants]
    assert VariantKind.TRANSPOSITION not in kinds


def test_memo_has_no_transposition() -> None:
    collation = collate(read_witnesses([ROOT / "witnesses/harriman-1944-09-23"]))
    assert len(collation.variants) == 30
    assert all(v.kind is not VariantKind.TRANSPOSITION for v in collation.variants)


def test_planted_moves_are_found_with_few_false_positives() -> None:
    """benchmarks/moves.py's seeded set: 24 planted moves in Darwin's prose and 24 controls."""
    moves = script_module("benchmarks/moves.py")
    found, planted, true, reported, wrong = moves.score(moves.build_cases(24, seed=1))
    assert planted == 24
    assert found / planted >= 0.9, wrong
    assert true / reported >= 0.9, wrong


_NORMS = ["a", "of", "the", ",", "tsar", "moscow", "treaty", "monday"]  # 4 letters: long


@st.composite
def _places(draw: st.DrawFn) -> list[Place]:
    places = []
    for _ in range(draw(st.integers(0, 6))):
        norms = tuple(draw(st.lists(st.sampled_from(_NORMS), min_size=1, max_size=8)))
        first = draw(st.integers(0, 100))
        places.append(
            Place(
                draw(st.sampled_from([OUT, IN])),
                draw(st.sampled_from([frozenset({1}), frozenset({1, 2})])),
                first,
                first + len(norms) - 1,
                norms,
                tuple(n != "," for n in norms),
            )
        )
    return places


@settings(max_examples=300, deadline=None)
@given(_places())
def test_shared_runs_are_every_meaningful_maximal_run(places: list[Place]) -> None:
    # matched by pairs of tokens, the runs are those that every pair of places walked token
    # by token gives: maximal at both ends, meaningful
    expected = set()
    for (i, p), (j, q) in itertools.product(enumerate(places), repeat=2):
        if p.side != OUT or q.side != IN or p.movers != q.movers:
            continue
        for a, b in itertools.product(range(len(p.norms)), range(len(q.norms))):
            if a and b and p.norms[a - 1] == q.norms[b - 1]:
                continue  # not the start of a run
            size = 0
            while (
                a + size < len(p.norms)
                and b + size < len(q.norms)
                and p.norms[a + size] == q.norms[b + size]
            ):
                size += 1
            kept = zip(p.norms[a : a + size], p.is_word[a : a + size], strict=True)
            words = [n for n, w in kept if w]
            if size and meaningful(words):
                expected.add((-size, abs(q.first + b - p.first - a), i, j, a, b))
    assert shared_runs(places) == expected


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(_NORMS), max_size=30),
    st.lists(st.tuples(st.sampled_from(_NORMS[4:]), st.integers(0, 30), st.integers(0, 30))),
    st.integers(0, 40),
)
def test_word_search_answers_as_the_list_does(
    norms: list[str], asked: list[tuple[str, int, int]], budget: int
) -> None:
    # words of four letters or more, searched for directly until the budget is spent (maybe
    # in the middle of listing a word's places), then looked up in the index, made once
    search = _Search(norms)
    search.budget = budget
    made = None
    for word, start, end in asked:
        assert search.holds(word, start, end) == (word in norms[start:end])
        assert list(search.places(word)) == [k for k, n in enumerate(norms) if n == word]
        if made is not None:
            assert search.index is made
        made = search.index


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.booleans(), max_size=30),
    st.lists(st.tuples(st.integers(0, 30), st.integers(0, 30))),
    st.integers(0, 40),
)
def test_tokens_between_ranks_are_those_counted_before_them(
    holds: list[bool], asked: list[tuple[int, int]], budget: int
) -> None:
    # a row (a token where ``holds``, none elsewhere): the tokens at ranks lo to hi are
    # those after the ones before lo and before the ones from hi on, walked or bisected
    row = array("q", [NONE] * len(holds))
    size = 0
    for r, held in enumerate(holds):
        if held:
            row[r], size = size, size + 1
    ranks = _Ranks(row, size)
    ranks.budget = budget
    for a, b in asked:
        lo, hi = sorted((min(a, len(row)), min(b, len(row))))
        assert ranks.between(lo, hi) == (sum(holds[:lo]), sum(holds[:hi]))
