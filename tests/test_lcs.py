"""The anchored LCS: always a valid common subsequence; as long as the exact one on real text."""

from __future__ import annotations

import itertools
import json
import random
from collections.abc import Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import Indel, Levenshtein

from collate import _lcs
from collate.pipeline import Collation, CollationOptions, collate
from collate.readers import load_witness
from tests.conftest import ROOT, script_module
from tests.oracles import lcs_pairs


def _valid(a: list[int], b: list[int], pairs: list[tuple[int, int]]) -> None:
    assert all(a[i] == b[j] for i, j in pairs)
    assert all(p[0] < q[0] and p[1] < q[1] for p, q in itertools.pairwise(pairs))


def _exact_length(a: list[int], b: list[int]) -> int:
    return (len(a) + len(b) - Indel.distance(a, b)) // 2


@given(st.lists(st.integers(0, 6), max_size=300), st.lists(st.integers(0, 6), max_size=300))
@settings(max_examples=200, deadline=None)
def test_always_a_common_subsequence(a: list[int], b: list[int]) -> None:
    original = _lcs.EXACT_CELLS
    _lcs.EXACT_CELLS = 50  # force the anchored path
    try:
        _valid(a, b, lcs_pairs(a, b))
    finally:
        _lcs.EXACT_CELLS = original
    assert len(lcs_pairs(a, b)) == _exact_length(a, b)


@given(st.lists(st.integers(0, 6), max_size=300), st.lists(st.integers(0, 6), max_size=300))
@settings(max_examples=200, deadline=None)
def test_length_is_between_the_alignment_and_the_longest(a: list[int], b: list[int]) -> None:
    """lcs_length counts a common subsequence: the longest up to ``EXACT_CELLS`` cells; beyond,
    at least as long as the one lcs_match aligns."""
    assert _lcs.lcs_length(a, b) == _exact_length(a, b)
    original = _lcs.EXACT_CELLS
    _lcs.EXACT_CELLS = 50  # force the anchored path
    try:
        length, aligned = _lcs.lcs_length(a, b), len(lcs_pairs(a, b))
    finally:
        _lcs.EXACT_CELLS = original
    assert aligned <= length <= _exact_length(a, b)


