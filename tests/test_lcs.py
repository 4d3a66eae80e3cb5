"""The anchored LCS: always a valid common subsequence; as long as the exact one on real text."""

from __future__ import annotations

import itertools
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import Indel

from collate import _lcs
from collate.pipeline import Collation


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
        _valid(a, b, _lcs.lcs_pairs(a, b))
    finally:
        _lcs.EXACT_CELLS = original
    assert len(_lcs.lcs_pairs(a, b)) == _exact_length(a, b)


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
    pairs = _lcs.lcs_pairs(a, b)
    _valid(a, b, pairs)
    exact = _exact_length(a, b)
    assert len(pairs) >= exact * 0.999
