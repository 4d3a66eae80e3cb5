"""Runs of consecutive numbers (collate/_spans.py)."""

from __future__ import annotations

from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from collate._spans import consecutive


def test_runs_of_consecutive_numbers() -> None:
    assert consecutive([]) == []
    assert consecutive([3]) == [(3, 4)]
    assert consecutive([0, 1, 2, 5, 6, 9]) == [(0, 3), (5, 7), (9, 10)]


@given(st.sets(st.integers(0, 60)))
def test_runs_cover_the_numbers_and_are_maximal(numbers: set[int]) -> None:
    runs = consecutive(sorted(numbers))
    assert [k for first, end in runs for k in range(first, end)] == sorted(numbers)
    assert all(end < first for (_, end), (first, _) in pairwise(runs))  # a gap between each