def test_length_counts_stretches_of_a_repetitive_text_exactly(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Two copies of a text of 6,000 tokens drawn from 40 short phrases, one in ten changed:
    within a tenth of a percent of the longest common subsequence, no count over more than
    ``EXACT_CELLS`` cells."""
    rng = random.Random(4)
    phrases = [[rng.randrange(300) for _ in range(rng.randint(2, 5))] for _ in range(40)]
    a = [t for _ in range(1700) for t in rng.choice(phrases)][:6000]
    b = [t if rng.random() > 0.1 else rng.randrange(300) for t in a]
    exact = _exact_length(a, b)
    monkeypatch.setattr(_lcs, "EXACT_CELLS", 4_000_000)
    cells: list[int] = []
    real = _lcs.Indel.distance

    def distance(x: Sequence[int], y: Sequence[int], **kwargs: object) -> int:
        cells.append(len(x) * len(y))
        return int(real(x, y, **kwargs))  # type: ignore[arg-type]

    monkeypatch.setattr(_lcs.Indel, "distance", distance)
    length = _lcs.lcs_length(a, b)
    assert exact * 0.999 <= length <= exact
    assert cells and max(cells) <= 4_000_000


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_anchored_equals_exact_on_the_memo(
    memo: Collation, seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    table: dict[str, int] = {}
    a = [table.setdefault(t.norm, len(table)) for t in memo.tokens[0]] * 20
    b = [table.setdefault(t.norm, len(table)) for t in memo.tokens[1]] * 20
    rng = random.Random(seed)
    for _ in range(400):  # scattered edits and a moved block
        b[rng.randrange(len(b))] = rng.randrange(len(table))
    b = b[:5000] + b[9000:9400] + b[5000:9000] + b[9400:]
    monkeypatch.setattr(_lcs, "EXACT_CELLS", 10_000)
    pairs = lcs_pairs(a, b)
    _valid(a, b, pairs)
    exact = _exact_length(a, b)
    assert len(pairs) >= exact * 0.999


def _edits(match: Sequence[int], b_size: int) -> int:
    """The edits of the alignment ``match`` stands for: between two matches, as many as the
    longer side of the gap (substitutions, then additions or omissions)."""
    edits, i0, j0 = 0, -1, -1
    for i, j in [*((i, j) for i, j in enumerate(match) if j != _lcs.NONE), (len(match), b_size)]:
        edits += max(i - i0 - 1, j - j0 - 1)
        i0, j0 = i, j
    return edits


def test_exact_alignment_option_takes_the_whole_texts(
    monkeypatch: pytest.MonkeyPatch, lcs_calls: list[bool]
) -> None:
    """``--exact-alignment``: long texts are matched in one piece by a minimal edit script,
    which costs exactly the optimum (the Levenshtein distance of the token sequences) even
    where the default would cut them at anchors."""
    rng = random.Random(7)
    words = [f"w{rng.randrange(40)}" for _ in range(600)]
    other = [w if rng.random() > 0.2 else f"w{rng.randrange(40)}" for w in words]
    other[100:100] = [f"x{k}" for k in range(30)]
    a, b = load_witness(" ".join(words), "A"), load_witness(" ".join(other), "B")
    monkeypatch.setattr(_lcs, "EXACT_CELLS", 50)  # the default path must cut
    collate([a, b], CollationOptions(exact=True))
    assert lcs_calls[0] is True
    ids = {w: k for k, w in enumerate(sorted(set(words) | set(other)))}
    ia, ib = [ids[w] for w in words], [ids[w] for w in other]
    match = _lcs.lcs_match(ia, ib, exact=True)
    _valid(ia, ib, lcs_pairs(ia, ib, exact=True))
    assert _edits(match, len(ib)) == Levenshtein.distance(ia, ib)


def _memo_ids(memo: Collation) -> list[int]:
    table: dict[str, int] = {}
    return [table.setdefault(t.norm, len(table)) for w in memo.tokens for t in w]


def _edited(rng: random.Random, words: list[int], how: str) -> list[int]:
    vocabulary = max(words) + 1
    if how == "substitutions":  # heavy OCR noise
        return [w if rng.random() > 0.25 else rng.randrange(vocabulary) for w in words]
    if how == "moves":  # blocks of 20, 200 and 1,000 tokens moved far away
        moved_blocks = script_module("benchmarks/growth.py").moved_blocks
        for size in (20, 200, 1000):
            words = moved_blocks(rng, words, 1, size)
        return words
    if how == "insertion":  # a long addition of unrelated text
        at = rng.randrange(len(words))
        return words[:at] + [rng.randrange(vocabulary) for _ in range(3000)] + words[at:]
    raise AssertionError(how)


@pytest.mark.parametrize("how", ["substitutions", "moves", "insertion"])
def test_anchored_close_to_exact_on_hard_edits(
    memo: Collation, how: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Texts that repeat themselves (the memo ten times over), edited in ways that mislead
    anchors: the anchored path still finds a longest common subsequence within 0.1 %."""
    a = _memo_ids(memo) * 5
    b = _edited(random.Random(len(how)), a, how)
    monkeypatch.setattr(_lcs, "EXACT_CELLS", 10_000)
    pairs = lcs_pairs(a, b)
    _valid(a, b, pairs)
    assert len(pairs) >= _exact_length(a, b) * 0.999


def test_a_moved_block_is_no_anchor() -> None:
    """A trigram of a moved block is unique in both windows, but its surroundings are not
    found beside it: it is not confirmed, where one of text that stayed in place is."""
    rng = random.Random(3)
    a = [rng.randrange(10_000) for _ in range(2000)]
    b = a[:500] + a[530:1500] + a[500:530] + a[1500:]  # a[500:530] moved 970 tokens on
    sa, sb = "".join(map(chr, a)), "".join(map(chr, b))
    moved, stayed = 515, 1700
    assert _lcs._unique_in_both(sa, sb, moved, 0, 2000, 0, 2000) == 1485
    assert not _lcs._confirmed(sa, sb, moved, 1485)
    assert _lcs._unique_in_both(sa, sb, stayed, 0, 2000, 0, 2000) == stayed
    assert _lcs._confirmed(sa, sb, stayed, stayed)


def test_more_distinct_tokens_than_characters(monkeypatch: pytest.MonkeyPatch) -> None:
    """Ids that cannot be spelled as one character each: a common subsequence all the same."""
    rng = random.Random(5)
    a = list(range(3000))
    b = [x if rng.random() > 0.1 else x + 5000 for x in a]
    monkeypatch.setattr(_lcs, "EXACT_CELLS", 10_000)
    monkeypatch.setattr(_lcs, "_CHARACTERS", 100)
    pairs = lcs_pairs(a, b)
    _valid(a, b, pairs)
    assert len(pairs) == _exact_length(a, b)


def _opcode_cells(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The cells (length times length) of every edit script rapidfuzz is asked for, as a
    list that fills while the test runs."""
    sizes: list[int] = []
    real = _lcs.Levenshtein.opcodes

    def spy(x: Sequence[int] | str, y: Sequence[int] | str, **kwargs: int) -> object:
        sizes.append(len(x) * len(y))
        return real(x, y, **kwargs)

    monkeypatch.setattr(_lcs.Levenshtein, "opcodes", spy)
    return sizes


def test_unrelated_texts_are_cut_into_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two texts with next to nothing in common are not aligned in one piece (which takes
    time growing with the product of their lengths): every stretch solved is small."""
    rng = random.Random(9)
    a = [rng.randrange(5000) for _ in range(3000)]
    b = [rng.randrange(5000) for _ in range(2500)]
    monkeypatch.setattr(_lcs, "EXACT_CELLS", 10_000)
    sizes = _opcode_cells(monkeypatch)
    _valid(a, b, lcs_pairs(a, b))
    assert sizes
    assert max(sizes) <= 10_000


def test_shuffled_blocks_are_cut_into_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    """The same 10-token blocks in another order share every trigram but have no anchor and
    need more than MAX_EDITS edits: cut into pieces, never aligned in one (quadratic) piece."""
    rng = random.Random(8)
    blocks = [[rng.randrange(5000) for _ in range(10)] for _ in range(300)]
    a = [x for block in blocks for x in block]
    rng.shuffle(blocks)
    b = [x for block in blocks for x in block]
    monkeypatch.setattr(_lcs, "EXACT_CELLS", 10_000)
    monkeypatch.setattr(_lcs, "MAX_EDITS", 100)
    assert _lcs._shared_trigrams("".join(map(chr, a)), "".join(map(chr, b))) > _lcs.RELATED
    sizes = _opcode_cells(monkeypatch)
    _valid(a, b, lcs_pairs(a, b))
    assert sizes
    assert max(sizes) <= 10_000


def test_many_distinct_tokens_far_apart_are_cut_too(monkeypatch: pytest.MonkeyPatch) -> None:
    """Ids that do not fit in a character follow the same rule: more than MAX_EDITS edits,
    proportional pieces; a common subsequence all the same."""
    rng = random.Random(6)
    a = list(range(3000))
    b = a[:]
    rng.shuffle(b)
    monkeypatch.setattr(_lcs, "EXACT_CELLS", 10_000)
    monkeypatch.setattr(_lcs, "_CHARACTERS", 100)
    monkeypatch.setattr(_lcs, "MAX_EDITS", 100)
    sizes = _opcode_cells(monkeypatch)
    _valid(a, b, lcs_pairs(a, b))
    assert max(sizes) <= 10_000


def test_a_long_witness_against_a_short_one_is_cut_into_pieces(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A passage repeated 60 times against the passage once: no anchor (nothing is unique),
    every trigram shared, but far more than MAX_EDITS edits: pieces, not one edit script."""
    rng = random.Random(2)
    passage = [rng.randrange(400) for _ in range(200)]
    a, b = passage * 60, passage
    monkeypatch.setattr(_lcs, "EXACT_CELLS", 10_000)
    monkeypatch.setattr(_lcs, "MAX_EDITS", 1000)
    sizes = _opcode_cells(monkeypatch)
    _valid(a, b, lcs_pairs(a, b))
    assert max(sizes) <= 10_000


def test_a_text_that_repeats_itself_is_aligned_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    """A text made of one passage over and over has no unique trigram anywhere, but shares
    nearly all of them: it is aligned in one piece, not cut, and every match is found."""
    rng = random.Random(4)
    passage = [rng.randrange(300) for _ in range(200)]
    a = passage * 15
    b = [x if rng.random() > 0.02 else rng.randrange(300) for x in a]
    b[100:100] = [rng.randrange(300) for _ in range(60)]  # an addition shifts what follows
    monkeypatch.setattr(_lcs, "EXACT_CELLS", 10_000)
    assert _lcs._shared_trigrams("".join(map(chr, a)), "".join(map(chr, b))) > _lcs.RELATED
    pairs = lcs_pairs(a, b)
    _valid(a, b, pairs)
    assert len(pairs) >= _exact_length(a, b) * 0.999


def test_real_editions_align_close_to_the_optimum() -> None:
    """Darwin's chapter 1 in six editions (about 13,000 tokens each: long enough for the
    anchored path), each edition against the next and the first against the last: the
    alignments' edits, counted on the tokens as written (each rank where they differ is one
    edit), are within 2 % of the optimum, the Levenshtein distance of the two token sequences
    (1.2 % measured; the anchors of the previous version gave 4.1 %)."""
    data = json.loads(
        (ROOT / "tests/data/collatex/darwin_origin_ch1_paragraphs_6editions.json").read_text(
            encoding="utf-8"
        )
    )
    editions: dict[str, list[str]] = {}
    for paragraph in data["paragraphs"]:
        for witness in paragraph["witnesses"]:
            editions.setdefault(witness["id"], []).append(witness["content"])
    years = sorted(editions)
    edits = optimum = 0
    for a, b in [*itertools.pairwise(years), (years[0], years[-1])]:
        pair = [load_witness("\n\n".join(editions[y]), y) for y in (a, b)]
        collation = collate(pair)
        texts = [collation.tokens[0].text, collation.tokens[1].text]
        assert len(texts[0]) * len(texts[1]) > _lcs.EXACT_CELLS  # the anchored path
        rows = collation.alignment.rows
        edits += sum(
            1
            for x, y in zip(rows[0], rows[1], strict=True)
            if x == -1 or y == -1 or texts[0][x] != texts[1][y]
        )
        optimum += Levenshtein.distance(texts[0], texts[1])
    assert optimum <= edits <= optimum * 1.02
