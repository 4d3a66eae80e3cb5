"""Runs of consecutive numbers, as ``(first, end)`` spans."""

from __future__ import annotations

from collections.abc import Iterable


def consecutive(numbers: Iterable[int]) -> list[tuple[int, int]]:
    """The maximal runs of consecutive numbers in ``numbers`` (ascending), each as
    ``(first, end)`` (``end`` exclusive)."""
    runs: list[tuple[int, int]] = []
    for k in numbers:
        if runs and runs[-1][1] == k:
            runs[-1] = (runs[-1][0], k + 1)
        else:
            runs.append((k, k + 1))
    return runs
