"""Longest common subsequence of two long int sequences, in near-linear time and memory.

rapidfuzz's ``Indel.opcodes`` finds an exact LCS but keeps a bit matrix of
``len(a) * len(b) / 8`` bytes (1.6 GB for two 110,000-token texts). Here it
only runs on stretches of at most ``EXACT_CELLS`` cells. Longer stretches are
first cut at *anchors*: token trigrams that occur exactly once in each side of
the stretch, kept in a longest increasing chain so they never cross. Each
stretch between anchors is solved the same way, so uniqueness is judged within
ever smaller windows and texts that repeat themselves still find anchors.
A long stretch with no anchor at all falls back to rapidfuzz's linear-memory
``Levenshtein.opcodes`` (its equal blocks: a common subsequence, not always a
longest one). For texts that mostly agree the result is the exact optimum or
within a hair of it; ``exact=True`` skips the anchors at the cost of memory.
"""

from __future__ import annotations

import bisect
from array import array
from collections.abc import Sequence

from rapidfuzz.distance import Indel, Levenshtein

EXACT_CELLS = 40_000_000  # a 5 MB bit matrix
_GRAM = 3
NONE = -1


def lcs_pairs(a: Sequence[int], b: Sequence[int], exact: bool = False) -> list[tuple[int, int]]:
    """Index pairs ``(i, j)`` with ``a[i] == b[j]`` of a common subsequence, in order."""
    return [(i, j) for i, j in enumerate(lcs_match(a, b, exact)) if j != NONE]


def lcs_match(a: Sequence[int], b: Sequence[int], exact: bool = False) -> array[int]:
    """For each position of ``a``, the position of ``b`` it is matched with, or ``NONE``.

    One machine integer per token of ``a``: a million-token text needs 8 MB here, where a
    list of index pairs needed about 100 MB.
    """
    match = array("q", [NONE]) * len(a)
    stack = [(0, len(a), 0, len(b))]
    while stack:
        alo, ahi, blo, bhi = stack.pop()
        _solve(a, b, alo, ahi, blo, bhi, match, stack, exact)
    return match


def _solve(
    a: Sequence[int],
    b: Sequence[int],
    alo: int,
    ahi: int,
    blo: int,
    bhi: int,
    match: array[int],
    stack: list[tuple[int, int, int, int]],
    exact: bool,
) -> None:
    while alo < ahi and blo < bhi and a[alo] == b[blo]:
        match[alo] = blo
        alo, blo = alo + 1, blo + 1
    while alo < ahi and blo < bhi and a[ahi - 1] == b[bhi - 1]:
        ahi, bhi = ahi - 1, bhi - 1
        match[ahi] = bhi
    if alo == ahi or blo == bhi:
        return
    if exact or (ahi - alo) * (bhi - blo) <= EXACT_CELLS:
        _opcodes(Indel.opcodes(a[alo:ahi], b[blo:bhi]), alo, blo, match)
        return
    anchors = _anchors(a, b, alo, ahi, blo, bhi)
    if not anchors:
        _opcodes(Levenshtein.opcodes(a[alo:ahi], b[blo:bhi], score_hint=64), alo, blo, match)
        return
    for i, j in anchors:
        if i < alo or j < blo:
            continue  # overlaps the previous anchor
        stack.append((alo, i, blo, j))
        for k in range(_GRAM):
            match[i + k] = j + k
        alo, blo = i + _GRAM, j + _GRAM
    stack.append((alo, ahi, blo, bhi))


def _opcodes(ops: object, alo: int, blo: int, match: array[int]) -> None:
    for op in ops:  # type: ignore[attr-defined]
        if op.tag == "equal":
            start = alo + op.src_start
            match[start : alo + op.src_end] = array(
                "q", range(blo + op.dest_start, blo + op.dest_end)
            )


def _unique_grams(seq: Sequence[int], lo: int, hi: int) -> dict[tuple[int, ...], int]:
    seen: dict[tuple[int, ...], int] = {}
    for i in range(lo, hi - _GRAM + 1):
        gram = tuple(seq[i : i + _GRAM])
        seen[gram] = -1 if gram in seen else i
    return {g: i for g, i in seen.items() if i >= 0}


def _anchors(
    a: Sequence[int], b: Sequence[int], alo: int, ahi: int, blo: int, bhi: int
) -> list[tuple[int, int]]:
    """Unique shared trigrams, as the longest chain increasing in both sequences."""
    in_a = _unique_grams(a, alo, ahi)
    in_b = _unique_grams(b, blo, bhi)
    candidates = sorted((i, in_b[g]) for g, i in in_a.items() if g in in_b)
    # Longest increasing subsequence of the b positions (patience sorting).
    tails: list[int] = []
    tail_index: list[int] = []
    previous = [-1] * len(candidates)
    for n, (_, j) in enumerate(candidates):
        k = bisect.bisect_left(tails, j)
        if k == len(tails):
            tails.append(j)
            tail_index.append(n)
        else:
            tails[k] = j
            tail_index[k] = n
        previous[n] = tail_index[k - 1] if k else -1
    chain: list[tuple[int, int]] = []
    n = tail_index[-1] if tail_index else -1
    while n >= 0:
        chain.append(candidates[n])
        n = previous[n]
    return chain[::-1]
