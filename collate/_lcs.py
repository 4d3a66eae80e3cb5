"""Longest common subsequence of two long int sequences, in near-linear time and memory.

rapidfuzz's ``Indel.opcodes`` finds an exact LCS but keeps a bit matrix of
``len(a) * len(b) / 8`` bytes (1.6 GB for two 110,000-token texts). Here it
only runs on stretches of at most ``EXACT_CELLS`` cells. Longer stretches are
first cut at *anchors*: token trigrams that occur exactly once in each side,
kept in a longest increasing chain so they never cross. Uniqueness is judged
within a *window* of ``WINDOW`` tokens on each side that moves along both texts
from one anchor to the next (a window with no shared unique trigram is widened
until it finds one), so that texts that repeat themselves (a book's recurring
phrases, or the same text twice) still find anchors everywhere; trigrams unique
in the whole of a long text are few or none. Each stretch between anchors is
solved the same way, recursively. A long stretch with no anchor at all falls
back to rapidfuzz's linear-memory ``Levenshtein.opcodes`` (its equal blocks: a
common subsequence, not always a longest one). For texts that mostly agree the
result is the exact optimum or within a hair of it; ``exact=True`` skips the
anchors at the cost of memory.
"""

from __future__ import annotations

import bisect
import itertools
import operator
from array import array
from collections.abc import Sequence

from rapidfuzz.distance import Indel, Levenshtein

EXACT_CELLS = 40_000_000  # a 5 MB bit matrix
_GRAM = 3
WINDOW = 8192  # tokens each side within which an anchor's trigram must be unique
SPARSE = 4  # one candidate anchor in SPARSE is kept
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
    grams = _Grams(a, b)
    while stack:
        alo, ahi, blo, bhi = stack.pop()
        _solve(grams, alo, ahi, blo, bhi, match, stack, exact)
    return match


class _Grams:
    """The two sequences and, computed once when first needed, the trigram starting at each
    position of each, as one integer (``(x * K + y) * K + z``)."""

    def __init__(self, a: Sequence[int], b: Sequence[int]) -> None:
        self.a, self.b = a, b
        self._grams: tuple[Sequence[int], Sequence[int]] | None = None

    def grams(self) -> tuple[Sequence[int], Sequence[int]]:
        if self._grams is None:
            k = max(max(self.a, default=0), max(self.b, default=0)) + 1
            self._grams = (_trigrams(self.a, k), _trigrams(self.b, k))
        return self._grams


def _trigrams(seq: Sequence[int], k: int) -> Sequence[int]:
    times_k = itertools.repeat(k)
    pairs = map(operator.add, map(operator.mul, seq, times_k), seq[1:])
    grams = list(map(operator.add, map(operator.mul, pairs, times_k), seq[2:]))
    return array("q", grams) if k < 2**21 else grams


def _solve(
    grams: _Grams,
    alo: int,
    ahi: int,
    blo: int,
    bhi: int,
    match: array[int],
    stack: list[tuple[int, int, int, int]],
    exact: bool,
) -> None:
    a, b = grams.a, grams.b
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
    anchors = _windowed_anchors(grams, alo, ahi, blo, bhi)
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


def _places(grams: Sequence[int], lo: int, hi: int) -> tuple[dict[int, int], dict[int, int]]:
    """Where each trigram that starts in ``lo..hi`` (and ends there) starts first, and last:
    the two are the same for a trigram found there once."""
    window = grams[lo : max(lo, hi - _GRAM + 1)]
    places = range(lo, lo + len(window))
    first = dict(zip(reversed(window), reversed(places), strict=True))
    return first, dict(zip(window, places, strict=True))


def _windowed_anchors(
    grams: _Grams, alo: int, ahi: int, blo: int, bhi: int
) -> list[tuple[int, int]]:
    """Anchors for the stretch, found window by window from its start."""
    ga, gb = grams.grams()
    anchors: list[tuple[int, int]] = []
    i, j, size = alo, blo, WINDOW
    while i < ahi and j < bhi:
        wa, wb = min(ahi, i + size), min(bhi, j + size)
        chain = _anchors(ga, gb, i, wa, j, wb)
        if wa == ahi and wb == bhi:
            anchors.extend(chain)
            break
        # Near a window's end a trigram may look unique only because its repeat lies
        # beyond: keep the anchors of the first three quarters, and move on from the last.
        limit_a, limit_b = i + size * 3 // 4, j + size * 3 // 4
        kept = [(x, y) for x, y in chain if x < limit_a and y < limit_b]
        if not kept:
            size *= 2  # nothing shared nearby (a long addition, a moved block): look further
            continue
        anchors.extend(kept)
        i, j, size = kept[-1][0] + _GRAM, kept[-1][1] + _GRAM, WINDOW
    return anchors


def _anchors(
    ga: Sequence[int], gb: Sequence[int], alo: int, ahi: int, blo: int, bhi: int
) -> list[tuple[int, int]]:
    """Trigrams unique in both windows, as the longest chain increasing in both."""
    first_a, last_a = _places(ga, alo, ahi)
    first_b, last_b = _places(gb, blo, bhi)
    # in a's order, which for the trigrams unique there is the order of their places
    shared = list(itertools.compress(last_a, map(last_b.__contains__, last_a)))
    at_a = list(map(last_a.__getitem__, shared))
    at_b = list(map(last_b.__getitem__, shared))
    once = map(
        operator.and_,
        map(operator.eq, at_a, map(first_a.__getitem__, shared)),
        map(operator.eq, at_b, map(first_b.__getitem__, shared)),
    )
    candidates = list(itertools.compress(zip(at_a, at_b, strict=True), once))
    # Every SPARSE-th is plenty: the stretches between stay small enough to solve exactly.
    candidates = candidates[::SPARSE]
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
